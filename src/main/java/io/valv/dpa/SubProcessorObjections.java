package io.valv.dpa;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.client.ClientService;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * Objections to sub-processor changes (Art. 28(2)): the controller's admin objects, once per change, with a
 * reason; the processor's admin and DPO read them. The objection is recorded as the client's instruction in
 * the audit log (without its reason: free text may name people).
 */
@ApplicationScoped
public class SubProcessorObjections {

    /** Longest reason kept (the column's size). */
    public static final int MAX_REASON = 2000;

    private final SubProcessorObjectionRepository objections;
    private final SubProcessorChangeRepository changes;
    private final ClientService clients;
    private final AuditLog audit;
    private final Clock clock;

    SubProcessorObjections(SubProcessorObjectionRepository objections, SubProcessorChangeRepository changes,
            ClientService clients, AuditLog audit, Clock clock) {
        this.objections = objections;
        this.changes = changes;
        this.clients = clients;
        this.audit = audit;
        this.clock = clock;
    }

    public record ObjectionView(UUID id, UUID changeId, String clientId, String reason, String objectedBy,
            Instant objectedAt) {

        static ObjectionView of(SubProcessorObjection o) {
            return new ObjectionView(o.id, o.changeId, o.clientId, o.reason, o.objectedBy, o.objectedAt);
        }
    }

    /** What happened: a new objection, or the one the client had already made (which stays as it was). */
    public record Outcome(ObjectionView objection, boolean created) {
    }

    /** The client admin objects to a change; a second objection to the same change answers the first. */
    @Transactional
    public Outcome object(Caller caller, String clientId, UUID changeId, String reason) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayObjectToSubProcessorChange(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin can object to a sub-processor change.");
        }
        clients.require(clientId);
        if (changeId == null || changes.findById(changeId) == null) {
            throw ProblemException.notFound("Sub-processor change");
        }
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty() || text.length() > MAX_REASON) {
            throw new ProblemException(ProblemType.VALIDATION,
                    "Give the objection's reason (1 to " + MAX_REASON + " characters).");
        }
        var existing = objections.of(clientId, changeId);
        if (existing.isPresent()) {
            return new Outcome(ObjectionView.of(existing.get()), false);
        }
        SubProcessorObjection o = new SubProcessorObjection();
        o.id = UUID.randomUUID();
        o.changeId = changeId;
        o.clientId = clientId;
        o.reason = text;
        o.objectedBy = caller.subject();
        o.objectedAt = Instant.now(clock);
        objections.persist(o);
        audit.append(AuditEntry.of(Actions.SUBPROCESSOR_OBJECTION).by(caller).client(clientId)
                .detail("change " + changeId));
        return new Outcome(ObjectionView.of(o), true);
    }

    /** Every client's objection to one change, for the processor's admin and DPO. */
    @Transactional
    public List<ObjectionView> toChange(Caller caller, UUID changeId) {
        if (!AccessPolicy.mayReadSubProcessorObjections(caller)) {
            throw ProblemException.forbidden("Only the processor's admin and DPO read objections.");
        }
        if (changes.findById(changeId) == null) {
            throw ProblemException.notFound("Sub-processor change");
        }
        return objections.toChange(changeId).stream().map(ObjectionView::of).toList();
    }

    /**
     * Every objection, grouped by the change objected to (oldest first within a change), for the register's
     * page: one read instead of one per change.
     */
    @Transactional
    public Map<UUID, List<ObjectionView>> byChange(Caller caller) {
        if (!AccessPolicy.mayReadSubProcessorObjections(caller)) {
            throw ProblemException.forbidden("Only the processor's admin and DPO read objections.");
        }
        return objections.all().stream().map(ObjectionView::of)
                .collect(Collectors.groupingBy(ObjectionView::changeId, Collectors.toList()));
    }

    /** The client's own objections (its workspace shows them beside the changes). */
    @Transactional
    public List<ObjectionView> ofClient(Caller caller, String clientId) {
        if (!AccessPolicy.mayKnowOf(caller, clientId) || !AccessPolicy.mayReadClient(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        return objections.ofClient(clientId).stream().map(ObjectionView::of).toList();
    }
}
