package io.valv.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A piece of work for one client under one DPA; material is uploaded into it. */
@Entity
@Table(name = "job")
public class Job {

    @Id
    public UUID id;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "dpa_id")
    public UUID dpaId;
    public String title;
    @Enumerated(EnumType.STRING)
    public Status status;
    /** The client's indication of reuse: material then outlives completion, up to its expiry. */
    @Column(name = "reuse_requested")
    public boolean reuseRequested;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "closed_at")
    public Instant closedAt;
    /** The latest erasure instruction for the whole job: uploads begun before it never become stored. */
    @Column(name = "erasure_instructed_at")
    public Instant erasureInstructedAt;

    public enum Status {
        OPEN,
        COMPLETED,
        CANCELLED
    }

    public boolean isOpen() {
        return status == Status.OPEN;
    }

    /** An upload begun at {@code startedAt} may still become stored: the job is open and not erased since. */
    public boolean acceptsUploadStartedAt(Instant startedAt) {
        return isOpen() && (erasureInstructedAt == null || startedAt.isAfter(erasureInstructedAt));
    }
}
