package io.valv.notify;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A receiver URL of one client and the event types it subscribed to. */
@Entity
@Table(name = "webhook_endpoint")
class WebhookEndpoint {

    @Id
    UUID id;
    @Column(name = "client_id")
    String clientId;
    String url;
    /** Comma-separated event types. */
    String events;
    /**
     * The HMAC key (the base64 part of {@code whsec_…}), sealed under the client key and bound to this id
     * ({@link WebhookSecrets}); never stored in clear.
     */
    @Column(name = "sealed_secret")
    byte[] sealedSecret;
    @Column(name = "sealed_previous_secret")
    byte[] sealedPreviousSecret;
    @Column(name = "previous_secret_until")
    Instant previousSecretUntil;
    @Column(name = "created_at")
    Instant createdAt;
    /** Since when a delivery to it was given up after every retry; null once one succeeds again. */
    @Column(name = "failing_since")
    Instant failingSince;
    /** Switched off by the client admin: it gets no new notices, and its pending ones wait until it is on again. */
    boolean enabled = true;

    List<String> eventList() {
        return Arrays.asList(events.split(","));
    }

    /** The sealed keys that sign now: the current one, and the previous one during a rotation's overlap. */
    List<byte[]> sealedSigningSecrets(Instant now) {
        if (sealedPreviousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
            return List.of(sealedSecret, sealedPreviousSecret);
        }
        return List.of(sealedSecret);
    }
}
