package io.valv.material;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One part of a resumable upload in flight to the store while the next part arrives and is encrypted, so that
 * receiving and storing overlap instead of taking turns (measured: a one-PATCH tus upload went from about half
 * the one-shot upload's rate to the figure in docs/benchmarks.md). Nothing about durability changes: a part's
 * ciphertext leaves only after its plaintext tag was reserved, and the caller records a part (moving the durable
 * offset) on the upload's thread the moment the store has it; the next part is sent only after
 * {@link #awaitInFlight()}, so parts are recorded in order. Memory: one extra ciphertext
 * buffer of a part per request, reused.
 */
final class PartPipeline implements AutoCloseable {

    /**
     * The store's side: uploads one part and records it (its durable offset moves) as soon as the store has it, so
     * that the offset never waits for the next part's bytes.
     */
    @FunctionalInterface
    interface PartStore {
        void storeAndRecord(int partNumber, long start, long end, byte[] ciphertext, int length)
                throws IOException;
    }

    private record InFlight(long end, CompletableFuture<Void> done) {
    }

    private final Executor executor;
    private final PartStore store;
    private byte[] buffer;
    private InFlight inFlight;
    private boolean failed;

    PartPipeline(Executor executor, PartStore store) {
        this.executor = executor;
        this.store = store;
    }

    /**
     * Sends a part (its ciphertext copied: the encryptor reuses its buffer for the next part). The part before
     * must have been awaited.
     */
    void send(int partNumber, long start, long end, byte[] ciphertext, int length) {
        if (inFlight != null) {
            throw new IllegalStateException("the part before is still in flight");
        }
        if (buffer == null || buffer.length < length) {
            buffer = new byte[ciphertext.length];
        }
        System.arraycopy(ciphertext, 0, buffer, 0, length);
        byte[] sending = buffer;
        inFlight = new InFlight(end, CompletableFuture.runAsync(() -> {
            try {
                store.storeAndRecord(partNumber, start, end, sending, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor));
    }

    /**
     * Waits for the part in flight: once it is stored and recorded, its end is the durable offset. Empty when there
     * is none.
     *
     * @throws IOException when the store did not take it ({@link #failed()} from then on)
     */
    OptionalLong awaitInFlight() throws IOException {
        InFlight part = inFlight;
        if (part == null) {
            return OptionalLong.empty();
        }
        inFlight = null;
        try {
            part.done().join();
            return OptionalLong.of(part.end());
        } catch (CompletionException e) {
            failed = true;
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Whether a part sent was not taken by the store: the bytes after it belong to no durable offset. */
    boolean failed() {
        return failed;
    }

    /** Waits for a part still in flight, whatever its outcome, so that no upload outlives the request; zeroes. */
    @Override
    public void close() {
        InFlight part = inFlight;
        inFlight = null;
        if (part != null) {
            part.done().handle((done, e) -> null).join();
        }
        if (buffer != null) {
            Arrays.fill(buffer, (byte) 0);
        }
    }
}
