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
    /** {@code whsec_<base64>}; the base64 part is the HMAC key. */
    String secret;
    @Column(name = "previous_secret")
    String previousSecret;
    @Column(name = "previous_secret_until")
    Instant previousSecretUntil;
    @Column(name = "created_at")
    Instant createdAt;

    List<String> eventList() {
        return Arrays.asList(events.split(","));
    }

    /** The secrets that sign now: the current one, and the previous one during a rotation's overlap. */
    List<String> signingSecrets(Instant now) {
        if (previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
            return List.of(secret, previousSecret);
        }
        return List.of(secret);
    }
}
