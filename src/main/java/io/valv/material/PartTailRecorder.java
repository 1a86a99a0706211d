package io.valv.material;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Keeps, in memory only, the plaintext read since the last whole part was handed to the store, so that a
 * request ending mid-part can keep those bytes (sealed) instead of dropping them. A request of a few bytes holds
 * {@value #INITIAL} bytes; a longer one grows once, straight to a part (doubling would copy and zero the part
 * several times over on every request): memory stays about one part per request, whatever the file size.
 * <p>
 * Every byte at or after {@link #length()} is zero, so zeroing what was recorded zeroes the whole buffer.
 */
final class PartTailRecorder extends FilterInputStream {

    private static final int INITIAL = 64 * 1024;

    private final int partSize;
    private byte[] buffer = new byte[0];
    private int length;

    PartTailRecorder(InputStream in, long partSize) {
        super(in);
        this.partSize = Math.toIntExact(partSize);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            record(new byte[] { (byte) b }, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            record(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("every byte is recorded");
    }

    /** A whole part has reached the store: its bytes are no longer needed. */
    void partStored() {
        Arrays.fill(buffer, 0, length, (byte) 0);
        length = 0;
    }

    /** Bytes read since the last stored part; valid until the next read. */
    byte[] bytes() {
        return buffer;
    }

    int length() {
        return length;
    }

    /** Zeroes what it holds. */
    void clear() {
        Arrays.fill(buffer, 0, length, (byte) 0);
        length = 0;
    }

    private void record(byte[] b, int off, int n) {
        if (length + n > buffer.length) {
            // a full part plus the one byte read to detect a body running past Upload-Length
            int capacity = Math.max(length + n <= INITIAL ? INITIAL : partSize + 1, length + n);
            byte[] grown = Arrays.copyOf(buffer, capacity);
            Arrays.fill(buffer, 0, length, (byte) 0);
            buffer = grown;
        }
        System.arraycopy(b, off, buffer, length, n);
        length += n;
    }
}
