package io.valv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A request body that stops after {@code holdAt} bytes until released: an upload caught mid-stream. */
public final class HeldBody extends InputStream {

    public final CountDownLatch held = new CountDownLatch(1);
    public final CountDownLatch release = new CountDownLatch(1);
    private final long size;
    private final long holdAt;
    private final byte[] content;
    private long sent;

    /** {@code size} bytes of 7s. */
    public HeldBody(long size, long holdAt) {
        this(size, holdAt, null);
    }

    /** {@code content} itself. */
    public HeldBody(byte[] content, long holdAt) {
        this(content.length, holdAt, content);
    }

    private HeldBody(long size, long holdAt, byte[] content) {
        this.size = size;
        this.holdAt = holdAt;
        this.content = content;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (sent == holdAt) {
            held.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        if (sent >= size) {
            return -1;
        }
        long limit = sent < holdAt ? holdAt : size;
        int n = (int) Math.min(len, limit - sent);
        if (content == null) {
            java.util.Arrays.fill(b, off, off + n, (byte) 7);
        } else {
            System.arraycopy(content, (int) sent, b, off, n);
        }
        sent += n;
        return n;
    }
}
