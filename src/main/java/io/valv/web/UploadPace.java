package io.valv.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;

/**
 * The slowest upload body a replica waits for. The idle timeout ({@code quarkus.http.idle-timeout}) ends a body
 * that stops; a body that trickles (a few bytes now and then) would hold one of the few upload slots and a worker
 * thread for days. So, for every {@code valv.transfers.min-upload-rate-window} spent waiting for the client's bytes,
 * at least {@code valv.transfers.min-upload-rate} per second of it must have arrived, or the upload ends as if the
 * client had gone ({@link TooSlow}): a one-shot upload is rolled back, a resumable one keeps its durable offset.
 * Only the time spent waiting for the client counts: a store that is slow to take parts is not the client's fault
 * (and has timeouts of its own).
 */
@ApplicationScoped
public class UploadPace {

    private final long bytesPerSecond;
    private final long windowNanos;

    UploadPace(@ConfigProperty(name = "valv.transfers.min-upload-rate", defaultValue = "16K") MemorySize bytesPerSecond,
            @ConfigProperty(name = "valv.transfers.min-upload-rate-window", defaultValue = "60s") Duration window) {
        this.bytesPerSecond = bytesPerSecond.asLongValue();
        this.windowNanos = window.toNanos();
    }

    /** {@code body}, ended with {@link TooSlow} when it arrives slower than the minimum rate. */
    public InputStream watch(InputStream body) {
        return new Watched(body);
    }

    /** The body arrived slower than the minimum rate. */
    public static final class TooSlow extends IOException {
        private static final long serialVersionUID = 1L;

        TooSlow(String message) {
            super(message);
        }
    }

    private final class Watched extends FilterInputStream {

        private long waitedNanos;
        private long bytes;

        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            long start = System.nanoTime();
            int b = super.read();
            count(start, b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long start = System.nanoTime();
            int n = super.read(b, off, len);
            count(start, Math.max(0, n));
            return n;
        }

        private void count(long start, int n) throws TooSlow {
            waitedNanos += System.nanoTime() - start;
            bytes += n;
            if (waitedNanos >= windowNanos) {
                long expected = bytesPerSecond * waitedNanos / 1_000_000_000L;
                if (bytes < expected) {
                    throw new TooSlow("the body arrived at " + bytes * 1_000_000_000L / waitedNanos
                            + " B/s, below the minimum of " + bytesPerSecond + " B/s");
                }
                waitedNanos = 0;
                bytes = 0;
            }
        }
    }
}
