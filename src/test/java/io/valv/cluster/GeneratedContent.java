package io.valv.cluster;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * {@code size} incompressible bytes made on the fly (one random MiB, each copy stamped with its index), so any
 * position can be made again: tus-java-client marks the start of each PATCH and seeks back there if it must
 * resend. The digest covers each byte once, the first time it is read.
 */
final class GeneratedContent extends InputStream {

    private static final int MIB = 1 << 20;
    private static final byte[] BLOCK = new byte[MIB];
    static {
        new Random(13).nextBytes(BLOCK);
    }

    private final long size;
    private final MessageDigest digest;
    private long position;
    private long mark;
    private long hashedUpTo;

    GeneratedContent(long size) throws NoSuchAlgorithmException {
        this.size = size;
        this.digest = MessageDigest.getInstance("SHA-256");
    }

    static byte[] bytesAt(long from, int length) {
        byte[] out = new byte[length];
        for (int done = 0; done < length;) {
            done += copy(from + done, out, done, length - done);
        }
        return out;
    }

    private static int copy(long at, byte[] b, int off, int len) {
        long index = at / MIB;
        int within = (int) (at % MIB);
        int n = Math.min(len, MIB - within);
        System.arraycopy(BLOCK, within, b, off, n);
        for (int i = 0; i < 8; i++) {
            long p = index * MIB + i;
            if (p >= at && p < at + n) {
                b[off + (int) (p - at)] = (byte) (index >>> (8 * i));
            }
        }
        return n;
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException("bulk reads only");
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        if (position > hashedUpTo) {
            throw new IllegalStateException("skipped past bytes never sent: the digest would miss them");
        }
        int n = copy(position, b, off, (int) Math.min(len, size - position));
        long end = position + n;
        if (end > hashedUpTo) {
            int fresh = (int) (end - Math.max(position, hashedUpTo));
            digest.update(b, off + n - fresh, fresh);
            hashedUpTo = end;
        }
        position = end;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.min(n, size - position);
        position += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
        mark = position;
    }

    @Override
    public synchronized void reset() {
        position = mark;
    }

    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
