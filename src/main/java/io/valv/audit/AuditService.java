package io.valv.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;

/**
 * Reading the access log: filtered pages, verification, a client's verifiable export and the incident
 * report. Every read is itself an audited action, appended and committed first (fail-closed like any
 * other access) in a transaction of its own, so that a long read never holds the chain head lock.
 */
@ApplicationScoped
public class AuditService {

    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_EXPORT = 10_000;
    static final int MAX_REPORT_EVENTS = 100_000;
    private static final int VERIFY_BATCH = 2_000;

    private final AuditLog log;
    private final AuditStore store;
    private final RangeReads rangeReads;
    private final AuditKeys keys;
    private final PersonalData personalData;
    private final AuditConfig config;
    private final Clock clock;

    AuditService(AuditLog log, AuditStore store, RangeReads rangeReads, AuditKeys keys, PersonalData personalData,
            AuditConfig config, Clock clock) {
        this.log = log;
        this.store = store;
        this.rangeReads = rangeReads;
        this.keys = keys;
        this.personalData = personalData;
        this.config = config;
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
        List<Checkpoint> checkpoints = store.checkpointsUpTo(Long.MAX_VALUE).stream().map(AuditCheckpoint::toCheckpoint)
                .toList();
        List<TreeHead> treeHeads = store.treeHeads().stream().map(AuditTreeHead::toTreeHead).toList();
        ChainVerifier verifier = new ChainVerifier(checkpoints, treeHeads);
        CheckpointSigner signer = keys.signer();
        Optional<Checkpoint> bad = AuditCheckpoints.firstBadSignature(checkpoints, signer);
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
            boolean reveal = auditor || isOwn(e, client);
            out.add(new ExportEvent(f.id(), f.seq(), f.clientSeq(), f.clientPrevHash(), f.occurredAt(), f.personal(),
                    f.actorRoles(), f.actorClient(), f.action(), f.outcome(), f.clientId(), f.jobId(), f.materialId(),
                    f.detail(), f.bytes(), f.requestId(), clientHash, actor(e, auditor ? null : client),
                    reveal ? e.actorSubject : null, reveal ? e.clientIp : null, reveal ? e.userAgent : null,
                    reveal ? e.personalSalt : null));
        }
        CheckpointSigner signer = keys.signer();
        CheckpointView checkpoint = store.latestCheckpoint(client).map(AuditCheckpoint::toCheckpoint)
                .map(c -> new CheckpointView(c.seq(), c.hash(), c.clientSeq(), c.clientHash(), c.signedAt(), c.keyId(),
                        c.message(), java.util.Base64.getEncoder().encodeToString(c.signature())))
                .orElse(null);
        Long next = complete ? null : out.get(out.size() - 1).clientSeq() + 1;
        return new Export("valv-audit-export-v1", client, Instant.now(clock), signer.keyId(), signer.publicKeyPem(),
                checkpoint, out, next);
    }

    @Transactional
    public IncidentReport incidentReport(Caller caller, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw ProblemException.badRequest("validation", "to must be after from.");
        }
        log.appendSeparately(AuditEntry.of(Actions.AUDIT_INCIDENT_REPORT).by(caller)
                .detail("window " + AuditChain.time(from) + " .. " + AuditChain.time(to)));
        Sections s = sections(from, to, null, null);
        return new IncidentReport(from, to, Instant.now(clock), s.truncated(), s.clients(),
                store.refusalsWithoutClient(from, to));
    }

    /**
     * The sections of a window's incident report that an incident notice links (docs/api.md, "Incident
     * notices"): one per client named, each present even when nothing in the window touched it. The caller
     * has been allowed by the notice's owner; {@code viewingClient} is the client whose admin reads (null for
     * the DPO), who sees the processor's people pseudonymised exactly as in its own access log. The read is
     * recorded on that client's chain, so the client sees it among its events.
     */
    @Transactional
    public Sections noticeSections(Caller caller, UUID incidentId, Instant from, Instant to, Set<String> clients,
            String viewingClient) {
        // the notice's owner decided; checked again here so that no other caller of this method skips the rule
        boolean allowed = viewingClient == null ? AccessPolicy.mayReadEveryIncidentReport(caller)
                : AccessPolicy.mayReadClientIncidents(caller, viewingClient) && clients.equals(Set.of(viewingClient));
        if (!allowed) {
            throw ProblemException.forbidden("Your role does not allow reading this incident report.");
        }
        AuditEntry entry = AuditEntry.of(Actions.AUDIT_INCIDENT_REPORT).by(caller)
                .detail("incident " + incidentId + " window " + AuditChain.time(from) + " .. " + AuditChain.time(to));
        log.appendSeparately(viewingClient == null ? entry : entry.client(viewingClient));
        return sections(from, to, clients, viewingClient);
    }

    /** Per client, in the window: what was read and refused. {@code onlyClients} null: every client. */
    private Sections sections(Instant from, Instant to, Set<String> onlyClients, String viewingClient) {
        // coalesced range reads still in an open window are on the chain only through the window's first
        // read: fold them into summaries now, so the report counts every read
        try {
            rangeReads.flushAll();
        } catch (RuntimeException e) {
            Log.errorf("Audit: could not flush coalesced range reads for an incident report (%s)",
                    e.getClass().getSimpleName());
            throw new ProblemException(503, "audit-unavailable", "Audit log unavailable",
                    "Not every recorded read could be included; the report was not produced. Retry later.");
        }
        List<AuditEvent> events = store.accessesBetween(from, to, onlyClients, MAX_REPORT_EVENTS + 1);
        boolean truncated = events.size() > MAX_REPORT_EVENTS;
        if (truncated) {
            events = events.subList(0, MAX_REPORT_EVENTS);
        }
        Map<UUID, Object[]> materials = new HashMap<>();
        for (Object[] row : store.materialFacts(events.stream().map(e -> e.materialId).filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toSet()))) {
            materials.put((UUID) row[0], row);
        }
        Map<UUID, Object[]> dpas = new HashMap<>();
        for (Object[] row : store.dpaFacts(materials.values().stream().map(r -> (UUID) r[2])
                .collect(java.util.stream.Collectors.toSet()))) {
            dpas.put((UUID) row[0], row);
        }
        Set<String> named = onlyClients != null ? onlyClients
                : events.stream().map(e -> e.clientId).collect(java.util.stream.Collectors.toSet());
        Map<String, String> names = new HashMap<>();
        for (Object[] row : store.clientNames(named)) {
            names.put((String) row[0], (String) row[1]);
        }

        Map<String, ClientAcc> byClient = new TreeMap<>();
        if (onlyClients != null) {
            onlyClients.forEach(c -> byClient.put(c, new ClientAcc()));
        }
        for (AuditEvent e : events) {
            ClientAcc c = byClient.computeIfAbsent(e.clientId, k -> new ClientAcc());
            String shownActor = actor(e, viewingClient);
            if (shownActor != null) {
                c.actors.add(shownActor);
            }
            if (Actions.ACCESS_DENIED_REPEATED.equals(e.action)) {
                c.denied += RangeReads.countOf(e.detail);
            } else if (Outcome.DENIED.wire().equals(e.outcome)) {
                c.denied++;
            }
            if (e.materialId == null) {
                continue;
            }
            // a refusal in a client's section may name a material that does not exist, or is another client's
            // (a client's caller's refusals are filed under its own client): then nothing about it is shown
            Object[] found = materials.get(e.materialId);
            Object[] facts = found != null && e.clientId.equals(found[5]) ? found : null;
            MaterialAcc m = c.materials.computeIfAbsent(e.materialId, k -> new MaterialAcc(facts));
            if (facts != null && dpas.containsKey((UUID) facts[2])) {
                c.dpas.add((UUID) facts[2]);
            }
            boolean ok = Outcome.OK.wire().equals(e.outcome);
            Long reads = null;
            if (ok && Actions.MATERIAL_CONTENT_READ.equals(e.action)) {
                reads = 1L;
            } else if (ok && Actions.MATERIAL_CONTENT_RANGE_READS.equals(e.action)) {
                reads = RangeReads.countOf(e.detail);
            } else if (ok && Actions.MATERIAL_METADATA_READ.equals(e.action)) {
                m.metadataReads++;
            }
            if (reads != null) {
                m.contentReads += reads;
                m.bytesRead += e.bytes == null ? 0 : e.bytes;
            }
            m.accesses.add(new Access(e.occurredAt, shownActor, e.action, e.outcome, e.bytes, reads));
        }

        List<ClientSection> sections = new ArrayList<>();
        byClient.forEach((clientId, c) -> {
            List<DpaRef> dpaRefs = c.dpas.stream().map(dpas::get).map(r -> new DpaRef((UUID) r[0], (String) r[1],
                    categories((String) r[2]), (Boolean) r[3])).toList();
            List<MaterialAccess> mats = c.materials.entrySet().stream().map(en -> {
                MaterialAcc m = en.getValue();
                return new MaterialAccess(en.getKey(), m.facts == null ? null : (String) m.facts[4],
                        m.facts == null ? null : (UUID) m.facts[1], m.facts == null ? null : (Boolean) m.facts[3],
                        m.contentReads, m.metadataReads, m.bytesRead,
                        m.accesses);
            }).toList();
            sections.add(new ClientSection(clientId, names.get(clientId), dpaRefs,
                    mats.stream().mapToLong(MaterialAccess::contentReads).sum(),
                    mats.stream().mapToLong(MaterialAccess::bytesRead).sum(), c.denied, List.copyOf(c.actors), mats));
        });
        return new Sections(truncated, sections);
    }

    /** The public key clients verify checkpoints with; pin it out of band. */
    CheckpointKey checkpointKey() {
        CheckpointSigner signer = keys.signer();
        return new CheckpointKey("Ed25519", signer.keyId(), signer.publicKeyPem(),
                java.util.Base64.getEncoder().encodeToString(signer.rawPublicKey()));
    }

    private EventView view(AuditEvent e, String viewingClient) {
        boolean reveal = viewingClient == null || isOwn(e, viewingClient);
        return new EventView(e.seq, e.id, e.occurredAt, actor(e, viewingClient),
                e.actorRoles.isEmpty() ? List.of() : Arrays.asList(e.actorRoles.split(",")), e.actorClient, e.action,
                e.outcome, e.clientId, e.jobId, e.materialId, e.detail, e.bytes, e.requestId,
                reveal ? e.clientIp : null, reveal ? e.userAgent : null, e.clientSeq);
    }

    /** The actor as the viewer may see it: by name to the processor, and to a client for its own people. */
    private String actor(AuditEvent e, String viewingClient) {
        // a stored pseudonym (pseudonym mode) is already per client and irreversible: shown as it is
        if (viewingClient == null || isOwn(e, viewingClient) || e.actorSubject == null
                || e.actorSubject.startsWith(PersonalData.PREFIX)
                || (config.revealStaffToClients() && e.actorClient == null)) {
            return e.actorSubject;
        }
        return keys.pseudonyms().of(viewingClient, e.actorSubject);
    }

    private static boolean isOwn(AuditEvent e, String client) {
        return client.equals(e.actorClient);
    }

    private static List<String> categories(String joined) {
        return joined == null || joined.isBlank() ? List.of() : List.of(joined.split(", "));
    }

    private static final class ClientAcc {
        final TreeSet<String> actors = new TreeSet<>();
        final TreeSet<UUID> dpas = new TreeSet<>();
        final Map<UUID, MaterialAcc> materials = new LinkedHashMap<>();
        long denied;
    }

    private static final class MaterialAcc {
        final Object[] facts;
        final List<Access> accesses = new ArrayList<>();
        long contentReads;
        long metadataReads;
        long bytesRead;

        MaterialAcc(Object[] facts) {
            this.facts = facts;
        }
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

    /**
     * {@code refusalsWithoutClient}: refused requests in the window filed under no client (no token, or the
     * processor's people naming nothing that exists; docs/audit.md, "Refusals"), so the DPO sees them too.
     */
    public record IncidentReport(Instant from, Instant to, Instant generatedAt, boolean truncated, List<ClientSection> clients,
            long refusalsWithoutClient) {
    }

    /** {@code truncated}: the window held more events than one report carries; narrow it. */
    public record Sections(boolean truncated, List<ClientSection> clients) {
    }

    public record ClientSection(String clientId, String clientName, List<DpaRef> dpas, long contentReads, long bytesRead,
            long deniedAttempts, List<String> actors, List<MaterialAccess> materials) {
    }

    public record DpaRef(UUID id, String reference, List<String> dataCategories, Boolean specialCategoriesAllowed) {
    }

    /** {@code filename}: the client's display name of the material (never a storage key). */
    public record MaterialAccess(UUID materialId, String filename, UUID jobId, Boolean personalData, long contentReads,
            long metadataReads, long bytesRead, List<Access> accesses) {
    }

    /** {@code reads}: content reads this event stands for (1, or a range-read summary's count); else null. */
    public record Access(Instant at, String actor, String action, String outcome, Long bytes, Long reads) {
    }
}
