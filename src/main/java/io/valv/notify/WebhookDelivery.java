package io.valv.notify;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One message for one endpoint: the outbox row and its delivery state. */
@Entity
@Table(name = "webhook_delivery")
class WebhookDelivery {

    @Id
    UUID id;
    @Column(name = "endpoint_id")
    UUID endpointId;
    @Column(name = "client_id")
    String clientId;
    /** The {@code webhook-id}: stable across attempts and redeliveries. */
    @Column(name = "msg_id")
    String msgId;
    @Column(name = "event_type")
    String eventType;
    /** The exact JSON body that is signed and sent. */
    String payload;
    @Column(name = "created_at")
    Instant createdAt;
    @Enumerated(EnumType.STRING)
    Status status;
    int attempts;
    @Column(name = "next_attempt_at")
    Instant nextAttemptAt;
    @Column(name = "last_status")
    Integer lastStatus;

    enum Status {
        PENDING,
        DELIVERED,
        FAILED
    }
}
