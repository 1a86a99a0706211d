package io.valv.job;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A member of staff assigned to a job: the only staff who may read its material. */
@Entity
@Table(name = "job_assignment")
class JobAssignment {

    @EmbeddedId
    Key key;
    @Column(name = "assigned_by")
    String assignedBy;
    @Column(name = "assigned_at")
    Instant assignedAt;

    @Embeddable
    record Key(@Column(name = "job_id") UUID jobId, @Column(name = "staff") String staff) implements Serializable {
    }
}
