package io.valv.material;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

import io.quarkus.logging.Log;
import io.valv.crypto.CryptoException;
import io.valv.crypto.RangeDecryptor;
import io.valv.crypto.SegmentCipher;
import io.valv.security.Caller;
import io.valv.storage.BlobStore;
import io.valv.web.ProblemException;
import io.valv.web.Transfers;

/**
 * Streams plaintext out: one ranged GET of exactly the segments covering the requested bytes, each
 * segment authenticated before any of it is written.
 */
@ApplicationScoped
class MaterialDownload {

    /**
     * How often a running transfer checks that its material is still stored, so that a purge (on any replica)
     * cuts off a download already streaming: one indexed query per interval, not per segment.
     */
    static final Duration PURGE_CHECK_INTERVAL = Duration.ofSeconds(2);

    private final BlobStore blobs;
    private final MaterialService materials;
    private final IntegrityFailures integrity;

    private final ReadPhases phases;
    /** Where a read's ciphertext is fetched while its event is recorded (no request context needed there). */
    private final ManagedExecutor fetches = ManagedExecutor.builder().propagated(ThreadContext.NONE)
            .cleared(ThreadContext.ALL_REMAINING).build();

    MaterialDownload(BlobStore blobs, MaterialService materials, IntegrityFailures integrity, ReadPhases phases) {
        this.phases = phases;
        this.blobs = blobs;
        this.materials = materials;
        this.integrity = integrity;
    }

    /** What the content endpoint answers with: the material's facts, the range served (null: all) and the body. */
    record Download(UUID id, String filename, String mediaType, long size, String sha256, ByteRange range,
            StreamingOutput body) {
    }

    /**
     * A content read from request to body: authorized and recorded (fail-closed) by {@link MaterialService}, the
     * {@code Range}/{@code If-Range} decision made there once (416 when unsatisfiable, before any key is
     * unwrapped), and the data key held only here, from its unwrapping to its zeroing before the first byte.
     */
    Download serve(Caller caller, UUID materialId, String rangeHeader, String ifRange) {
        CiphertextFetch fetch = new CiphertextFetch();
        MaterialService.ReadableMaterial m;
        try {
            m = materials.openForRead(caller, materialId, rangeHeader, ifRange, fetch::start);
        } catch (RuntimeException e) {
            fetch.discard();
            throw e;
        }
        StreamingOutput body = open(m, fetch);
        return new Download(m.id(), m.filename(), m.mediaType(), m.size(), m.sha256(), m.range(), body);
    }

    /**
     * The content endpoint's body. The object is opened and its first segment authenticated before the
     * response is committed, so that a missing object or a store outage is still a clean 503, and tampering
     * that shows in the first segment (reordered, swapped or shortened ciphertext; the only segment of a small
     * file; the segment a range starts in) a clean {@code integrity} 500 — never a truncated 200. Tampering
     * found later can only abort the transfer.
     */
    private StreamingOutput open(MaterialService.ReadableMaterial m, CiphertextFetch fetch) {
        Transfer transfer;
        try {
            transfer = start(m, fetch);
        } catch (IntegrityFailure e) {
            integrity.record(null, m.id(), "content", e.getMessage());
            throw new ProblemException(500, "integrity", "Integrity failure",
                    "Stored content failed its integrity check; the incident has been logged.");
        } catch (IOException e) {
            if (!materials.stillStored(m.id())) {
                // purged after the read was authorized: the object went with it
                throw MaterialService.purged();
            }
            Log.errorf("Material %s: ciphertext unreadable (%s)", m.id(), e.getMessage());
            throw new ProblemException(503, "storage-unavailable", "Storage unavailable",
                    "The content cannot be read right now. Retry later.");
        }
        Transfers.Abort abort = Transfers.abortOfCurrentRequest();
        return (OutputStream out) -> {
            try {
                transfer.writeTo(out);
            } catch (IOException e) {
                if (e instanceof IntegrityFailure) {
                    integrity.record(null, m.id(), "content", e.getMessage());
                }
                // The headers are gone already: abort the connection so the client sees a failed transfer,
                // never a short body it could take for the whole.
                abort.abortIfStarted(true);
                throw new IOException("content stream aborted");
            }
        };
    }

    /**
     * Opens the object and authenticates the first segment of {@code m}'s range; the caller then writes it with
     * {@link Transfer#writeTo}. Zeroes the data key in {@code m}. {@code fetch}, when started, is the ciphertext
     * fetched while the read was being recorded; otherwise the object is read now.
     *
     * @throws IntegrityFailure the stored object is not what was uploaded
     * @throws IOException the store failed
     */
    Transfer start(MaterialService.ReadableMaterial m, CiphertextFetch fetch) throws IOException {
        SegmentCipher cipher = new SegmentCipher(m.dataKey(), m.header(), m.id());
        Arrays.fill(m.dataKey(), (byte) 0);
        ByteRange range = m.range();
        RangeDecryptor decryptor = new RangeDecryptor(cipher, m.size());
        long first = range == null ? 0 : range.first();
        long last = range == null ? m.size() - 1 : range.last();
        long t = System.nanoTime();
        Fetched fetched;
        try {
            fetched = fetch != null && fetch.started() ? fetch.get() : fetch(m.objectKey(), m.size(), range);
        } catch (IOException e) {
            // A range beyond the end of a shortened object is refused by S3 (416) like any failed read: tell
            // tampering from an outage by the object's actual length.
            throw shortenedOr(m, e);
        }
        BlobStore.BlobRange blob = fetched.blob();
        if (blob.objectLength() != m.ciphertextSize()) {
            closeQuietly(blob.content());
            throw new IntegrityFailure("stored object is " + blob.objectLength() + " bytes, " + m.ciphertextSize()
                    + " expected");
        }
        // The first segment's plaintext (at most 1 MiB) is held until the caller writes: authenticated now,
        // while an answer can still say so.
        long headLast = Math.min(last, (first / SegmentCipher.SEGMENT_SIZE + 1) * SegmentCipher.SEGMENT_SIZE - 1);
        ByteArrayOutputStream head = new ByteArrayOutputStream((int) Math.max(0, headLast - first + 1));
        try {
            decryptor.decrypt(new ByteArrayInputStream(fetched.firstSegment()), first, headLast, head);
            phases.record(ReadPhases.Phase.FIRST_SEGMENT, t, System.nanoTime());
        } catch (CryptoException e) {
            closeQuietly(blob.content());
            throw new IntegrityFailure("segment failed authentication");
        } catch (IOException | RuntimeException e) {
            closeQuietly(blob.content());
            throw e;
        }
        return new Transfer(m.id(), decryptor, blob.content(), head, headLast + 1, last);
    }

    /** A whole-content read (exports): the object is read when the transfer starts. */
    Transfer start(MaterialService.ReadableMaterial m) throws IOException {
        return start(m, null);
    }

    /** The opened ranged GET of a read's ciphertext, with the first segment's ciphertext already received. */
    private record Fetched(BlobStore.BlobRange blob, byte[] firstSegment) {
    }

    /**
     * Opens one ranged GET of exactly the ciphertext segments that cover {@code range} (null: all) of a plaintext
     * of {@code size} bytes, and receives the first of them.
     */
    private Fetched fetch(String objectKey, long size, ByteRange range) throws IOException {
        long t = System.nanoTime();
        long first = range == null ? 0 : range.first();
        long last = range == null ? size - 1 : range.last();
        RangeDecryptor.CiphertextRange needed = RangeDecryptor.ciphertextRange(size, first, last);
        BlobStore.BlobRange blob = blobs.read(objectKey, needed.first(), needed.last());
        try {
            byte[] firstSegment = blob.content().readNBytes((int) Math.min(needed.length(), SegmentCipher.CIPHER_SEGMENT_SIZE));
            phases.record(ReadPhases.Phase.STORE, t, System.nanoTime());
            return new Fetched(blob, firstSegment);
        } catch (IOException | RuntimeException e) {
            closeQuietly(blob.content());
            throw e;
        }
    }

    /**
     * A read's ciphertext, fetched on another thread while the read's audit event is made durable, so that the
     * store's latency overlaps the commit's instead of following it. It fetches ciphertext only: the data key is
     * unwrapped after the event is durable, and nothing is written before. The request thread runs the fetch
     * itself when no pool thread has taken it yet, so a busy pool delays a read but cannot block it.
     */
    final class CiphertextFetch {

        private FutureTask<Fetched> task;

        /** Starts the fetch of what an authorized read will serve; called once, inside the read's transaction. */
        void start(MaterialService.PlannedRead read) {
            task = new FutureTask<>(() -> fetch(read.objectKey(), read.size(), read.range()));
            try {
                fetches.execute(task);
            } catch (RejectedExecutionException e) {
                // run by the request thread in get()
            }
        }

        boolean started() {
            return task != null;
        }

        Fetched get() throws IOException {
            task.run(); // a no-op once a pool thread has taken it
            try {
                return task.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException("ciphertext fetch failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while fetching ciphertext");
            }
        }

        /** The read was refused or could not be recorded: whatever the fetch opened is closed, unread. */
        void discard() {
            if (task == null || task.cancel(false)) {
                return;
            }
            try {
                closeQuietly(task.get().blob().content());
            } catch (ExecutionException | CancellationException e) {
                // nothing was opened
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private IOException shortenedOr(MaterialService.ReadableMaterial m, IOException readFailure) {
        try {
            BlobStore.BlobRange probe = blobs.read(m.objectKey(), 0, 0);
            closeQuietly(probe.content());
            if (probe.objectLength() != m.ciphertextSize()) {
                return new IntegrityFailure("stored object is " + probe.objectLength() + " bytes, " + m.ciphertextSize()
                        + " expected");
            }
        } catch (IOException e) {
            // the store is down (or the object gone): the original failure stands
        }
        return readFailure;
    }

    /** An opened transfer whose first segment is authenticated; the rest is authenticated as it streams. */
    final class Transfer {

        private final UUID materialId;
        private final RangeDecryptor decryptor;
        private final InputStream ciphertext;
        private final ByteArrayOutputStream head;
        private final long restFirst;
        private final long last;

        private Transfer(UUID materialId, RangeDecryptor decryptor, InputStream ciphertext, ByteArrayOutputStream head,
                long restFirst,
                long last) {
            this.materialId = materialId;
            this.decryptor = decryptor;
            this.ciphertext = ciphertext;
            this.head = head;
            this.restFirst = restFirst;
            this.last = last;
        }

        /**
         * Writes the plaintext. Throws {@link IntegrityFailure} when a later segment fails authentication,
         * {@link MaterialPurged} when the material stopped being stored meanwhile, any other IOException when
         * the store or the reader failed. Whatever was written before stays written: the caller must treat the
         * output as unfinished.
         */
        void writeTo(OutputStream out) throws IOException {
            try (InputStream in = ciphertext) {
                OutputStream watched = new PurgeWatch(out, materialId);
                head.writeTo(watched);
                if (restFirst <= last) {
                    decryptor.decrypt(in, restFirst, last, watched);
                }
            } catch (CryptoException e) {
                throw new IntegrityFailure("segment failed authentication");
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                Log.errorf("Material %s: decryption stopped (%s)", materialId, e.getClass().getSimpleName());
                throw new IOException("content stream aborted");
            }
        }
    }

    /** Passes writes through, checking every {@link #PURGE_CHECK_INTERVAL} that the material is still stored. */
    private final class PurgeWatch extends FilterOutputStream {

        private final UUID materialId;
        private long checkedAt = System.nanoTime();

        PurgeWatch(OutputStream out, UUID materialId) {
            super(out);
            this.materialId = materialId;
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
        }

        private void check() throws IOException {
            long now = System.nanoTime();
            if (now - checkedAt < PURGE_CHECK_INTERVAL.toNanos()) {
                return;
            }
            checkedAt = now;
            if (!materials.stillStored(materialId)) {
                Log.infof("Material %s: purged while streaming, transfer cut off", materialId);
                throw new MaterialPurged();
            }
        }
    }

    /** Stored content is not what was uploaded. The message is generic: no content, no key. */
    static final class IntegrityFailure extends IOException {

        IntegrityFailure(String reason) {
            super(reason);
        }
    }

    /** The material stopped being stored (purge pending or done) while its content streamed. */
    static final class MaterialPurged extends IOException {

        MaterialPurged() {
            super("material purged during the transfer");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
