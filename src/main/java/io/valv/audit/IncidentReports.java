package io.valv.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.valv.audit.proof.AuditChain;
import io.valv.audit.proof.SummaryEvents;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;

/**
 * The incident report (docs/audit.md, "Incident report"): per client, what was read and refused in a window,
 * for the DPO's Art. 33 assessment and, one client's section at a time, for the notice that client receives.
 * Each report read is itself audited first, in its own transaction.
 */
@ApplicationScoped
public class IncidentReports {

    static final int MAX_REPORT_EVENTS = 100_000;

    private final AuditLog log;
    private final AuditStore store;
    private final RangeReadFlusher rangeReads;
    private final EventActors actors;
    private final Clock clock;

    IncidentReports(AuditLog log, AuditStore store, RangeReadFlusher rangeReads, EventActors actors, Clock clock) {
        this.log = log;
        this.store = store;
        this.rangeReads = rangeReads;
        this.actors = actors;
        this.clock = clock;
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
        Map<UUID, AuditStore.MaterialFacts> materials = new HashMap<>();
        for (AuditStore.MaterialFacts m : store.materialFacts(
                events.stream().map(e -> e.materialId).filter(Objects::nonNull).collect(Collectors.toSet()))) {
            materials.put(m.id(), m);
        }
        Map<UUID, AuditStore.DpaFacts> dpas = new HashMap<>();
        for (AuditStore.DpaFacts d : store.dpaFacts(
                materials.values().stream().map(AuditStore.MaterialFacts::dpaId).collect(Collectors.toSet()))) {
            dpas.put(d.id(), d);
        }
        Set<String> named = onlyClients != null ? onlyClients
                : events.stream().map(e -> e.clientId).collect(Collectors.toSet());
        Map<String, String> names = store.clientNames(named);

        Map<String, ClientAcc> byClient = new TreeMap<>();
        if (onlyClients != null) {
            onlyClients.forEach(c -> byClient.put(c, new ClientAcc()));
        }
        for (AuditEvent e : events) {
            ClientAcc c = byClient.computeIfAbsent(e.clientId, k -> new ClientAcc());
            String shownActor = actors.shown(e, viewingClient);
            if (shownActor != null) {
                c.actors.add(shownActor);
            }
            if (Actions.ACCESS_DENIED_REPEATED.equals(e.action)) {
                c.denied += SummaryEvents.countOf(e.detail);
            } else if (Outcome.DENIED.wire().equals(e.outcome)) {
                c.denied++;
            }
            if (e.materialId == null) {
                continue;
            }
            // a refusal in a client's section may name a material that does not exist, or is another client's
            // (a client's caller's refusals are filed under its own client): then nothing about it is shown
            AuditStore.MaterialFacts found = materials.get(e.materialId);
            AuditStore.MaterialFacts facts = found != null && e.clientId.equals(found.clientId()) ? found : null;
            MaterialAcc m = c.materials.computeIfAbsent(e.materialId, k -> new MaterialAcc(facts));
            if (facts != null && dpas.containsKey(facts.dpaId())) {
                c.dpas.add(facts.dpaId());
            }
            boolean ok = Outcome.OK.wire().equals(e.outcome);
            Long reads = null;
            if (ok && Actions.MATERIAL_CONTENT_READ.equals(e.action)) {
                reads = 1L;
            } else if (ok && Actions.MATERIAL_CONTENT_RANGE_READS.equals(e.action)) {
                reads = SummaryEvents.countOf(e.detail);
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
            List<DpaRef> dpaRefs = c.dpas.stream().map(dpas::get).map(d -> new DpaRef(d.id(), d.reference(),
                    categories(d.dataCategories()), d.specialCategoriesAllowed())).toList();
            List<MaterialAccess> mats = c.materials.entrySet().stream().map(en -> {
                MaterialAcc m = en.getValue();
                // a material that is not the section's client's (or no longer exists) shows its id only
                return m.facts == null
                        ? new MaterialAccess(en.getKey(), null, null, null, m.contentReads, m.metadataReads,
                                m.bytesRead, m.accesses)
                        : new MaterialAccess(en.getKey(), m.facts.filename(), m.facts.jobId(), m.facts.personalData(),
                                m.contentReads, m.metadataReads, m.bytesRead, m.accesses);
            }).toList();
            sections.add(new ClientSection(clientId, names.get(clientId), dpaRefs,
                    mats.stream().mapToLong(MaterialAccess::contentReads).sum(),
                    mats.stream().mapToLong(MaterialAccess::bytesRead).sum(), c.denied, List.copyOf(c.actors), mats));
        });
        return new Sections(truncated, sections);
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
        final AuditStore.MaterialFacts facts;
        final List<Access> accesses = new ArrayList<>();
        long contentReads;
        long metadataReads;
        long bytesRead;

        MaterialAcc(AuditStore.MaterialFacts facts) {
            this.facts = facts;
        }
    }

    // ---- on the wire ----------------------------------------------------------------------------

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
