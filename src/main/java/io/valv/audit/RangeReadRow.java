package io.valv.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * A range read inside an open coalescing window (docs/audit.md): written before the read is served and
 * never changed. It is not on the hash chain itself; the chained {@code material.content.range-reads}
 * summary that the flush appends counts it (see {@link RangeFlushRow}).
 */
@Entity
@Immutable
@Table(name = "audit_range_read")
public class RangeReadRow {

    @Id
    public UUID id;
    /** The chained {@code material.content.read} that opened the window. */
    @Column(name = "window_event_id")
    public UUID windowEventId;
    @Column(name = "window_start")
    public Instant windowStart;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Column(name = "actor_subject")
    public String actorSubject;
    @Column(name = "actor_roles")
    public String actorRoles;
    @Column(name = "actor_client")
    public String actorClient;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "material_id")
    public UUID materialId;
    @Column(name = "first_byte")
    public long firstByte;
    @Column(name = "last_byte")
    public long lastByte;
    /** Plaintext bytes served: the length of the range. */
    public long bytes;
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "client_ip")
    public String clientIp;
    @Column(name = "user_agent")
    public String userAgent;
}
