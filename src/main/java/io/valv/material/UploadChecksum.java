package io.valv.material;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * The tus {@code checksum} extension: a PATCH (or a creation-with-upload body) may carry
 * {@code Upload-Checksum: sha256 <base64 of the chunk's SHA-256>}, and a chunk whose digest differs is not
 * appended (460).
 * <p>
 * Valv makes bytes durable as they arrive (whole parts go to the store, the beginning of a part is sealed in the
 * database), and a part's bytes cannot be replaced once they may have reached the store: that would encrypt other
 * plaintext under the same nonces (docs/crypto.md). So a checksummed chunk is read into memory first, checked,
 * and only then appended; it may run at most to the next part boundary (or the upload's end), which bounds the
 * buffer to one part, as much as the encryptor holds anyway. A longer checksummed chunk is refused before anything
 * of it is kept: split checksummed chunks at {@code Valv-Upload-Part-Size}.
 */
final class UploadChecksum {

    static final String ALGORITHM = "sha256";

    private UploadChecksum() {
    }

    /** The expected digest of the chunk, when the request asks for it to be checked. */
    static Optional<byte[]> expected(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.strip().split(" +");
        if (parts.length != 2) {
            throw new ProblemException(ProblemType.INVALID_UPLOAD_CHECKSUM,
                    "Upload-Checksum must be \"sha256 <base64 of the chunk's digest>\".");
        }
        if (!ALGORITHM.equals(parts[0].toLowerCase(Locale.ROOT))) {
            throw new ProblemException(ProblemType.CHECKSUM_ALGORITHM_UNSUPPORTED,
                    "The only checksum algorithm is sha256 (Tus-Checksum-Algorithm).");
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            digest = new byte[0];
        }
        if (digest.length != 32) {
            throw new ProblemException(ProblemType.INVALID_UPLOAD_CHECKSUM,
                    "Upload-Checksum's digest must be the 32 bytes of a SHA-256, in base64.");
        }
        return Optional.of(digest);
    }

    /**
     * Reads the whole chunk (at most {@code room} bytes) and checks it against {@code expected}; the answer holds
     * it for the append and wipes it when closed. Nothing is kept when the chunk is too long, ends early or differs.
     */
    static Chunk read(InputStream body, byte[] expected, long room) {
        int limit = (int) Math.min(room, Integer.MAX_VALUE - 8);
        byte[] buffer;
        try {
            buffer = body.readNBytes(limit);
            if (body.read() != -1) {
                Arrays.fill(buffer, (byte) 0);
                throw new ProblemException(ProblemType.CHECKSUM_CHUNK_TOO_LONG, "A chunk with Upload-Checksum may run at"
                        + " most to the next part boundary (" + room + " bytes from this offset; parts are "
                        + "Valv-Upload-Part-Size bytes); nothing of it was kept.");
            }
        } catch (IOException e) {
            throw new ProblemException(ProblemType.INCOMPLETE_BODY,
                    "The checksummed chunk ended early; nothing of it was kept.");
        }
        if (!MessageDigest.isEqual(sha256(buffer), expected)) {
            Arrays.fill(buffer, (byte) 0);
            throw new ProblemException(ProblemType.CHECKSUM_MISMATCH,
                    "The chunk's SHA-256 differs from Upload-Checksum; nothing of it was kept. Send it again.");
        }
        return new Chunk(buffer);
    }

    /** A verified chunk in memory, wiped when closed. */
    static final class Chunk implements AutoCloseable {

        private final byte[] bytes;

        private Chunk(byte[] bytes) {
            this.bytes = bytes;
        }

        InputStream stream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void close() {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
