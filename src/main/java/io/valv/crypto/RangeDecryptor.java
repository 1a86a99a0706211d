package io.valv.crypto;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Decrypts the plaintext byte range {@code [first, last]} of an object whose plaintext length is
 * known, reading only the segments that cover it. Each segment is authenticated before a byte of it is
 * written out; a failure stops the stream with a {@link CryptoException}.
 */
public final class RangeDecryptor {

    private final SegmentCipher cipher;
    private final long plaintextLength;

    public RangeDecryptor(SegmentCipher cipher, long plaintextLength) {
        this.cipher = cipher;
        this.plaintextLength = plaintextLength;
    }

    /** Ciphertext offset of the segment holding plaintext byte {@code position}. */
    public static long ciphertextOffset(long position) {
        return (position / SegmentCipher.SEGMENT_SIZE) * SegmentCipher.CIPHER_SEGMENT_SIZE;
    }

    /** Ciphertext byte range (inclusive) that must be fetched to decrypt plaintext {@code [first, last]}. */
    public CiphertextRange ciphertextRange(long first, long last) {
        return ciphertextRange(plaintextLength, first, last);
    }

    /** {@link #ciphertextRange(long, long)} before any key is at hand: the range depends on the lengths only. */
    public static CiphertextRange ciphertextRange(long plaintextLength, long first, long last) {
        checkRange(plaintextLength, first, last);
        long lastSegment = SegmentCipher.segmentCount(plaintextLength) - 1;
        long toSegment = plaintextLength == 0 ? 0 : last / SegmentCipher.SEGMENT_SIZE;
        long end = toSegment == lastSegment ? SegmentCipher.ciphertextLength(plaintextLength) - 1
                : (toSegment + 1) * SegmentCipher.CIPHER_SEGMENT_SIZE - 1;
        return new CiphertextRange(ciphertextOffset(first), end);
    }

    /**
     * @param ciphertext positioned at {@link #ciphertextRange}{@code .first()} of the object
     */
    public void decrypt(InputStream ciphertext, long first, long last, OutputStream out) throws IOException {
        checkRange(first, last);
        long segments = SegmentCipher.segmentCount(plaintextLength);
        long index = first / SegmentCipher.SEGMENT_SIZE;
        long lastIndex = plaintextLength == 0 ? 0 : last / SegmentCipher.SEGMENT_SIZE;
        byte[] in = new byte[SegmentCipher.CIPHER_SEGMENT_SIZE];
        byte[] plain = new byte[SegmentCipher.CIPHER_SEGMENT_SIZE];
        for (; index <= lastIndex; index++) {
            boolean finalSegment = index == segments - 1;
            long segmentStart = index * SegmentCipher.SEGMENT_SIZE;
            int plainLen = (int) Math.min(SegmentCipher.SEGMENT_SIZE, plaintextLength - segmentStart);
            int cipherLen = plainLen + SegmentCipher.TAG_LENGTH;
            readExactly(ciphertext, in, cipherLen);
            int n = cipher.decrypt(index, finalSegment, finalSegment ? plaintextLength : 0, in, 0, cipherLen, plain, 0);
            int from = (int) Math.max(0, first - segmentStart);
            int to = (int) Math.min(n, last - segmentStart + 1);
            if (to > from) {
                out.write(plain, from, to - from);
            }
        }
    }

    private void checkRange(long first, long last) {
        checkRange(plaintextLength, first, last);
    }

    private static void checkRange(long plaintextLength, long first, long last) {
        boolean empty = plaintextLength == 0 && first == 0 && last == -1;
        if (!empty && (first < 0 || last < first || last >= plaintextLength)) {
            throw new IllegalArgumentException("range outside plaintext");
        }
    }

    private static void readExactly(InputStream in, byte[] buffer, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                throw new EOFException("ciphertext truncated");
            }
            read += n;
        }
    }

    /** An inclusive byte range of the stored ciphertext. */
    public record CiphertextRange(long first, long last) {

        public long length() {
            return last - first + 1;
        }
    }
}
