package io.valv.material;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;

import io.quarkus.logging.Log;
import io.valv.crypto.RangeDecryptor;
import io.valv.crypto.SegmentCipher;
import io.valv.storage.BlobStore;
import io.valv.web.ProblemException;

/**
 * Streams plaintext out: one ranged GET of exactly the segments covering the requested bytes, each
 * segment authenticated before any of it is written.
 */
@ApplicationScoped
class MaterialDownload {

    private final BlobStore blobs;

    MaterialDownload(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * Opens the object before the response is committed, so that a missing object or a store outage is
     * still a clean problem+json 5xx rather than a truncated 200.
     */
    StreamingOutput open(MaterialService.ReadableMaterial m, ByteRange range) {
        SegmentCipher cipher = new SegmentCipher(m.dataKey(), m.header(), m.id());
        Arrays.fill(m.dataKey(), (byte) 0);
        RangeDecryptor decryptor = new RangeDecryptor(cipher, m.size());
        long first = range == null ? 0 : range.first();
        long last = range == null ? m.size() - 1 : range.last();
        RangeDecryptor.CiphertextRange needed = decryptor.ciphertextRange(first, last);
        BlobStore.BlobRange blob;
        try {
            blob = blobs.read(m.objectKey(), needed.first(), needed.last());
        } catch (IOException e) {
            Log.errorf("Material %s: ciphertext unreadable (%s)", m.id(), e.getMessage());
            throw new ProblemException(503, "storage-unavailable", "Storage unavailable",
                    "The content cannot be read right now. Retry later.");
        }
        if (blob.objectLength() != m.ciphertextSize()) {
            closeQuietly(blob.content());
            Log.errorf("Material %s: stored object length %d differs from the recorded %d", m.id(), blob.objectLength(),
                    m.ciphertextSize());
            throw new ProblemException(500, "integrity", "Integrity failure",
                    "Stored content failed its integrity check; the incident has been logged.");
        }
        return (OutputStream out) -> {
            try (InputStream in = blob.content()) {
                decryptor.decrypt(in, first, last, out);
            } catch (RuntimeException e) {
                // Headers are gone already: abort the connection so the client sees a failed transfer,
                // never a short body it could take for the whole.
                Log.errorf("Material %s: decryption stopped (%s)", m.id(), e.getClass().getSimpleName());
                throw new IOException("content stream aborted");
            }
        };
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
