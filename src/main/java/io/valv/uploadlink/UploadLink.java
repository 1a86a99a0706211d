package io.valv.uploadlink;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A client admin's upload link into one job. The secret itself is never stored: only its SHA-256. */
@Entity
@Table(name = "upload_link")
class UploadLink {

    @Id
    UUID id;
    @Column(name = "client_id")
    String clientId;
    @Column(name = "job_id")
    UUID jobId;
    @Column(name = "token_sha256")
    byte[] tokenSha256;
    /** Shown to the sender, escaped like every value; optional. */
    String note;
    @Column(name = "max_bytes")
    long maxBytes;
    @Column(name = "max_files")
    int maxFiles;
    @Column(name = "expires_at")
    Instant expiresAt;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "created_by")
    String createdBy;
    @Column(name = "revoked_at")
    Instant revokedAt;
    @Column(name = "revoked_by")
    String revokedBy;
    @Column(name = "last_used_at")
    Instant lastUsedAt;

    /** The subject its uploads are recorded under, as material uploader and audit actor. */
    String subject() {
        return UploadLinkService.SUBJECT_PREFIX + id;
    }
}
