package io.valv.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;

/**
 * Ciphertext object storage. Keys are random and carry no filename, client or personal data. Two
 * implementations: {@link S3BlobStore} (production, tests) and {@link LocalBlobStore} (dev mode).
 */
public interface BlobStore {

    /**
     * How many 1 MiB ciphertext segments make one part of a multipart write: S3 wants parts of at least
     * 5 MiB (all but the last); a local file takes any size. Uploaders cut their parts to this.
     */
    int segmentsPerPart();

    /** Begins a multipart write. Nothing is visible under {@code key} until {@link BlobUpload#complete()}. */
    BlobUpload startUpload(String key) throws IOException;

    /**
     * Begins a multipart write whose parts arrive in separate requests, perhaps on other replicas: only its
     * id is returned, to be kept in the database with the part ETags.
     */
    String startResumable(String key) throws IOException;

    /** Writes part {@code partNumber} (from 1) of a resumable write and returns its ETag once it is durable. */
    String uploadPart(String key, String uploadId, int partNumber, byte[] part, int length) throws IOException;

    /** Makes a resumable write durable and visible from its parts' ETags, in part order. */
    void completeResumable(String key, String uploadId, java.util.List<String> etags) throws IOException;

    /** Reads the inclusive byte range {@code [first, last]} of an object. */
    BlobRange read(String key, long first, long last) throws IOException;

    boolean exists(String key) throws IOException;

    /** Those of {@code keys} that exist (a purge checks that its deletes took). One by one unless overridden. */
    default java.util.Set<String> present(Collection<String> keys) throws IOException {
        java.util.Set<String> present = new java.util.HashSet<>();
        for (String key : keys) {
            if (exists(key)) {
                present.add(key);
            }
        }
        return present;
    }

    /** Deletes objects; deleting an absent key is not an error (purge is idempotent). */
    void delete(Collection<String> keys) throws IOException;

    /** Aborts an upload left behind by a crashed replica (identified by its upload id). */
    void abandonUpload(String key, String uploadId) throws IOException;

    /** An open ranged read: the bytes and the object's total length (to detect appended data). */
    record BlobRange(InputStream content, long objectLength) {
    }
}
