package io.valv.dpa;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A data processing agreement (GDPR Art. 28) between the agency and one client. */
@Entity
@Table(name = "dpa")
public class Dpa {

    @Id
    public UUID id;
    @Column(name = "client_id")
    public String clientId;
    public String reference;
    public String version;
    @Column(name = "signed_on")
    public LocalDate signedOn;
    @Column(name = "effective_from")
    public LocalDate effectiveFrom;
    @Column(name = "effective_to")
    public LocalDate effectiveTo;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Column(name = "personal_data_allowed")
    public boolean personalDataAllowed;
    @Column(name = "special_categories_allowed")
    public boolean specialCategoriesAllowed;
    @Column(name = "data_categories")
    public String dataCategories;
    @Column(name = "retention_days")
    public int retentionDays;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "terminated_at")
    public Instant terminatedAt;
    /** When a scheduled termination takes effect; null when none is pending (or it has happened). */
    @Column(name = "termination_scheduled_for")
    public Instant terminationScheduledFor;
    @Column(name = "termination_scheduled_by")
    public String terminationScheduledBy;
    /** Why the waiting period was shortened below the default, when it was. */
    @Column(name = "termination_reason")
    public String terminationReason;

    public enum Status {
        DRAFT,
        ACTIVE,
        TERMINATED
    }

    /** Active and within its effective dates on {@code day}. */
    public boolean inForceOn(LocalDate day) {
        return status == Status.ACTIVE && !day.isBefore(effectiveFrom) && (effectiveTo == null || !day.isAfter(effectiveTo));
    }

    /** In force on {@code day} and not ending: new jobs and uploads may fall under it. */
    public boolean takesNewMaterialOn(LocalDate day) {
        return inForceOn(day) && terminationScheduledFor == null;
    }
}
