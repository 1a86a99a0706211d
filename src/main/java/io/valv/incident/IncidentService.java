package io.valv.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.audit.IncidentReports;
import io.valv.client.ClientService;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * Incident notices (Art. 33(2)): the processor tells each affected controller of a personal-data breach,
 * through the notification outboxes, in the transaction that records the notice.
 */
@ApplicationScoped
public class IncidentService {

    private final IncidentRepository incidents;
    private final ClientService clients;
    private final AuditLog audit;
    private final Event<IncidentNotified> notified;
    private final IncidentReports reports;
    private final Clock clock;

    IncidentService(IncidentRepository incidents, ClientService clients, AuditLog audit, Event<IncidentNotified> notified,
            IncidentReports reports, Clock clock) {
        this.reports = reports;
        this.incidents = incidents;
        this.clients = clients;
        this.audit = audit;
        this.notified = notified;
        this.clock = clock;
    }

    /**
     * Records the notice and notifies every affected client (webhook {@code incident.notified} and email), each
     * on its own audit chain. A client that does not exist refuses the whole notice (400), so that no client is
     * told of a notice whose audience was mistyped.
     */
    @Transactional
    public View raise(Caller caller, NewIncident n) {
        if (!AccessPolicy.mayRaiseIncident(caller)) {
            throw ProblemException.forbidden("Only the processor's admin or DPO raises an incident notice.");
        }
        Instant now = Instant.now(clock);
        if (n.detectedAt().isAfter(now)) {
            throw new ProblemException(ProblemType.VALIDATION, "detectedAt lies in the future.");
        }
        if ((n.windowFrom() == null) != (n.windowTo() == null)) {
            throw new ProblemException(ProblemType.VALIDATION, "Give both windowFrom and windowTo, or neither.");
        }
        if (n.windowFrom() != null && !n.windowTo().isAfter(n.windowFrom())) {
            throw new ProblemException(ProblemType.VALIDATION, "windowTo must be after windowFrom.");
        }
        if (n.windowTo() != null && n.windowTo().isAfter(now)) {
            // a window that ends later would let the linked report change after the notice was sent
            throw new ProblemException(ProblemType.VALIDATION, "windowTo lies in the future.");
        }
        Set<String> affected = new TreeSet<>(n.clientIds());
        for (String clientId : affected) {
            if (!clients.exists(clientId)) {
                throw new ProblemException(ProblemType.UNKNOWN_CLIENT, "No client has the id " + clientId + ".");
            }
        }
        Incident i = new Incident();
        i.id = UUID.randomUUID();
        i.nature = n.nature();
        i.dataSubjectCategories = n.dataSubjectCategories();
        i.approximateDataSubjects = n.approximateDataSubjects();
        i.recordCategories = n.recordCategories();
        i.approximateRecords = n.approximateRecords();
        i.likelyConsequences = n.likelyConsequences();
        i.measures = n.measures();
        i.contactPoint = n.contactPoint();
        i.detectedAt = n.detectedAt();
        i.notifiedAt = now;
        i.windowFrom = n.windowFrom();
        i.windowTo = n.windowTo();
        i.raisedBy = caller.subject();
        i.clients.addAll(affected);
        incidents.persist(i);
        for (String clientId : affected) {
            audit.append(AuditEntry.of(Actions.INCIDENT_NOTIFY).by(caller).client(clientId)
                    .detail("incident " + i.id + " detected " + i.detectedAt));
            notified.fire(new IncidentNotified(i.id, clientId, i.nature, i.dataSubjectCategories, i.approximateDataSubjects,
                    i.recordCategories, i.approximateRecords, i.likelyConsequences, i.measures, i.contactPoint,
                    i.detectedAt, i.notifiedAt, i.windowFrom, i.windowTo));
        }
        return View.of(i, i.clients);
    }

    /**
     * The processor's admin and DPO see every notice; a client admin those naming its client, with its own
     * client as the only affected one shown (the others are other controllers' business).
     */
    @Transactional
    public List<View> visibleTo(Caller caller) {
        if (AccessPolicy.mayReadAllIncidents(caller)) {
            audit.append(AuditEntry.of(Actions.INCIDENT_LIST).by(caller));
            return incidents.newestFirst().stream().map(i -> View.of(i, i.clients)).toList();
        }
        String own = caller.clientId().filter(id -> AccessPolicy.mayReadClientIncidents(caller, id))
                .orElseThrow(() -> ProblemException.forbidden("Your role does not allow reading incident notices."));
        if (!clients.exists(own)) {
            // a token naming a client Valv does not have: no notice names it, and no audit chain is started for it
            // (the read is recorded under no client, with the caller's claimed client as the actor's)
            audit.append(AuditEntry.of(Actions.INCIDENT_LIST).by(caller));
            return List.of();
        }
        audit.append(AuditEntry.of(Actions.INCIDENT_LIST).by(caller).client(own));
        return incidents.ofClientNewestFirst(own).stream().map(i -> View.of(i, Set.of(own))).toList();
    }

    /**
     * The window's incident report as the notice links it: the DPO gets every affected client's section, a
     * client admin only its own (with the processor's people pseudonymised as in its access log). A notice
     * that does not name the client, or does not exist, is not found; one without a window answers 409.
     */
    @Transactional
    public Report report(Caller caller, UUID incidentId) {
        String viewing = null;
        if (!AccessPolicy.mayReadEveryIncidentReport(caller)) {
            viewing = caller.clientId().filter(id -> AccessPolicy.mayReadClientIncidents(caller, id))
                    .orElseThrow(() -> ProblemException.forbidden("Your role does not allow reading incident reports."));
        }
        Incident i = incidents.findByIdOptional(incidentId).orElseThrow(() -> ProblemException.notFound("Incident"));
        if (viewing != null && !i.clients.contains(viewing)) {
            throw ProblemException.notFound("Incident");
        }
        if (i.windowFrom == null) {
            throw new ProblemException(ProblemType.NO_INCIDENT_WINDOW,
                    "This notice names no window of the breach, so it links no report.");
        }
        Set<String> shown = viewing == null ? i.clients : Set.of(viewing);
        IncidentReports.Sections s = reports.noticeSections(caller, i.id, i.windowFrom, i.windowTo, shown, viewing);
        return new Report(i.id, i.windowFrom, i.windowTo, Instant.now(clock), s.truncated(), s.clients());
    }

    /** {@code windowFrom}/{@code windowTo}: both or neither; the window's report is linked from the notice. */
    public record NewIncident(String nature, String dataSubjectCategories, long approximateDataSubjects,
            String recordCategories, long approximateRecords, String likelyConsequences, String measures,
            String contactPoint, Instant detectedAt, List<String> clientIds, Instant windowFrom, Instant windowTo) {
    }

    public record View(UUID id, String nature, String dataSubjectCategories, long approximateDataSubjects,
            String recordCategories, long approximateRecords, String likelyConsequences, String measures,
            String contactPoint, Instant detectedAt, Instant notifiedAt, List<String> clientIds, Instant windowFrom,
            Instant windowTo) {

        static View of(Incident i, Set<String> shownClients) {
            return new View(i.id, i.nature, i.dataSubjectCategories, i.approximateDataSubjects, i.recordCategories,
                    i.approximateRecords, i.likelyConsequences, i.measures, i.contactPoint, i.detectedAt, i.notifiedAt,
                    List.copyOf(new TreeSet<>(shownClients)), i.windowFrom, i.windowTo);
        }
    }

    /** The answer of {@code GET /api/v1/incidents/{id}/report}: the window as the notice names it. */
    public record Report(UUID incidentId, Instant windowFrom, Instant windowTo, Instant generatedAt, boolean truncated,
            List<IncidentReports.ClientSection> clients) {
    }
}
