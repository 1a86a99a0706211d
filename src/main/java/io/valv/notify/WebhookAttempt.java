package io.valv.notify;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One HTTP attempt of a delivery. */
@Entity
@Table(name = "webhook_attempt")
class WebhookAttempt {

    @Id
    UUID id;
    @Column(name = "delivery_id")
    UUID deliveryId;
    @Column(name = "attempted_at")
    Instant attemptedAt;
    @Column(name = "http_status")
    Integer httpStatus;
    @Column(name = "duration_ms")
    long durationMs;
    String error;
}
