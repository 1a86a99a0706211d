package io.valv.certificate;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** "I have deleted my local copies of this job's material", by one member of staff. */
@Entity
@Table(name = "local_copy_attestation")
class LocalCopyAttestation {

    @EmbeddedId
    Key key;
    @Column(name = "attested_at")
    Instant attestedAt;

    @Embeddable
    record Key(@Column(name = "job_id") UUID jobId, @Column(name = "staff") String staff) implements Serializable {
    }
}
