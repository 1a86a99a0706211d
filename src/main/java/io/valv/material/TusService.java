package io.valv.material;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.crypto.Digests;
import io.valv.crypto.PlaintextTooLargeException;
import io.valv.crypto.RangeDecryptor;
import io.valv.crypto.ResumableEncryptor;
import io.valv.crypto.ResumeSecrets;
import io.valv.crypto.SegmentCipher;
import io.valv.security.Caller;
import io.valv.storage.BlobStore;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;
import io.valv.web.ShutdownDrain;
import io.valv.web.UploadPace;

/**
 * Resumable uploads (tus 1.0.0) over the same encrypted multipart write as a one-shot upload. Everything a next
 * request needs lives in the database (tus_upload, tus_upload_part) and the object store, so any replica can take
 * it. Each step is its own short transaction; none is held while bytes move.
 * <p>
 * A part's ciphertext goes to the store only when all of its plaintext has arrived; the plaintext received of a
 * part not complete yet (the tail) is kept sealed in the database, so the durable offset moves with every
 * request, whatever its size. docs/crypto.md explains why this never encrypts two plaintexts under one nonce.
 */
@ApplicationScoped
class TusService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MaterialService materials;
    private final MaterialRepository materialRows;
    private final TusUploadRepository uploads;
    private final BlobStore blobs;
    private final UploadConfig config;
    private final Clock clock;
    private final AuditLog audit;
    private final ShutdownDrain drain;
    private final UploadPace pace;
    private final UploadDigests digests;
    /** Where a PATCH's part in flight is uploaded while the next part arrives (no request context needed there). */
    private final ManagedExecutor partUploads = ManagedExecutor.builder().propagated(ThreadContext.NONE)
            .cleared(ThreadContext.ALL_REMAINING).build();

    TusService(MaterialService materials, MaterialRepository materialRows, TusUploadRepository uploads, BlobStore blobs,
            UploadConfig config, Clock clock, AuditLog audit, ShutdownDrain drain,
            UploadPace pace, UploadDigests digests) {
        this.digests = digests;
        this.drain = drain;
        this.pace = pace;
        this.materials = materials;
        this.materialRows = materialRows;
        this.uploads = uploads;
        this.blobs = blobs;
        this.config = config;
        this.clock = clock;
        this.audit = audit;
    }

    /** Where an upload stands; {@code materialId} once it is stored. */
    record Status(String id, long offset, long length, Instant expiresAt, Optional<UUID> materialId) {
    }

    long maxSize() {
        return config.maxSize().asLongValue();
    }

    /** Plaintext bytes per part: the granularity at which offsets become durable. */
    long partSize() {
        return (long) blobs.segmentsPerPart() * SegmentCipher.SEGMENT_SIZE;
    }

    Status create(Caller caller, UUID jobId, long length, TusMetadata metadata) {
        if (length > maxSize()) {
            throw tooLarge();
        }
        MaterialService.PreparedUpload prepared = materials.prepareUpload(caller, jobId, metadata.filename(),
                metadata.mediaType(), metadata.personalData());
        ResumeSecrets secrets = new ResumeSecrets(prepared.dataKey(), prepared.materialId());
        String storeUploadId = null;
        try {
            storeUploadId = blobs.startResumable(prepared.objectKey());
            String multipart = storeUploadId;
            return QuarkusTransaction.requiringNew().call(() -> {
                Material m = materialRows.findById(prepared.materialId());
                m.uploadId = multipart;
                Instant now = Instant.now(clock);
                TusUpload u = new TusUpload();
                u.id = newId();
                u.materialId = m.id;
                u.subject = caller.subject();
                u.clientId = m.clientId;
                u.uploadLength = length;
                u.durableOffset = 0;
                u.expectedSha256 = metadata.sha256().orElse(null);
                u.createdAt = now;
                u.expiresAt = expiry(now, m.expiresAt);
                uploads.persist(u);
                audit.append(AuditEntry.of(Actions.MATERIAL_UPLOAD_CREATE).by(caller).client(m.clientId).job(m.jobId)
                        .material(m.id).bytes(length));
                return new Status(u.id, 0, length, u.expiresAt, Optional.empty());
            });
        } catch (IOException | RuntimeException e) {
            boolean clean = true;
            if (storeUploadId != null) {
                clean = abortQuietly(prepared.objectKey(), storeUploadId);
            }
            discardOrMarkFailed(prepared.materialId(), clean);
            if (e instanceof IOException) {
                throw unavailable();
            }
            throw (RuntimeException) e;
        } finally {
            secrets.destroy();
            Arrays.fill(prepared.dataKey(), (byte) 0);
        }
    }

    Status status(Caller caller, String id) {
        return QuarkusTransaction.requiringNew().call(() -> statusOf(owned(caller, id)));
    }

    /**
     * Appends the body at {@code offset}, which must be the durable offset. Returns the new durable offset; the
     * request that reaches the upload's length completes it and makes the material {@code stored}.
     */
    Status append(Caller caller, String id, long offset, InputStream body) {
        // a shutdown that cuts this PATCH off waits until its durable offset is kept and its lease released
        try (ShutdownDrain.Work work = drain.upload()) {
            return appendLeased(caller, id, offset, pace.watch(body));
        }
    }

    private Status appendLeased(Caller caller, String id, long offset, InputStream body) {
        String lease = newId();
        Begun begun = QuarkusTransaction.requiringNew().call(() -> begin(caller, id, offset, lease));
        if (begun.done() != null) {
            // A PATCH at the end of a completed upload (a retried last request, or a client that opens one more
            // request before it learns there is nothing left, as tus-java-client does when the length is a
            // multiple of its payload size). Read its body before answering: that is what sends the client the
            // "100 Continue" it may wait for (Expect), without which HttpURLConnection refuses the answer.
            if (readsPastTheEnd(body)) {
                throw new ProblemException(413, "too-large", "Content too large",
                        "The upload is complete; the body runs past Upload-Length.");
            }
            return begun.done();
        }
        MaterialService.ResumedUpload resumed = begun.resumed();
        ResumeSecrets secrets = new ResumeSecrets(resumed.dataKey(), resumed.materialId());
        byte[] tail = begun.sealedTail() == null ? new byte[0] : secrets.openTail(begun.sealedTail(), begun.partsOffset());
        PartTailRecorder recorder = new PartTailRecorder(
                tail.length == 0 ? body : new SequenceInputStream(new ByteArrayInputStream(tail), body), partSize());
        // the whole-file SHA-256 over the recorded parts, when this replica has it (else the object is hashed at the end)
        MessageDigest digest = digests.take(id, begun.partsOffset()).orElse(null);
        Reached reached = new Reached(begun.partsOffset(), digest == null ? null : UploadDigests.copy(digest));
        boolean leaseReleased = false;
        boolean stored = false;
        // When the body ends on a part boundary short of the upload's end, the last part's record also releases the
        // lease and reads the answer: one transaction less per request. The caller says which part is the last
        // once the body has ended; if that part was recorded before it said so, the lease goes on its own below.
        AtomicLong releaseWithPartEndingAt = new AtomicLong(-1);
        AtomicReference<Status> releasedWithLastPart = new AtomicReference<>();
        PartPipeline<MessageDigest> pipeline = new PartPipeline<>(partUploads,
                (part, start, tag, ciphertext, length) -> {
                    // committed to before its ciphertext leaves: a later attempt at this part must bring the same bytes
                    QuarkusTransaction.requiringNew().run(() -> reservePart(id, lease, part, start, tag));
                    return blobs.uploadPart(resumed.objectKey(), resumed.uploadId(), part, ciphertext, length);
                },
                (part, start, end, etag) -> {
                    boolean release = releaseWithPartEndingAt.get() == end;
                    Status recorded = QuarkusTransaction.requiringNew()
                            .call(() -> recordPart(id, lease, part, start, end, etag, resumed.expiresAt(), release));
                    if (release) {
                        releasedWithLastPart.set(recorded);
                    }
                },
                (end, digestAtEnd) -> {
                    reached.offset = end;
                    reached.digest = digestAtEnd;
                });
        try {
            if (!begun.allPartsDurable()) {
                SegmentCipher cipher = new SegmentCipher(resumed.dataKey(), resumed.header(), resumed.materialId());
                ResumableEncryptor encryptor = new ResumableEncryptor(cipher, blobs.segmentsPerPart(), begun.length(),
                        secrets.partTag());
                try {
                    long sentEnd = encryptor.encrypt(recorder, begun.partsOffset(), digest,
                            (part, start, end, tag, ciphertext, length) -> {
                                pipeline.send(part, start, end, tag, ciphertext, length,
                                        digest == null ? null : UploadDigests.copy(digest));
                                // its plaintext is in the ciphertext on its way; what is read next is the next part's
                                recorder.partStored();
                            });
                    if (recorder.length() == 0 && sentEnd > begun.partsOffset() && sentEnd < begun.length()) {
                        releaseWithPartEndingAt.set(sentEnd); // nothing to keep after it, and more to come
                    }
                    pipeline.awaitAll();
                } catch (IOException e) {
                    // the client went away mid-body or the store failed: keep what arrived of the unfinished part,
                    // once the part before it is durable; after a part the store did not take, nothing
                    if (!pipeline.failed()) {
                        try {
                            pipeline.awaitAll();
                        } catch (IOException storeFailed) {
                            // pipeline.failed() says so now
                        }
                    }
                    if (pipeline.failed()) {
                        recorder.clear();
                    }
                    keepTail(id, lease, reached.offset, begun, recorder, secrets);
                    throw e;
                }
            }
            if (reached.offset < begun.length()) {
                Status recordedLast = releasedWithLastPart.get();
                if (recordedLast != null && recordedLast.offset() == reached.offset) {
                    leaseReleased = true;
                    return recordedLast;
                }
                keepTail(id, lease, reached.offset, begun, recorder, secrets);
                // the lease goes in the transaction that reads the answer: one round trip less per request
                Status status = QuarkusTransaction.requiringNew().call(() -> {
                    uploads.releaseLease(id, lease);
                    return statusOf(uploads.findById(id));
                });
                leaseReleased = true;
                return status;
            }
            Status status = complete(caller, id, resumed, begun, digest == null ? null : digest.digest());
            stored = true;
            return status;
        } catch (PlaintextTooLargeException e) {
            throw new ProblemException(413, "too-large", "Content too large",
                    "The body runs past Upload-Length; nothing of its last part was kept.");
        } catch (UploadPace.TooSlow e) {
            throw new ProblemException(ProblemType.BODY_TOO_SLOW, "The body arrived too slowly (" + e.getMessage()
                    + "); what arrived is kept: ask for the offset with HEAD and resume.");
        } catch (IOException e) {
            // what is durable stays (whole parts and the sealed tail); the client resumes from the offset HEAD answers
            Log.debugf("PATCH of upload for material %s ended early: %s", resumed.materialId(), e.getClass().getSimpleName());
            throw unavailable();
        } finally {
            pipeline.close();
            recorder.clear();
            Arrays.fill(tail, (byte) 0);
            secrets.destroy();
            Arrays.fill(resumed.dataKey(), (byte) 0);
            if (!stored && reached.digest != null) {
                digests.keep(id, reached.offset, reached.digest);
            }
            if (!leaseReleased) {
                try {
                    QuarkusTransaction.requiringNew().run(() -> uploads.releaseLease(id, lease));
                } catch (RuntimeException e) {
                    Log.warnf("Could not release an upload lease now; it lapses by itself");
                }
            }
        }
    }

    /**
     * Keeps the plaintext received of the part after {@code partsOffset} (sealed, in the database, in the same
     * transaction that moves the durable offset), so that a request of any size makes progress. Nothing is kept
     * when nothing new arrived, or when the bytes would fill the part or end the upload: those are a part the store
     * did not take (it failed), whose bytes the client must send again.
     */
    private void keepTail(String id, String lease, long partsOffset, Begun begun, PartTailRecorder recorder,
            ResumeSecrets secrets) {
        int length = recorder.length();
        long alreadyDurable = partsOffset == begun.partsOffset() ? begun.durableOffset() - begun.partsOffset() : 0;
        if (length <= alreadyDurable || length >= partSize() || partsOffset + length >= begun.length()) {
            return;
        }
        byte[] sealed = secrets.sealTail(recorder.bytes(), length, partsOffset);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                TusUpload u = requireLease(id, lease, partsOffset);
                uploads.saveTail(id, partsOffset, sealed);
                u.durableOffset = partsOffset + length;
                u.tailLength = length;
                Instant now = Instant.now(clock);
                u.leaseUntil = now.plus(config.resumableLease());
                u.expiresAt = expiry(now, begun.resumed().expiresAt());
            });
        } catch (RuntimeException e) {
            // the lease lapsed or the database is away: the tail is lost, the offset stays where it was
            Log.debugf("Could not keep the tail of upload for material %s: %s", begun.resumed().materialId(),
                    e.getClass().getSimpleName());
        }
    }

    /** Termination: abandons the upload and leaves no row and no part behind. Idempotent for a stored one. */
    void terminate(Caller caller, String id) {
        TusUpload u = QuarkusTransaction.requiringNew().call(() -> {
            TusUpload owned = owned(caller, id);
            Instant now = Instant.now(clock);
            if (!owned.completed && !uploads.takeLease(id, newId(), now, now.plus(config.resumableLease()))) {
                throw new ProblemException(ProblemType.UPLOAD_BUSY, "Another request is appending to this upload.");
            }
            return owned;
        });
        if (u.completed) {
            // the material is stored: the upload's record goes, the material stays (erasure is DELETE /materials)
            QuarkusTransaction.requiringNew().run(() -> uploads.deleteWithParts(uploads.findById(id)));
            return;
        }
        abandon(u.id, Optional.of(caller), "terminated");
    }

    /**
     * Aborts the multipart upload, then removes the upload's rows and its material row and key. When the store
     * cannot be told now, the material row stays {@code failed} for {@link UploadSweeper} to finish.
     */
    void abandon(String id, Optional<Caller> caller, String why) {
        Material m = QuarkusTransaction.requiringNew().call(() -> materialRows.findById(uploads.findById(id).materialId));
        // an assembled upload has an object and no multipart upload left; deleting an absent object is no error
        boolean clean = (m.uploadId == null || abortQuietly(m.objectKey, m.uploadId)) && deleteQuietly(m.objectKey);
        QuarkusTransaction.requiringNew().run(() -> {
            TusUpload u = uploads.locked(id);
            if (u != null) {
                uploads.deleteWithParts(u);
            }
            AuditEntry entry = AuditEntry.of(Actions.MATERIAL_UPLOAD_ABANDON).client(m.clientId).job(m.jobId)
                    .material(m.id).detail(why);
            audit.append(caller.isPresent() ? entry.by(caller.get()) : entry.bySystem());
        });
        discardOrMarkFailed(m.id, clean);
    }

    private record Begun(Status done, MaterialService.ResumedUpload resumed, long length, boolean allPartsDurable,
            boolean assembled, Optional<byte[]> expectedSha256, long partsOffset, long durableOffset,
            byte[] sealedTail) {
    }

    /**
     * How far this request got that is recorded (the durable part offset), with the whole-file digest at that
     * offset ({@code null}: not known on this replica).
     */
    private static final class Reached {
        long offset;
        MessageDigest digest;

        Reached(long offset, MessageDigest digest) {
            this.offset = offset;
            this.digest = digest;
        }
    }

    private static boolean readsPastTheEnd(InputStream body) {
        try {
            return body != null && body.read() != -1;
        } catch (IOException e) {
            return false; // the client went away; the upload is complete either way
        }
    }

    private Begun begin(Caller caller, String id, long offset, String lease) {
        TusUpload u = owned(caller, id);
        if (u.completed) {
            if (offset != u.uploadLength) {
                throw offsetMismatch(u.uploadLength);
            }
            return new Begun(statusOf(u), null, 0, false, false, Optional.empty(), 0, 0, null);
        }
        if (offset != u.durableOffset) {
            throw offsetMismatch(u.durableOffset);
        }
        Instant now = Instant.now(clock);
        if (!uploads.takeLease(id, lease, now, now.plus(config.resumableLease()))) {
            throw new ProblemException(ProblemType.UPLOAD_BUSY, "Another request is appending to this upload.");
        }
        MaterialService.ResumedUpload resumed = materials.resumeUpload(u.materialId);
        boolean allPartsDurable = u.durableOffset == u.uploadLength && (u.uploadLength > 0 || !uploads.etags(id).isEmpty());
        byte[] sealedTail = u.tailLength == 0 ? null
                : uploads.tail(id, u.partsOffset()).orElseThrow(() -> new IllegalStateException("tail row missing"));
        return new Begun(null, resumed, u.uploadLength, allPartsDurable, u.assembled,
                Optional.ofNullable(u.expectedSha256), u.partsOffset(), u.durableOffset, sealedTail);
    }

    /**
     * Commits to the plaintext of a part before its ciphertext leaves the process: if an earlier attempt at this
     * part may have reached the store, this attempt must carry the same plaintext (hence the same ciphertext).
     * The part before may still be in flight (not recorded yet), so {@code start} is at or after the recorded parts.
     */
    private void reservePart(String id, String lease, int part, long start, byte[] tag) {
        TusUpload u = uploads.locked(id);
        if (u == null || !lease.equals(u.leaseToken) || start < u.partsOffset()) {
            throw takenOver();
        }
        if (!uploads.reservePending(id, part, tag)) {
            // an earlier attempt committed to this part (the insert did nothing): this one must bring the same bytes
            byte[] committed = uploads.pendingTag(id, part)
                    .orElseThrow(() -> new IllegalStateException("commitment vanished under the row lock"));
            if (!MessageDigest.isEqual(committed, tag)) {
                throw new ProblemException(ProblemType.RESUMED_PART_DIFFERS, "These bytes differ from the ones sent for "
                        + "offset " + start + " before; resend the same bytes, or terminate the upload and start again.");
            }
        }
        u.leaseUntil = Instant.now(clock).plus(config.resumableLease());
    }

    /**
     * Records a stored part: its end becomes the durable offset, and its commitment and the sealed tail it
     * consumed go. With {@code releaseLease}, the request is done with the upload.
     */
    private Status recordPart(String id, String lease, int part, long start, long end, String etag,
            Instant materialExpiresAt, boolean releaseLease) {
        TusUpload u = requireLease(id, lease, start);
        uploads.addPart(id, part, etag);
        if (u.tailLength > 0) { // a tail row exists exactly while tail_length says so
            uploads.deleteTail(id);
        }
        u.durableOffset = end;
        u.tailLength = 0;
        Instant now = Instant.now(clock);
        if (releaseLease) {
            u.leaseToken = null;
            u.leaseUntil = null;
        } else {
            u.leaseUntil = now.plus(config.resumableLease());
        }
        u.expiresAt = expiry(now, materialExpiresAt);
        return statusOf(u);
    }

    private TusUpload requireLease(String id, String lease, long start) {
        TusUpload u = uploads.locked(id);
        if (u == null || !lease.equals(u.leaseToken) || u.partsOffset() != start) {
            throw takenOver();
        }
        return u;
    }

    /** This request's lease lapsed and another took the upload over: it stops here. */
    private static ProblemException takenOver() {
        return new ProblemException(ProblemType.UPLOAD_BUSY, "Another request took over this upload.");
    }

    /**
     * Assembles the object from its parts and makes the material {@code stored}. {@code sha256} is the whole-file
     * digest when this replica hashed every byte; {@code null} when the upload came here mid-way, and then the
     * assembled object is read back and hashed (decrypting each segment authenticates it too).
     */
    private Status complete(Caller caller, String id, MaterialService.ResumedUpload resumed, Begun begun, byte[] sha256)
            throws IOException {
        if (sha256 != null && !matchesExpected(begun, sha256)) {
            abandon(id, Optional.of(caller), "digest mismatch");
            throw digestMismatch();
        }
        if (!begun.assembled()) {
            List<String> etags = QuarkusTransaction.requiringNew().call(() -> uploads.etags(id));
            blobs.completeResumable(resumed.objectKey(), resumed.uploadId(), etags);
            QuarkusTransaction.requiringNew().run(() -> {
                uploads.findById(id).assembled = true;
                materialRows.findById(resumed.materialId()).uploadId = null; // nothing to abort any more
            });
        }
        if (sha256 == null) {
            sha256 = hashAssembled(resumed, begun.length());
            if (!matchesExpected(begun, sha256)) {
                abandon(id, Optional.of(caller), "digest mismatch");
                throw digestMismatch();
            }
        }
        byte[] digest = sha256;
        long length = begun.length();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Material m = materials.markStored(caller, resumed.materialId(), length,
                        SegmentCipher.ciphertextLength(length), digest);
                TusUpload u = uploads.findById(id);
                u.completed = true;
                u.durableOffset = length;
                return statusOf(u);
            });
        } catch (RuntimeException e) {
            // whole but refused (its job, DPA or client closed meanwhile): its object is deleted with the upload
            try {
                abandon(id, Optional.of(caller), "refused at completion");
            } catch (RuntimeException again) {
                Log.warnf("Could not remove refused upload %s now; the sweeper will", resumed.materialId());
            }
            throw e;
        }
    }

    private TusUpload owned(Caller caller, String id) {
        TusUpload u = id == null || id.length() > 64 ? null : uploads.findById(id);
        // someone else's upload is indistinguishable from none
        if (u == null || !u.subject.equals(caller.subject()) || !caller.clientId().equals(Optional.of(u.clientId))) {
            throw ProblemException.notFound("Upload");
        }
        if (!u.completed && u.expiresAt.isBefore(Instant.now(clock))) {
            throw new ProblemException(ProblemType.UPLOAD_EXPIRED, "This upload has expired; start a new one.");
        }
        return u;
    }

    private Status statusOf(TusUpload u) {
        return new Status(u.id, u.durableOffset, u.uploadLength, u.expiresAt,
                u.completed ? Optional.of(u.materialId) : Optional.empty());
    }

    private Instant expiry(Instant now, Instant materialExpiresAt) {
        Instant byActivity = now.plus(config.resumableExpireAfter());
        return byActivity.isBefore(materialExpiresAt) ? byActivity : materialExpiresAt;
    }

    private boolean matchesExpected(Begun begun, byte[] sha256) {
        return begun.expectedSha256().isEmpty() || MessageDigest.isEqual(begun.expectedSha256().get(), sha256);
    }

    private static ProblemException digestMismatch() {
        return ProblemException.badRequest("digest-mismatch",
                "The upload does not match its sha256 metadata; nothing was stored.");
    }

    /** The standard SHA-256 of the assembled object's plaintext, streamed: one segment in memory at a time. */
    private byte[] hashAssembled(MaterialService.ResumedUpload resumed, long length) throws IOException {
        MessageDigest digest = Digests.sha256();
        if (length == 0) {
            return digest.digest();
        }
        RangeDecryptor.CiphertextRange range = RangeDecryptor.ciphertextRange(length, 0, length - 1);
        SegmentCipher cipher = new SegmentCipher(resumed.dataKey(), resumed.header(), resumed.materialId());
        try (InputStream ciphertext = blobs.read(resumed.objectKey(), range.first(), range.last()).content()) {
            new RangeDecryptor(cipher, length).decrypt(ciphertext, 0, length - 1, new OutputStream() {
                @Override
                public void write(int b) {
                    digest.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    digest.update(b, off, len);
                }
            });
        }
        return digest.digest();
    }

    private boolean deleteQuietly(String objectKey) {
        try {
            blobs.delete(List.of(objectKey));
            return true;
        } catch (IOException e) {
            Log.warnf("Could not delete an abandoned upload's object now; the sweeper will retry");
            return false;
        }
    }

    private boolean abortQuietly(String objectKey, String storeUploadId) {
        try {
            blobs.abandonUpload(objectKey, storeUploadId);
            return true;
        } catch (IOException e) {
            Log.warnf("Could not abort a multipart upload now; the sweeper will retry");
            return false;
        }
    }

    private void discardOrMarkFailed(UUID materialId, boolean storeClean) {
        try {
            if (storeClean) {
                materials.discardUpload(materialId);
            } else {
                materials.markFailed(materialId);
            }
        } catch (RuntimeException e) {
            Log.warnf("Could not record abandoned upload %s now; the sweeper will", materialId);
        }
    }

    private static ProblemException offsetMismatch(long durable) {
        return new ProblemException(ProblemType.UPLOAD_OFFSET_MISMATCH,
                "Upload-Offset must be the upload's durable offset, " + durable + "; ask with HEAD.");
    }

    private ProblemException tooLarge() {
        return new ProblemException(413, "too-large", "Content too large",
                "Uploads are limited to " + maxSize() + " bytes; nothing was stored.");
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "storage-unavailable", "Upload interrupted",
                "The request ended before its last part was durable; ask for the offset with HEAD and resume.");
    }

    /** 256 random bits, base64url: unguessable, and says nothing about the material. */
    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
