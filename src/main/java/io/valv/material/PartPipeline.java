package io.valv.material;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Up to {@value #DEPTH} parts of a resumable upload in flight to the store while the next part arrives and is
 * encrypted, so that receiving, storing and recording overlap instead of taking turns (docs/benchmarks.md has the
 * figures). Nothing about durability changes: each part's ciphertext leaves only after its plaintext tag was
 * reserved ({@link PartStore#reserveAndUpload}, which commits to it in the database first), and parts are recorded
 * strictly in order: a part is recorded only after the part before it was, and after a part that failed nothing
 * later is recorded. Parts that landed are handed to {@link Landed} on the caller's thread, in order. Memory:
 * {@value #DEPTH} ciphertext buffers of a part per request, reused. They hold only ciphertext, which goes to the
 * store anyway, so they are not zeroed (the plaintext of a part is, by {@link PartTailRecorder}).
 *
 * @param <T> what the caller attaches to a part and gets back when it landed (the whole-file digest at its end)
 */
final class PartPipeline<T> implements AutoCloseable {

    /** Parts in flight at most: two keep the store busy while the next part is encrypted (as a one-shot upload). */
    static final int DEPTH = 2;

    /** The store's side of a part, on a worker thread: commit to its plaintext tag, then upload it. */
    @FunctionalInterface
    interface PartStore {
        /** @return the store's etag of the part */
        String reserveAndUpload(int partNumber, long start, byte[] tag, byte[] ciphertext, int length)
                throws IOException;
    }

    /** Records a stored part (its end becomes the durable offset); called in part order, on a worker thread. */
    @FunctionalInterface
    interface PartRecord {
        void record(int partNumber, long start, long end, String etag);
    }

    /** A part stored and recorded, handed back on the caller's thread. */
    @FunctionalInterface
    interface Landed<T> {
        void landed(long end, T attachment);
    }

    private record InFlight<T>(long end, T attachment, byte[] buffer, CompletableFuture<String> stored,
            CompletableFuture<Void> recorded) {
    }

    private final Executor executor;
    private final PartStore store;
    private final PartRecord recorder;
    private final Landed<T> landed;
    private final Deque<InFlight<T>> inFlight = new ArrayDeque<>();
    private final Deque<byte[]> freeBuffers = new ArrayDeque<>();
    private CompletableFuture<Void> lastRecorded = CompletableFuture.completedFuture(null);
    private boolean failed;

    PartPipeline(Executor executor, PartStore store, PartRecord recorder, Landed<T> landed) {
        this.executor = executor;
        this.store = store;
        this.recorder = recorder;
        this.landed = landed;
    }

    /**
     * Sends a part (its ciphertext copied: the encryptor reuses its buffer for the next part). When {@value #DEPTH}
     * parts are in flight already, waits for the oldest first.
     *
     * @throws IOException when a part before was not taken by the store ({@link #failed()} from then on)
     */
    void send(int partNumber, long start, long end, byte[] tag, byte[] ciphertext, int length, T attachment)
            throws IOException {
        if (failed) {
            throw new IllegalStateException("a part before failed");
        }
        if (inFlight.size() >= DEPTH) {
            awaitOldest();
        }
        byte[] buffer = buffer(ciphertext.length, length);
        System.arraycopy(ciphertext, 0, buffer, 0, length);
        byte[] committed = tag.clone();
        CompletableFuture<String> stored = CompletableFuture.supplyAsync(() -> {
            try {
                return store.reserveAndUpload(partNumber, start, committed, buffer, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
        // in order: after the part before was recorded; if it failed, this one never is (thenCombine skips it)
        CompletableFuture<Void> recorded = stored.thenCombineAsync(lastRecorded, (etag, before) -> {
            recorder.record(partNumber, start, end, etag);
            return null;
        }, executor);
        lastRecorded = recorded;
        inFlight.add(new InFlight<>(end, attachment, buffer, stored, recorded));
    }

    /**
     * Waits for every part in flight, oldest first, handing each that landed to {@link Landed}.
     *
     * @throws IOException at the first part the store did not take ({@link #failed()} from then on)
     */
    void awaitAll() throws IOException {
        while (!inFlight.isEmpty()) {
            awaitOldest();
        }
    }

    /** Whether a part sent was not stored or recorded: the bytes after it belong to no durable offset. */
    boolean failed() {
        return failed;
    }

    /** Waits for every part still in flight, whatever its outcome, so that no upload outlives the request. */
    @Override
    public void close() {
        for (InFlight<T> part : inFlight) {
            part.stored().handle((etag, e) -> null).join();
            part.recorded().handle((done, e) -> null).join();
        }
        inFlight.clear();
    }

    private void awaitOldest() throws IOException {
        InFlight<T> part = inFlight.peek();
        try {
            part.recorded().join();
        } catch (CompletionException e) {
            failed = true;
            // stays in inFlight: close() waits for its upload, which may still be using its buffer
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw cause instanceof RuntimeException r ? r : e;
        }
        inFlight.poll();
        // recorded implies stored: its buffer is free again
        freeBuffers.push(part.buffer());
        landed.landed(part.end(), part.attachment());
    }

    private byte[] buffer(int capacity, int length) {
        byte[] buffer = freeBuffers.poll();
        if (buffer == null || buffer.length < length) {
            buffer = new byte[capacity];
        }
        return buffer;
    }
}
