package io.valv.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

import javax.crypto.Mac;

/**
 * Encrypts one request's share of a resumable upload: plaintext from a part boundary onwards, into whole
 * multipart parts of the same STREAM ciphertext {@link StreamEncryptor} writes for a one-shot upload (segment
 * index = plaintext offset / 1 MiB, so a resumed request continues the nonce sequence; the final segment and
 * its length binding are known from the declared total length).
 * <p>
 * A part is handed to the {@link PartHandler} only when all of its plaintext has arrived; a request that ends
 * mid-part keeps nothing of that part (its ciphertext never left memory). Each part comes with a keyed tag of
 * its plaintext, so that the caller can commit to it before the ciphertext leaves the process and refuse a
 * later attempt at the same part with different plaintext (docs/crypto.md, "Resumable uploads"). Memory use is
 * one plaintext segment and one part.
 */
public final class ResumableEncryptor {

    private final SegmentCipher cipher;
    private final int segmentsPerPart;
    private final long totalLength;
    private final Mac partTag;

    public ResumableEncryptor(SegmentCipher cipher, int segmentsPerPart, long totalLength, Mac partTag) {
        if (segmentsPerPart < 1 || totalLength < 0) {
            throw new IllegalArgumentException("invalid part layout");
        }
        this.cipher = cipher;
        this.segmentsPerPart = segmentsPerPart;
        this.totalLength = totalLength;
        this.partTag = partTag;
    }

    public long partPlaintextSize() {
        return (long) segmentsPerPart * SegmentCipher.SEGMENT_SIZE;
    }

    /**
     * Reads plaintext starting at {@code offset} (a part boundary) and hands over every completed part.
     *
     * @param digest the whole-file SHA-256 as of {@code offset}, updated with every byte read; {@code null} when the
     *        caller does not have that state (the completed object is hashed instead)
     * @return the offset after the last part handed over
     * @throws PlaintextTooLargeException when the body holds more than the declared total length
     */
    public long encrypt(InputStream plaintext, long offset, MessageDigest digest, PartHandler handler) throws IOException {
        long partSize = partPlaintextSize();
        if (offset < 0 || offset % partSize != 0 || offset > totalLength || (offset == totalLength && totalLength > 0)) {
            throw new IllegalArgumentException("offset is not the start of a part");
        }
        byte[] segment = new byte[SegmentCipher.SEGMENT_SIZE];
        byte[] part = new byte[segmentsPerPart * SegmentCipher.CIPHER_SEGMENT_SIZE];
        long position = offset;
        do {
            long partEnd = Math.min(position + partSize, totalLength);
            int partNumber = (int) (position / partSize) + 1;
            partTag.reset();
            partTag.update(ByteBuffer.allocate(12).putInt(partNumber).putLong(partEnd).array());
            int length = 0;
            long segmentStart = position;
            do {
                int segmentLength = (int) Math.min(SegmentCipher.SEGMENT_SIZE, partEnd - segmentStart);
                if (readFully(plaintext, segment, segmentLength) < segmentLength) {
                    return position; // the body ended mid-part: nothing of this part is kept
                }
                boolean last = segmentStart + segmentLength == totalLength;
                if (digest != null) {
                    digest.update(segment, 0, segmentLength);
                }
                partTag.update(segment, 0, segmentLength);
                length += cipher.encrypt(segmentStart / SegmentCipher.SEGMENT_SIZE, last, last ? totalLength : 0, segment,
                        0, segmentLength, part, length);
                segmentStart += segmentLength;
            } while (segmentStart < partEnd);
            if (partEnd == totalLength && plaintext.read() >= 0) {
                throw new PlaintextTooLargeException();
            }
            handler.part(partNumber, position, partEnd, partTag.doFinal(), part, length);
            position = partEnd;
        } while (position < totalLength);
        return position;
    }

    private static int readFully(InputStream in, byte[] buffer, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }

    /** Receives one whole part; {@code ciphertext} is reused for the next part once this returns. */
    @FunctionalInterface
    public interface PartHandler {

        void part(int partNumber, long plaintextStart, long plaintextEnd, byte[] plaintextTag, byte[] ciphertext,
                int length) throws IOException;
    }
}
