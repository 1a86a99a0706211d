package io.valv.audit;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * Marks a coalesced range read as counted by a chained summary event. Insert-only; its primary key (the
 * read) makes a read countable once only, whatever replicas and retries do.
 */
@Entity
@Immutable
@Table(name = "audit_range_flush")
public class RangeFlushRow {

    @Id
    @Column(name = "read_id")
    public UUID readId;
    @Column(name = "event_id")
    public UUID eventId;
}
