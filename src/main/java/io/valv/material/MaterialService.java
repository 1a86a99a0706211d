package io.valv.material;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.client.ClientService;
import io.valv.crypto.EnvelopeCrypto;
import io.valv.crypto.StreamHeader;
import io.valv.dpa.Dpa;
import io.valv.dpa.DpaService;
import io.valv.job.Job;
import io.valv.job.JobService;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * Material records and the rules around them. Each method is one short transaction: no transaction
 * is ever held open while bytes stream to or from the object store.
 */
@ApplicationScoped
public class MaterialService {

    /** The processor's promise: never kept more than one year after upload, whatever a DPA says. */
    static final Duration MAX_RETENTION = Duration.ofDays(365);

    private final MaterialRepository materials;
    private final MaterialKeyRepository keys;
    private final JobService jobs;
    private final DpaService dpas;
    private final ClientService clients;
    private final EnvelopeCrypto crypto;
    private final Clock clock;
    private final AuditLog audit;
    private final jakarta.enterprise.event.Event<MaterialStored> stored;
    private final SecureRandom random = new SecureRandom();
    private final ReadPhases phases;

    MaterialService(MaterialRepository materials, MaterialKeyRepository keys, JobService jobs, DpaService dpas,
            ClientService clients, EnvelopeCrypto crypto, Clock clock, AuditLog audit,
            jakarta.enterprise.event.Event<MaterialStored> stored, ReadPhases phases) {
        this.stored = stored;
        this.phases = phases;
        this.materials = materials;
        this.keys = keys;
        this.jobs = jobs;
        this.dpas = dpas;
        this.clients = clients;
        this.crypto = crypto;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Checks every rule for an upload and records the material as {@code uploading}, with a fresh
     * wrapped data key. Returns the plaintext data key for this one transfer.
     */
    @Transactional
    PreparedUpload prepareUpload(Caller caller, UUID jobId, String filename, String mediaType, boolean personalData) {
        Job job = jobs.find(caller, jobId);
        if (!AccessPolicy.mayUpload(caller, job.clientId)) {
            throw ProblemException.forbidden("Your role does not allow uploading into this job.");
        }
        if (!job.isOpen()) {
            throw ProblemException.conflict("job-closed", "The job is no longer open for uploads.");
        }
        Dpa dpa = dpas.requireUploadAllowed(job.dpaId, personalData);
        clients.requireAcceptsNewMaterial(job.clientId);
        byte[] wrappedClientKey = clients.wrappedKeyOf(job.clientId);

        Instant now = Instant.now(clock);
        Material m = new Material();
        m.id = UUID.randomUUID();
        m.jobId = job.id;
        m.clientId = job.clientId;
        m.dpaId = dpa.id;
        m.filename = filename;
        m.mediaType = mediaType;
        m.personalData = personalData;
        m.uploader = caller.subject();
        m.uploadedAt = now;
        m.expiresAt = now.plus(Duration.ofDays(Math.min(dpa.retentionDays, MAX_RETENTION.toDays())));
        m.state = Material.State.UPLOADING;
        m.objectKey = newObjectKey();
        StreamHeader header = crypto.newStreamHeader();
        m.streamHeader = header.encode();
        materials.persist(m);

        EnvelopeCrypto.DataKey dataKey = crypto.newDataKey(job.clientId, wrappedClientKey, m.id);
        MaterialKey key = new MaterialKey();
        key.materialId = m.id;
        key.wrappedKey = dataKey.wrapped();
        keys.persist(key);
        return new PreparedUpload(m.id, m.objectKey, header, dataKey.plaintext());
    }

    @Transactional
    void recordUploadId(UUID materialId, String uploadId) {
        materials.findById(materialId).uploadId = uploadId;
    }

    /**
     * The ciphertext is durable: the material becomes {@code stored}, and its upload an audit event — but
     * only if its client, DPA and job still take it (lifecycle rule 1). The checks hold shared locks on those
     * three rows until this transaction commits; every closing operation (offboarding, DPA termination, job
     * completion or erasure) locks its row exclusively before it marks "everything of X", so a material is
     * either stored before the closing operation marks it, or refused after it. Lock order client → DPA →
     * job; each closing operation locks a single row, so no cycle can form.
     */
    @Transactional
    Material markStored(Caller caller, UUID materialId, long size, long ciphertextSize, byte[] sha256) {
        Material m = materials.findById(materialId);
        clients.requireAcceptsNewMaterial(m.clientId);
        dpas.requireTakesNewMaterial(m.dpaId);
        jobs.requireAcceptsUpload(m.jobId, m.uploadedAt);
        m.size = size;
        m.ciphertextSize = ciphertextSize;
        m.sha256 = HexFormat.of().formatHex(sha256);
        m.uploadId = null;
        m.state = Material.State.STORED;
        audit.append(AuditEntry.of(Actions.MATERIAL_UPLOAD).by(caller).client(m.clientId).job(m.jobId).material(m.id)
                .bytes(size));
        stored.fire(new MaterialStored(m.id, m.clientId, m.jobId, m.filename, size, m.sha256, m.expiresAt));
        return m;
    }

    /**
     * The data key of an upload in progress, for its next request: only while its client, DPA and job still
     * take new material (the same checks as {@link #markStored}), so that a job completed, a DPA terminated or a
     * client offboarded mid-upload refuses every further chunk.
     */
    @Transactional
    ResumedUpload resumeUpload(UUID materialId) {
        Material m = materials.findById(materialId);
        MaterialKey key = m == null ? null : keys.findById(m.id);
        if (m == null || m.state != Material.State.UPLOADING || key == null) {
            throw ProblemException.notFound("Upload");
        }
        clients.requireAcceptsNewMaterial(m.clientId);
        dpas.requireTakesNewMaterial(m.dpaId);
        jobs.requireAcceptsUpload(m.jobId, m.uploadedAt);
        byte[] dataKey = crypto.unwrapDataKey(m.clientId, clients.wrappedKeyOf(m.clientId), m.id, key.wrappedKey);
        return new ResumedUpload(m.id, m.objectKey, m.uploadId, StreamHeader.decode(m.streamHeader), dataKey,
                m.expiresAt);
    }

    /** {@code expiresAt}: the material's own limit, fixed when the upload was created. */
    record ResumedUpload(UUID materialId, String objectKey, String uploadId, StreamHeader header, byte[] dataKey,
            Instant expiresAt) {
    }

    /** The store could not be cleaned up now: keep the row so that the sweeper aborts and deletes later. */
    @Transactional
    void markFailed(UUID materialId) {
        materials.findById(materialId).state = Material.State.FAILED;
    }

    /** A failed upload leaves no row behind; its object was aborted or is removed by the sweeper. */
    @Transactional
    void discardUpload(UUID materialId) {
        keys.deleteById(materialId);
        materials.deleteById(materialId);
    }

    /**
     * Metadata of one stored material the caller may see. The read's event is committed (group commit)
     * after the lookup's transaction has ended, so that the wait holds no database connection, and before
     * anything is returned.
     */
    public Material visible(Caller caller, UUID materialId) {
        Material m = visibleUnrecorded(caller, materialId);
        audit.appendRead(AuditEntry.of(Actions.MATERIAL_METADATA_READ).by(caller).client(m.clientId).job(m.jobId)
                .material(m.id));
        return m;
    }

    @Transactional
    Material visibleUnrecorded(Caller caller, UUID materialId) {
        MaterialRepository.ReadRow row = materials.readRow(materialId, caller.subject()).orElse(null);
        Material m = row == null ? null : row.material();
        if (m == null || !m.isVisible() || !AccessPolicy.mayKnowOf(caller, m.clientId)) {
            throw ProblemException.notFound("Material");
        }
        boolean assigned = AccessPolicy.mayHoldAssignment(caller) && row.subjectAssigned();
        if (!AccessPolicy.mayReadMetadata(caller, m.clientId, assigned)) {
            throw ProblemException.forbidden("You are not assigned to this material's job.");
        }
        return m;
    }

    /** The job's materials; recorded like {@link #visible}. */
    public List<Material> inJob(Caller caller, UUID jobId) {
        Listing listing = listUnrecorded(caller, jobId);
        audit.appendRead(AuditEntry.of(Actions.MATERIAL_LIST).by(caller).client(listing.job().clientId)
                .job(listing.job().id));
        return listing.materials();
    }

    record Listing(Job job, List<Material> materials) {
    }

    @Transactional
    Listing listUnrecorded(Caller caller, UUID jobId) {
        Job job = jobs.visible(caller, jobId);
        return new Listing(job, materials.inJob(job.id));
    }

    /**
     * Authorizes a content read, records it in the audit log and only then unwraps the data key
     * (fail-closed: no event, no key). The caller streams after this has returned; the key lives only for
     * that transfer. The range headers only size the event; the resource serves the range.
     *
     * <p>
     * Everything the read decides on comes from one query ({@link MaterialRepository#readRow}), in the
     * transaction that also records a coalesced range read; a read with an event of its own commits it through
     * the group commit after that transaction has ended, so that the wait holds no database connection. The
     * wrapped keys are read with the row, in the same snapshot as the checks, and unwrapped only once the event
     * is durable, in memory. {@code onAuthorized} is told what will be served as soon as every check has passed,
     * before the event is durable, so that the caller can fetch ciphertext meanwhile: ciphertext only, since no
     * key exists in plaintext and nothing is released until this method has returned.
     */
    ReadableMaterial openForRead(Caller caller, UUID materialId, String rangeHeader, String ifRange,
            Consumer<PlannedRead> onAuthorized) {
        long t0 = System.nanoTime();
        AuthorizedRead read = authorizeRead(caller, materialId, rangeHeader, ifRange, onAuthorized);
        phases.record(ReadPhases.Phase.LOOKUP, t0, read.lookedUpAt());
        read.unrecorded().ifPresent(audit::commitRead);
        long t = phases.record(ReadPhases.Phase.AUDIT, read.lookedUpAt(), System.nanoTime());
        Material m = read.row().material();
        if (read.content().unsatisfiable()) {
            // recorded like any read, and refused before a key is unwrapped
            throw new ProblemException(ProblemType.RANGE_NOT_SATISFIABLE, "The requested range lies outside the content.")
                    .header("Content-Range", "bytes */" + m.size);
        }
        byte[] dataKey = crypto.unwrapDataKey(m.clientId, clients.wrappedKeyOf(read.row().client()), m.id,
                read.row().wrappedDataKey());
        phases.record(ReadPhases.Phase.UNWRAP, t, System.nanoTime());
        return new ReadableMaterial(m.id, m.objectKey, m.filename, m.mediaType, m.size, m.ciphertextSize, m.sha256,
                StreamHeader.decode(m.streamHeader), read.content().range().orElse(null), dataKey);
    }

    /** What an authorized read will serve, for fetching its ciphertext early: {@code range} null for all of it. */
    record PlannedRead(String objectKey, long size, ByteRange range) {
    }

    record AuthorizedRead(MaterialRepository.ReadRow row, ContentRead content,
            java.util.Optional<AuditLog.PendingRead> unrecorded, long lookedUpAt) {
    }

    /** Checks the read and records it, or returns its event for the caller to commit. */
    @Transactional
    AuthorizedRead authorizeRead(Caller caller, UUID materialId, String rangeHeader, String ifRange,
            Consumer<PlannedRead> onAuthorized) {
        MaterialRepository.ReadRow row = materials.readRow(materialId, caller.subject()).orElse(null);
        long lookedUpAt = System.nanoTime();
        Material m = row == null ? null : row.material();
        if (m == null || !m.isVisible() || !AccessPolicy.mayKnowOf(caller, m.clientId)) {
            throw ProblemException.notFound("Material");
        }
        Job job = row.job();
        boolean assigned = AccessPolicy.mayHoldAssignment(caller) && row.subjectAssigned();
        if (!AccessPolicy.mayReadContent(caller, m.clientId, assigned, job.isOpen())) {
            throw ProblemException.forbidden(job.isOpen() ? "Your role or assignment does not allow reading this content."
                    : "The job is closed; its content can no longer be read by staff.");
        }
        // a purge deletes the key and marks the row in one transaction: in one snapshot both say the same
        if (m.state != Material.State.STORED || row.wrappedDataKey() == null) {
            throw purged();
        }
        ContentRead read = ContentRead.of(m, rangeHeader, ifRange);
        if (!read.unsatisfiable()) {
            onAuthorized.accept(new PlannedRead(m.objectKey, m.size, read.range().orElse(null)));
        }
        AuditEntry entry = AuditEntry.of(Actions.MATERIAL_CONTENT_READ).by(caller).client(m.clientId).job(m.jobId)
                .material(m.id).bytes(read.bytes()).detail(read.detail());
        read.range().ifPresent(r -> entry.range(r.first(), r.last()));
        return new AuthorizedRead(row, read, audit.appendContentRead(entry), lookedUpAt);
    }

    static ProblemException purged() {
        return new ProblemException(410, "material-purged", "Gone", "This material has been destroyed.");
    }

    /** A whole-content read (export bundles): audited like the content endpoint. */
    ReadableMaterial openForRead(Caller caller, UUID materialId) {
        return openForRead(caller, materialId, null, null, planned -> {
        });
    }

    /** 128 random bits, hex, fanned out by a two-character prefix. Says nothing about the material. */
    private String newObjectKey() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String hex = HexFormat.of().formatHex(bytes);
        return "m/" + hex.substring(0, 2) + "/" + hex;
    }

    /**
     * What a content read serves, decided once from {@code Range} and {@code If-Range} (a range applies only when
     * {@code If-Range} is absent or the current ETag): the whole content, one range, or nothing (unsatisfiable).
     */
    record ContentRead(long bytes, String detail, java.util.Optional<ByteRange> range, boolean unsatisfiable) {

        static ContentRead of(Material m, String rangeHeader, String ifRange) {
            boolean rangeApplies = ifRange == null || ifRange.equals("\"" + m.sha256 + "\"");
            try {
                java.util.Optional<ByteRange> range = rangeApplies ? ByteRange.parse(rangeHeader, m.size)
                        : java.util.Optional.empty();
                return range.map(r -> new ContentRead(r.length(), "bytes " + r.first() + "-" + r.last(), range, false))
                        .orElse(new ContentRead(m.size, "whole", range, false));
            } catch (ByteRange.Unsatisfiable e) {
                // not coalesced: a refused range serves nothing and stays a chained event of its own
                return new ContentRead(0, "range not satisfiable", java.util.Optional.empty(), true);
            }
        }
    }

    record PreparedUpload(UUID materialId, String objectKey, StreamHeader header, byte[] dataKey) {
    }

    /** A read that may go ahead: what to serve ({@code range} null for all of it) and the key to decrypt it with. */
    record ReadableMaterial(UUID id, String objectKey, String filename, String mediaType, long size,
            long ciphertextSize, String sha256, StreamHeader header, ByteRange range, byte[] dataKey) {
    }

    /** Why material is destroyed; the value is stored and printed on certificates. */
    public enum PurgeReason {
        JOB_COMPLETED("job-completed"),
        RETENTION_EXPIRED("retention-expired"),
        CLIENT_INSTRUCTION("client-instruction"),
        DPA_TERMINATED("dpa-terminated"),
        OFFBOARDED("offboarded");

        public final String value;

        PurgeReason(String value) {
            this.value = value;
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public int markJobForPurge(UUID jobId, PurgeReason reason) {
        return materials.markForPurge("jobId", reason.value, jobId);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public int markDpaForPurge(UUID dpaId, PurgeReason reason) {
        return materials.markForPurge("dpaId", reason.value, dpaId);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public int markClientForPurge(String clientId, PurgeReason reason) {
        return materials.markForPurge("clientId", reason.value, clientId);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public int markExpired() {
        return materials.markExpired(Instant.now(clock));
    }

    /**
     * The client admin's erasure instruction for one material. Idempotent: an already purged or pending
     * material is accepted again without change.
     */
    @Transactional
    public Material instructErasure(Caller caller, UUID materialId) {
        Material m = materials.findById(materialId);
        if (m == null || !m.isVisible() || !AccessPolicy.mayKnowOf(caller, m.clientId)) {
            throw ProblemException.notFound("Material");
        }
        if (!AccessPolicy.mayErase(caller, m.clientId)) {
            throw ProblemException.forbidden("Only the client's admin can instruct erasure.");
        }
        // A guarded UPDATE, never a read-modify-write of the entity: between the read above and the flush,
        // another replica may mark this material and purge it; writing back the state read here would turn
        // the purged row into purge-pending again, and it would be purged (and recorded) a second time.
        if (m.state == Material.State.STORED) {
            materials.markErased(m.id, PurgeReason.CLIENT_INSTRUCTION.value);
            materials.getEntityManager().refresh(m); // the state as it is now, for the answer
        }
        audit.append(AuditEntry.of(Actions.MATERIAL_ERASE).by(caller).client(m.clientId).job(m.jobId).material(m.id));
        return m;
    }

    /** Erasure instruction for every material of a job; returns how many were newly marked. */
    @Transactional
    public int instructJobErasure(Caller caller, UUID jobId) {
        Job job = jobs.lockedForClosing(caller, jobId);
        if (!AccessPolicy.mayErase(caller, job.clientId)) {
            throw ProblemException.forbidden("Only the client's admin can instruct erasure.");
        }
        jobs.recordErasureInstruction(job);
        int marked = materials.markForPurge("jobId", PurgeReason.CLIENT_INSTRUCTION.value, jobId);
        audit.append(AuditEntry.of(Actions.MATERIAL_ERASE).by(caller).client(job.clientId).job(job.id)
                .detail(marked + " materials"));
        return marked;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public List<Material> claimPurgeBatch(int limit) {
        return materials.claimPurgeBatch(limit);
    }

    /**
     * The cryptographic erase of a claimed purge batch: the wrapped data keys are deleted and the rows record
     * the destruction, one statement each for the whole batch. The rows stay locked by the claim; the
     * entities are detached first and then given the same values, so that the certificates are written from
     * what the rows now say and no second update per row follows at flush.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordPurged(List<Material> batch, Instant purgedAt) {
        List<UUID> ids = batch.stream().map(m -> m.id).toList();
        keys.delete("materialId in ?1", ids);
        materials.update("state = ?1, purgedAt = ?2 where id in ?3", Material.State.PURGED, purgedAt, ids);
        for (Material m : batch) {
            materials.getEntityManager().detach(m);
            m.state = Material.State.PURGED;
            m.purgedAt = purgedAt;
        }
    }

    @Transactional
    public long countPendingPurge() {
        return materials.countPending();
    }

    @Transactional
    public Instant oldestOverdue() {
        return materials.oldestOverdue(Instant.now(clock));
    }

    @Transactional
    public Material require(UUID materialId) {
        Material m = materials.findById(materialId);
        if (m == null) {
            throw ProblemException.notFound("Material");
        }
        return m;
    }

    /** Everything still stored for a client, for the client's own admin (return of data). */
    @Transactional
    public List<Material> storedOfClient(Caller caller, String clientId) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayExport(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin can export its material.");
        }
        return materials.list("clientId = ?1 and state = ?2 order by uploadedAt", clientId, Material.State.STORED);
    }

    /**
     * The client's file names of the materials named, stored or not (the access log and the certificates name
     * destroyed ones too); an id that is not this client's is left out. Only for a caller who may read the client's
     * records: its admin or the auditor.
     */
    @Transactional
    public Map<UUID, String> filenamesOf(Caller caller, String clientId, Collection<UUID> ids) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayReadAuditOf(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin and the auditor can read its records.");
        }
        Map<UUID, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            materials.find("clientId = ?1 and id in ?2", clientId, ids).list().forEach(m -> names.put(m.id, m.filename));
        }
        return names;
    }

    @Transactional
    public List<Material> purgedOfJob(UUID jobId) {
        return materials.list("jobId = ?1 and state = ?2 order by purgedAt", jobId, Material.State.PURGED);
    }

    @Transactional
    public List<Material> purgedOfClient(String clientId) {
        return materials.list("clientId = ?1 and state = ?2 order by purgedAt", clientId, Material.State.PURGED);
    }

    /**
     * Whether the material is still stored with its data key: what a streaming transfer re-checks, so that a
     * purge marked or done on any replica cuts it off. Purge-pending already counts as gone.
     */
    @Transactional
    boolean stillStored(UUID materialId) {
        return materials.count("id = ?1 and state = ?2", materialId, Material.State.STORED) > 0
                && keys.count("materialId", materialId) > 0;
    }

    /** Everything still stored in one job of the client, for the client's own admin (return of data per job). */
    @Transactional
    public List<Material> storedOfJob(Caller caller, String clientId, UUID jobId) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayExport(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin can export its material.");
        }
        Job job = jobs.find(caller, jobId);
        if (!job.clientId.equals(clientId)) {
            throw ProblemException.notFound("Job");
        }
        return materials.list("jobId = ?1 and state = ?2 order by uploadedAt", jobId, Material.State.STORED);
    }

    /**
     * What one uploader (e.g. an upload link's subject) has put into Valv: files and bytes stored (erased or
     * purged ones included: their bytes were taken), and uploads in progress with the length they declared.
     */
    public record UploadsBy(long storedFiles, long storedBytes, long pendingFiles, long pendingBytes, Instant lastStored) {

        public long files() {
            return storedFiles + pendingFiles;
        }

        public long bytes() {
            return storedBytes + pendingBytes;
        }
    }

    @Transactional
    public UploadsBy uploadsBy(String uploader) {
        Object[] stored = (Object[]) materials.getEntityManager().createQuery(
                "select count(m), coalesce(sum(m.size), 0), max(m.uploadedAt) from Material m"
                        + " where m.uploader = ?1 and m.state in ?2")
                .setParameter(1, uploader)
                .setParameter(2, List.of(Material.State.STORED, Material.State.PURGE_PENDING, Material.State.PURGED))
                .getSingleResult();
        Object[] pending = (Object[]) materials.getEntityManager().createQuery(
                "select count(u), coalesce(sum(u.uploadLength), 0) from TusUpload u, Material m"
                        + " where u.materialId = m.id and m.uploader = ?1 and m.state = ?2")
                .setParameter(1, uploader).setParameter(2, Material.State.UPLOADING).getSingleResult();
        return new UploadsBy(((Number) stored[0]).longValue(), ((Number) stored[1]).longValue(),
                ((Number) pending[0]).longValue(), ((Number) pending[1]).longValue(), (Instant) stored[2]);
    }
}
