package io.valv.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Reads plaintext from a stream, hashes it (SHA-256) and encrypts it segment by segment into parts of
 * {@code segmentsPerPart} whole segments. Memory use is one plaintext segment plus one part buffer per
 * part in flight, whatever the stream's length.
 */
public final class StreamEncryptor {

    private final SegmentCipher cipher;
    private final int segmentsPerPart;
    private final long maxPlaintextSize;

    public StreamEncryptor(SegmentCipher cipher, int segmentsPerPart, long maxPlaintextSize) {
        if (segmentsPerPart < 1) {
            throw new IllegalArgumentException("segmentsPerPart must be positive");
        }
        this.cipher = cipher;
        this.segmentsPerPart = segmentsPerPart;
        this.maxPlaintextSize = maxPlaintextSize;
    }

    public EncryptionResult encrypt(InputStream plaintext, PartSink sink) throws IOException {
        MessageDigest sha256 = Digests.sha256();
        byte[] segment = new byte[SegmentCipher.SEGMENT_SIZE];
        int partCapacity = segmentsPerPart * SegmentCipher.CIPHER_SEGMENT_SIZE;
        byte[] part = sink.emptyPart(partCapacity);
        int partLength = 0;
        long index = 0;
        long total = 0;
        long ciphertextTotal = 0;
        int carried = -1; // one byte read ahead to learn whether the current segment is the last

        while (true) {
            int filled = 0;
            if (carried >= 0) {
                segment[filled++] = (byte) carried;
                carried = -1;
            }
            filled += readFully(plaintext, segment, filled, segment.length - filled);
            boolean last = filled < segment.length;
            if (!last) {
                carried = plaintext.read();
                last = carried < 0;
            }
            total += filled;
            if (total > maxPlaintextSize) {
                throw new PlaintextTooLargeException();
            }
            sha256.update(segment, 0, filled);
            if (partLength + SegmentCipher.CIPHER_SEGMENT_SIZE > partCapacity) {
                sink.accept(part, partLength);
                part = sink.emptyPart(partCapacity);
                partLength = 0;
            }
            int written = cipher.encrypt(index, last, last ? total : 0, segment, 0, filled, part, partLength);
            partLength += written;
            ciphertextTotal += written;
            index++;
            if (last) {
                sink.accept(part, partLength);
                return new EncryptionResult(total, ciphertextTotal, sha256.digest());
            }
        }
    }

    private static int readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, offset + read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }
}
