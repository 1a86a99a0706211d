package io.valv.material;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The between-requests state of one resumable upload; its material row stays {@code uploading} until done. */
@Entity
@Table(name = "tus_upload")
class TusUpload {

    @Id
    String id;
    @Column(name = "material_id")
    UUID materialId;
    String subject;
    @Column(name = "client_id")
    String clientId;
    @Column(name = "upload_length")
    long uploadLength;
    /** What HEAD answers: {@link #partsOffset()} plus the sealed tail of the part not complete yet. */
    @Column(name = "durable_offset")
    long durableOffset;
    @Column(name = "tail_length")
    long tailLength;
    @Column(name = "expected_sha256")
    byte[] expectedSha256;
    @Column(name = "lease_token")
    String leaseToken;
    @Column(name = "lease_until")
    Instant leaseUntil;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "expires_at")
    Instant expiresAt;
    boolean completed;
    /** The multipart upload is completed in the store: the object exists, the material is not stored yet. */
    boolean assembled;

    /** The end of the last whole part in the store: where the next request's plaintext is encrypted from. */
    long partsOffset() {
        return durableOffset - tailLength;
    }
}
