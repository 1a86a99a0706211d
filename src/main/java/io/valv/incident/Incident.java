package io.valv.incident;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

/**
 * A personal-data breach notice from the processor to its controllers (GDPR Art. 33(2)), with the fields
 * Art. 33(3) asks the controller to give its supervisory authority, so that it can pass them on as they are.
 * Append-only: a correction is a new notice.
 */
@Entity
@Table(name = "incident")
class Incident {

    @Id
    UUID id;
    /** Art. 33(3)(a): what happened. */
    String nature;
    @Column(name = "data_subject_categories")
    String dataSubjectCategories;
    @Column(name = "approximate_data_subjects")
    long approximateDataSubjects;
    @Column(name = "record_categories")
    String recordCategories;
    @Column(name = "approximate_records")
    long approximateRecords;
    /** Art. 33(3)(c). */
    @Column(name = "likely_consequences")
    String likelyConsequences;
    /** Art. 33(3)(d): taken or proposed, including mitigation. */
    String measures;
    /** Art. 33(3)(b): the processor's DPO or other contact point. */
    @Column(name = "contact_point")
    String contactPoint;
    @Column(name = "detected_at")
    Instant detectedAt;
    @Column(name = "notified_at")
    Instant notifiedAt;
    /**
     * The window the breach is known to span, when the processor names one: each affected client may then read
     * its own section of the window's incident report through the notice. Null both, or set both.
     */
    @Column(name = "window_from")
    Instant windowFrom;
    @Column(name = "window_to")
    Instant windowTo;
    /** Who raised the notice (token subject of the processor's admin or DPO). */
    @Column(name = "raised_by")
    String raisedBy;
    /** The affected clients: each is notified, and its admin may read the notice (and sees only itself here). */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "incident_client", joinColumns = @JoinColumn(name = "incident_id"))
    @Column(name = "client_id")
    Set<String> clients = new TreeSet<>();
}
