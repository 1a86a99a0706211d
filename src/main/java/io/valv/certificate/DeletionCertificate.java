package io.valv.certificate;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A signed statement that material was destroyed. Never changed after it is issued. */
@Entity
@Table(name = "deletion_certificate")
class DeletionCertificate {

    @Id
    UUID id;
    @Column(name = "client_id")
    String clientId;
    /** material, job or client. */
    String scope;
    @Column(name = "material_id")
    UUID materialId;
    @Column(name = "job_id")
    UUID jobId;
    @Column(name = "issued_at")
    Instant issuedAt;
    /** The canonical JSON that was signed. */
    String document;
    @Column(name = "signed_data")
    byte[] signedData;
}
