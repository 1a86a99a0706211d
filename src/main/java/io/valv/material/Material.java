package io.valv.material;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One uploaded file. Its content lives encrypted under {@link #objectKey}; this row is its record. */
@Entity
@Table(name = "material")
public class Material {

    @Id
    public UUID id;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "dpa_id")
    public UUID dpaId;
    /** Display name only: never used as a storage key or a path. */
    public String filename;
    @Column(name = "media_type")
    public String mediaType;
    @Column(name = "personal_data")
    public boolean personalData;
    public Long size;
    @Column(name = "ciphertext_size")
    public Long ciphertextSize;
    public String sha256;
    public String uploader;
    @Column(name = "uploaded_at")
    public Instant uploadedAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Enumerated(EnumType.STRING)
    public State state;
    @Column(name = "purge_reason")
    public String purgeReason;
    @Column(name = "purged_at")
    public Instant purgedAt;
    @Column(name = "object_key")
    public String objectKey;
    @Column(name = "upload_id")
    public String uploadId;
    @Column(name = "stream_header")
    public byte[] streamHeader;

    public enum State {
        UPLOADING,
        /** The upload failed and its partial object could not be removed yet; the sweeper finishes. */
        FAILED,
        STORED,
        PURGE_PENDING,
        PURGED
    }

    /** Rows of unfinished or failed uploads are internal bookkeeping, invisible through the API. */
    public boolean isVisible() {
        return state != State.UPLOADING && state != State.FAILED;
    }
}
