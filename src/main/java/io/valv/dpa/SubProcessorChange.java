package io.valv.dpa;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A recorded change to the sub-processor register and the day it takes effect (Art. 28(2) notice). */
@Entity
@Table(name = "sub_processor_change")
class SubProcessorChange {

    @Id
    UUID id;
    @Column(name = "sub_processor_id")
    UUID subProcessorId;
    String change;
    String description;
    @Column(name = "announced_at")
    Instant announcedAt;
    @Column(name = "effective_from")
    LocalDate effectiveFrom;
}
