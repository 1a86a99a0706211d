package io.valv.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.audit.proof.AuditChain;
import io.valv.audit.proof.ChainVerifier;
import io.valv.audit.proof.Checkpoint;
import io.valv.audit.proof.CheckpointSigner;
import io.valv.audit.proof.TreeHead;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;

/**
 * Reading the access log: filtered pages, verification and a client's verifiable export (the incident report
 * is {@link IncidentReports}). Every read is itself an audited action, appended and committed first (fail-closed like any
 * other access) in a transaction of its own, so that a long read never holds the chain head lock.
 */
@ApplicationScoped
public class AuditService {

    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_EXPORT = 10_000;
    private static final int VERIFY_BATCH = 2_000;

    private final AuditLog log;
    private final AuditStore store;
    private final AuditKeys keys;
    private final PersonalData personalData;
    private final EventActors shownActors;
    private final Clock clock;

    AuditService(AuditLog log, AuditStore store, AuditKeys keys, PersonalData personalData, EventActors shownActors,
            Clock clock) {
        this.log = log;
        this.store = store;
        this.keys = keys;
        this.personalData = personalData;
        this.shownActors = shownActors;
        this.clock = clock;
    }

    /**
     * The client whose events the caller may read: the auditor any (or all, when none is asked for); a
     * client admin only its own, from its token; any other client is "not found".
     */
    Optional<String> scope(Caller caller, String requested) {
        Optional<String> scoped;
        if (AccessPolicy.mayReadWholeAuditLog(caller)) {
            scoped = Optional.ofNullable(requested);
        } else {
            scoped = caller.clientId().filter(c -> AccessPolicy.mayReadAuditOf(caller, c));
            if (scoped.isEmpty() || (requested != null && !requested.equals(scoped.get()))) {
                throw ProblemException.notFound("Client");
            }
        }
        // an unknown client (asked for, or claimed by a token) is not found: appending this read under its id
        // would start a chain for a client that does not exist (the id's form is checked by the resource)
        if (scoped.isPresent() && store.clientNames(List.of(scoped.get())).isEmpty()) {
            throw ProblemException.notFound("Client");
        }
        return scoped;
    }

    /**
     * {@code actor} (auditor only) finds one named person's events: by the name as stored in clear, and in
     * pseudonym mode by the person's pseudonym recomputed under the client's key (every client's with a key,
     * when no client is asked for). A client whose key was destroyed answers 409: nobody can link its events
     * to a person any more. Client admins may not look people up: that would let them test guessed staff
     * names against the pseudonyms they are shown. {@code action} and {@code outcome} match exactly.
     */
    @Transactional
    public Page list(Caller caller, String clientId, UUID materialId, UUID jobId, Instant from, Instant to, String actor,
            String action, String outcome, int page, int size) {
        Optional<String> client = scope(caller, clientId);
        java.util.Set<String> actors = null;
        if (actor != null) {
            if (!AccessPolicy.mayReadWholeAuditLog(caller)) {
                throw ProblemException.forbidden("Only the auditor may look up a person's events.");
            }
            actors = personalData.storedForms(actor, client.orElse(null));
        }
        // the person looked up is not written to the log: detail carries ids only (the lookup is known by
        // its request id, and the auditor is the actor)
        log.appendSeparately(AuditEntry.of(Actions.AUDIT_LIST).by(caller).client(client.orElse(null)).material(materialId)
                .job(jobId).detail(actor != null ? "actor lookup" : null));
        AuditStore.Filter filter = new AuditStore.Filter(client.orElse(null), materialId, jobId, from, to, actors,
                action, outcome);
        List<EventView> items = store.page(filter, page, size).stream()
                .map(e -> view(e, AccessPolicy.mayReadWholeAuditLog(caller) ? null : client.get())).toList();
        return new Page(page, size, store.count(filter), items);
    }

    /**
     * One event by its place in the global chain, as {@link #list} shows it to the auditor (the DPO's event
     * page, and the first broken event of a failed verification). Recorded as a list read naming the event,
     * like any other read of the log; an unknown seq is "not found".
     */
    @Transactional
    public EventView event(Caller caller, long seq) {
        if (!AccessPolicy.mayReadWholeAuditLog(caller)) {
            throw ProblemException.forbidden("Only the auditor may read single events.");
        }
        log.appendSeparately(AuditEntry.of(Actions.AUDIT_LIST).by(caller).detail("event seq " + seq));
        return store.eventAt(seq).map(e -> view(e, null)).orElseThrow(() -> ProblemException.notFound("Event"));
    }

    @Transactional
    public Verification verify(Caller caller) {
        return Verification.of(walk(caller));
    }

    private ChainVerifier.Result walk(Caller caller) {
        log.appendSeparately(AuditEntry.of(Actions.AUDIT_VERIFY).by(caller));
        AuditStore.Head snapshot = store.head();
        List<Checkpoint> checkpoints = store.checkpointsUpTo(Long.MAX_VALUE).stream().map(CheckpointRow::toCheckpoint)
                .toList();
        List<TreeHead> treeHeads = store.treeHeads().stream().map(TreeHeadRow::toTreeHead).toList();
        ChainVerifier verifier = new ChainVerifier(checkpoints, treeHeads);
        CheckpointSigner signer = keys.signer();
        Optional<Checkpoint> bad = CheckpointWriter.firstBadSignature(checkpoints, signer);
        if (bad.isPresent()) {
            return verifier.badSignature(bad.get());
        }
        Optional<TreeHead> badHead = treeHeads.stream()
                .filter(t -> !t.keyId().equals(signer.keyId()) || !signer.verify(t.messageBytes(), t.signature())).findFirst();
        if (badHead.isPresent()) {
            return verifier.badSignature(badHead.get());
        }
        long after = 0;
        walk: while (after < snapshot.seq()) {
            List<AuditEvent> batch = store.batchAfter(after, snapshot.seq(), VERIFY_BATCH);
            if (batch.isEmpty()) {
                break;
            }
            Map<UUID, ChainVerifier.Counted> counted = store.countedRangeReads(batch.stream()
                    .filter(e -> Actions.MATERIAL_CONTENT_RANGE_READS.equals(e.action)).map(e -> e.id).toList());
            for (AuditEvent e : batch) {
                if (!verifier.accept(new ChainVerifier.Stored(e.fields(), e.prevHash, e.hash, counted.get(e.id)))) {
                    break walk;
                }
                after = e.seq;
            }
        }
        return verifier.finish(snapshot.seq(), snapshot.hash(), store.head().seq());
    }

    @Transactional
    public Export export(Caller caller, String clientId, long fromClientSeq) {
        String client = scope(caller, clientId).orElseThrow(
                () -> ProblemException.badRequest("validation", "clientId is required."));
        log.appendSeparately(AuditEntry.of(Actions.AUDIT_EXPORT).by(caller).client(client));
        List<AuditEvent> events = store.clientStream(client, Math.max(1, fromClientSeq), MAX_EXPORT + 1);
        boolean complete = events.size() <= MAX_EXPORT;
        if (!complete) {
            events = events.subList(0, MAX_EXPORT);
        }
        boolean auditor = AccessPolicy.mayReadWholeAuditLog(caller);
        List<ExportEvent> out = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            AuditChain.Fields f = e.fields();
            String clientHash = AuditChain.link(e.clientPrevHash, AuditChain.encode(f));
            boolean reveal = auditor || EventActors.isOwn(e, client);
            out.add(new ExportEvent(f.id(), f.seq(), f.clientSeq(), f.clientPrevHash(), f.occurredAt(), f.personal(),
                    f.actorRoles(), f.actorClient(), f.action(), f.outcome(), f.clientId(), f.jobId(), f.materialId(),
                    f.detail(), f.bytes(), f.requestId(), clientHash, shownActors.shown(e, auditor ? null : client),
                    reveal ? e.actorSubject : null, reveal ? e.clientIp : null, reveal ? e.userAgent : null,
                    reveal ? e.personalSalt : null));
        }
        CheckpointSigner signer = keys.signer();
        CheckpointView checkpoint = store.latestCheckpoint(client).map(CheckpointRow::toCheckpoint)
                .map(c -> new CheckpointView(c.seq(), c.hash(), c.clientSeq(), c.clientHash(), c.signedAt(), c.keyId(),
                        c.message(), java.util.Base64.getEncoder().encodeToString(c.signature())))
                .orElse(null);
        Long next = complete ? null : out.get(out.size() - 1).clientSeq() + 1;
        return new Export("valv-audit-export-v1", client, Instant.now(clock), signer.keyId(), signer.publicKeyPem(),
                checkpoint, out, next);
    }

    /** The public key clients verify checkpoints with; pin it out of band. */
    CheckpointKey checkpointKey() {
        CheckpointSigner signer = keys.signer();
        return new CheckpointKey("Ed25519", signer.keyId(), signer.publicKeyPem(),
                java.util.Base64.getEncoder().encodeToString(signer.rawPublicKey()));
    }

    private EventView view(AuditEvent e, String viewingClient) {
        boolean reveal = viewingClient == null || EventActors.isOwn(e, viewingClient);
        return new EventView(e.seq, e.id, e.occurredAt, shownActors.shown(e, viewingClient),
                e.actorRoles.isEmpty() ? List.of() : Arrays.asList(e.actorRoles.split(",")), e.actorClient, e.action,
                e.outcome, e.clientId, e.jobId, e.materialId, e.detail, e.bytes, e.requestId,
                reveal ? e.clientIp : null, reveal ? e.userAgent : null, e.clientSeq);
    }

    // ---- on the wire ----------------------------------------------------------------------------

    /** The answer of {@code GET /api/v1/audit/verify}. */
    public record Verification(boolean ok, long checkedEvents, Long firstBrokenSeq, String reason,
            int checkedCheckpoints, long headSeq) {

        static Verification of(ChainVerifier.Result r) {
            return new Verification(r.ok(), r.checkedEvents(), r.firstBrokenSeq(), r.reason(), r.checkedCheckpoints(),
                    r.headSeq());
        }
    }

    public record Page(int page, int size, long total, List<EventView> items) {
    }

    public record EventView(long seq, UUID id, Instant occurredAt, String actor, List<String> actorRoles, String actorClient,
            String action, String outcome, String clientId, UUID jobId, UUID materialId, String detail, Long bytes,
            String requestId, String clientIp, String userAgent, Long clientSeq) {
    }

    /**
     * One event of an export: the hashed fields exactly as encoded (docs/audit.md), the client-chain hash,
     * and display fields. actorSubject, clientIp, userAgent and personalSalt (the inputs of {@code personal})
     * are present only for the client's own people, or for the auditor.
     */
    public record ExportEvent(String id, long seq, Long clientSeq, String clientPrevHash, String occurredAt, String personal,
            String actorRoles, String actorClient, String action, String outcome, String clientId, String jobId,
            String materialId, String detail, Long bytes, String requestId, String clientHash, String actor,
            String actorSubject, String clientIp, String userAgent, String personalSalt) {
    }

    public record CheckpointView(long seq, String hash, Long clientSeq, String clientHash, String signedAt, String keyId,
            String message, String signature) {
    }

    public record Export(String format, String clientId, Instant exportedAt, String keyId, String publicKeyPem,
            CheckpointView checkpoint, List<ExportEvent> events, Long nextClientSeq) {
    }

    public record CheckpointKey(String algorithm, String keyId, String pem, String rawBase64) {
    }
}
