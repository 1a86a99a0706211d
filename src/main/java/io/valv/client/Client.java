package io.valv.client;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A controller: a client of the agency whose material Valv holds. */
@Entity
@Table(name = "client")
public class Client {

    @Id
    public String id;
    public String name;
    @Column(name = "org_number")
    public String orgNumber;
    public String contact;
    @Enumerated(EnumType.STRING)
    public Status status;
    /** The client key wrapped under a master key; null once destroyed (offboarding). */
    @Column(name = "wrapped_key")
    public byte[] wrappedKey;
    @Column(name = "created_at")
    public Instant createdAt;
    /** When a scheduled offboarding takes effect; null when none is pending (or it has happened). */
    @Column(name = "offboard_scheduled_for")
    public Instant offboardScheduledFor;
    @Column(name = "offboard_scheduled_by")
    public String offboardScheduledBy;
    /** Why the waiting period was shortened below the default, when it was. */
    @Column(name = "offboard_reason")
    public String offboardReason;

    /** Takes new material: active, and no end of contract pending. */
    public boolean acceptsNewMaterial() {
        return status == Status.ACTIVE && wrappedKey != null && offboardScheduledFor == null;
    }

    public enum Status {
        ACTIVE,
        OFFBOARDED
    }
}
