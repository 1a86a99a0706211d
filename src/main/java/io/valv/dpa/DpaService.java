package io.valv.dpa;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.client.ClientService;
import io.valv.client.EndOfContract;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.storage.StorageConfig;
import io.valv.web.ProblemException;

/** DPAs and the sub-processor register: the legal ground every upload is checked against. */
@ApplicationScoped
public class DpaService {

    private final DpaRepository dpas;
    private final SubProcessorRepository subProcessors;
    private final DpaSubProcessorRepository permits;
    private final ClientService clients;
    private final StorageConfig storage;
    private final Clock clock;
    private final Event<DpaTerminated> terminated;
    private final Event<SubProcessorChanged> changed;
    private final AuditLog audit;
    private final SubProcessorChangeRepository changes;
    private final EndOfContract endOfContract;

    DpaService(DpaRepository dpas, SubProcessorRepository subProcessors, DpaSubProcessorRepository permits,
            ClientService clients, StorageConfig storage, Clock clock, Event<DpaTerminated> terminated,
            SubProcessorChangeRepository changes, AuditLog audit, EndOfContract endOfContract,
            Event<SubProcessorChanged> changed) {
        this.changed = changed;
        this.endOfContract = endOfContract;
        this.dpas = dpas;
        this.subProcessors = subProcessors;
        this.permits = permits;
        this.clients = clients;
        this.storage = storage;
        this.clock = clock;
        this.terminated = terminated;
        this.audit = audit;
        this.changes = changes;
    }

    /** Registers a sub-processor; controllers see the change and the day it takes effect. */
    @Transactional
    public SubProcessor registerSubProcessor(String name, String purpose, String country, String transferMechanism,
            LocalDate effectiveFrom) {
        SubProcessor p = registerSubProcessor(name, purpose, country, transferMechanism);
        SubProcessorChange change = new SubProcessorChange();
        change.id = UUID.randomUUID();
        change.subProcessorId = p.id;
        change.change = "added";
        change.description = name + " (" + purpose + ", " + country + ", " + transferMechanism + ")";
        change.announcedAt = Instant.now(clock);
        change.effectiveFrom = effectiveFrom != null ? effectiveFrom : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        changes.persist(change);
        changed.fire(new SubProcessorChanged(change.id, p.name, change.change, change.description, change.effectiveFrom));
        return p;
    }

    /** The register's history, newest first, with each sub-processor's name. */
    @Transactional
    public List<ChangeView> subProcessorChanges() {
        return changes.newestFirst().stream().map(c -> new ChangeView(c.id, subProcessors.findById(c.subProcessorId).name,
                c.change, c.description, c.announcedAt, c.effectiveFrom)).toList();
    }

    /** Every client with every DPA and the sub-processors each permits: the basis of the Art. 30(2) record. */
    @Transactional
    public List<Dpa> allDpas() {
        return dpas.listAll(io.quarkus.panache.common.Sort.by("clientId").and("createdAt"));
    }

    @Transactional
    public List<SubProcessor> permittedBy(UUID dpaId) {
        return subProcessors.permittedBy(dpaId);
    }

    @Transactional
    SubProcessor registerSubProcessor(String name, String purpose, String country, String transferMechanism) {
        if (subProcessors.byName(name).isPresent()) {
            throw ProblemException.conflict("sub-processor-exists", "A sub-processor with this name already exists.");
        }
        SubProcessor p = new SubProcessor();
        p.id = UUID.randomUUID();
        p.name = name;
        p.purpose = purpose;
        p.country = country;
        p.transferMechanism = transferMechanism;
        p.createdAt = Instant.now(clock);
        subProcessors.persist(p);
        audit.append(AuditEntry.of(Actions.SUBPROCESSOR_REGISTER).detail("sub-processor " + p.id));
        return p;
    }

    @Transactional
    public List<SubProcessor> subProcessors() {
        return subProcessors.listAll(io.quarkus.panache.common.Sort.by("name"));
    }

    @Transactional
    public Dpa create(String clientId, NewDpa spec) {
        clients.require(clientId);
        if (spec.effectiveTo() != null && spec.effectiveTo().isBefore(spec.effectiveFrom())) {
            throw ProblemException.badRequest("validation", "effectiveTo is before effectiveFrom.");
        }
        List<UUID> permitted = new ArrayList<>();
        for (String name : spec.permittedSubProcessors()) {
            permitted.add(subProcessors.byName(name).orElseThrow(() -> ProblemException.badRequest(
                    "unknown-sub-processor", "The sub-processor register has no entry named '" + name + "'.")).id);
        }
        Dpa dpa = new Dpa();
        dpa.id = UUID.randomUUID();
        dpa.clientId = clientId;
        dpa.reference = spec.reference();
        dpa.version = spec.version();
        dpa.signedOn = spec.signedOn();
        dpa.effectiveFrom = spec.effectiveFrom();
        dpa.effectiveTo = spec.effectiveTo();
        dpa.status = spec.draft() ? Dpa.Status.DRAFT : Dpa.Status.ACTIVE;
        dpa.personalDataAllowed = spec.personalDataAllowed();
        dpa.specialCategoriesAllowed = spec.specialCategoriesAllowed();
        dpa.dataCategories = String.join(", ", spec.dataCategories());
        dpa.retentionDays = spec.retentionDays();
        dpa.createdAt = Instant.now(clock);
        dpas.persist(dpa);
        permitted.forEach(id -> permits.persist(new DpaSubProcessor(dpa.id, id)));
        audit.append(AuditEntry.of(Actions.DPA_CREATE).client(clientId).detail("dpa " + dpa.id + " " + dpa.status));
        return dpa;
    }

    @Transactional
    public Dpa activate(String clientId, UUID dpaId) {
        Dpa dpa = ofClient(clientId, dpaId);
        if (dpa.status != Dpa.Status.DRAFT) {
            throw ProblemException.conflict("dpa-not-draft", "Only a draft DPA can be activated.");
        }
        dpa.status = Dpa.Status.ACTIVE;
        audit.append(AuditEntry.of(Actions.DPA_ACTIVATE).client(clientId).detail("dpa " + dpa.id));
        return dpa;
    }

    /**
     * Schedules the termination of a DPA (lifecycle rule 5): from now on nothing new is processed under it;
     * when the waiting period is over (or the client admin confirms early) everything processed under it is
     * purged (the purge feature observes the event). A wait of zero (with a reason) terminates at once.
     * Idempotent while one is pending or done.
     */
    @Transactional
    public Dpa scheduleTermination(Caller caller, String clientId, UUID dpaId, EndOfContract.Request request) {
        requireMayScheduleEndOfContract(caller);
        Dpa dpa = lockedForClosing(clientId, dpaId);
        if (dpa.status == Dpa.Status.TERMINATED || dpa.terminationScheduledFor != null) {
            return dpa;
        }
        dpa.terminationScheduledFor = endOfContract.scheduledFor(request);
        dpa.terminationScheduledBy = caller.subject();
        dpa.terminationReason = request.reason();
        audit.append(AuditEntry.of(Actions.DPA_TERMINATE_SCHEDULE).by(caller).client(clientId)
                .detail("dpa " + dpa.id + " " + EndOfContract.describe(dpa.terminationScheduledFor, request)));
        if (endOfContract.isDue(dpa.terminationScheduledFor)) {
            audit.append(AuditEntry.of(Actions.DPA_TERMINATE).by(caller).client(clientId).detail("dpa " + dpa.id));
            carryOutTermination(dpa);
        }
        return dpa;
    }

    /** The processor's admin withdraws a pending termination; the DPA stays active. */
    @Transactional
    public Dpa cancelTermination(Caller caller, String clientId, UUID dpaId) {
        requireMayScheduleEndOfContract(caller);
        Dpa dpa = lockedForClosing(clientId, dpaId);
        requirePending(dpa);
        dpa.terminationScheduledFor = null;
        dpa.terminationScheduledBy = null;
        dpa.terminationReason = null;
        audit.append(AuditEntry.of(Actions.DPA_TERMINATE_CANCEL).by(caller).client(clientId).detail("dpa " + dpa.id));
        return dpa;
    }

    /** The client admin confirms the termination now instead of at the end of the waiting period. */
    @Transactional
    public Dpa confirmTermination(Caller caller, String clientId, UUID dpaId) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("DPA");
        }
        if (!AccessPolicy.mayConfirmEndOfContract(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin can confirm the end of its contract.");
        }
        Dpa dpa = lockedForClosing(clientId, dpaId);
        if (dpa.status == Dpa.Status.TERMINATED) {
            return dpa;
        }
        requirePending(dpa);
        audit.append(AuditEntry.of(Actions.DPA_TERMINATE_CONFIRM).by(caller).client(clientId).detail("dpa " + dpa.id));
        audit.append(AuditEntry.of(Actions.DPA_TERMINATE).by(caller).client(clientId).detail("dpa " + dpa.id));
        carryOutTermination(dpa);
        return dpa;
    }

    /** Carries out the terminations whose waiting period is over; replica-safe. Returns how many. */
    @Transactional
    public int terminateDue(int limit) {
        List<Dpa> due = dpas.dueTerminations(Instant.now(clock), limit);
        for (Dpa dpa : due) {
            audit.append(AuditEntry.of(Actions.DPA_TERMINATE).bySystem().client(dpa.clientId)
                    .detail("dpa " + dpa.id + " waiting period over"));
            carryOutTermination(dpa);
        }
        return due.size();
    }

    private void carryOutTermination(Dpa dpa) {
        dpa.status = Dpa.Status.TERMINATED;
        dpa.terminatedAt = Instant.now(clock);
        dpa.terminationScheduledFor = null;
        terminated.fire(new DpaTerminated(dpa.id, dpa.clientId));
    }

    /**
     * The DPA row locked for a closing operation: an upload becomes stored only under a shared lock on the
     * same row ({@link #requireTakesNewMaterial}), so the two never interleave.
     */
    private Dpa lockedForClosing(String clientId, UUID dpaId) {
        Dpa dpa = dpas.lockedForUpdate(dpaId);
        if (dpa == null || !dpa.clientId.equals(clientId)) {
            throw ProblemException.notFound("DPA");
        }
        return dpa;
    }

    private static void requireMayScheduleEndOfContract(Caller caller) {
        if (!AccessPolicy.mayScheduleEndOfContract(caller)) {
            throw ProblemException.forbidden("Only the processor's admin can schedule or cancel an end of contract.");
        }
    }

    private static void requirePending(Dpa dpa) {
        if (dpa.status == Dpa.Status.TERMINATED) {
            throw ProblemException.conflict("end-of-contract-done", "This DPA has already been terminated.");
        }
        if (dpa.terminationScheduledFor == null) {
            throw ProblemException.conflict("nothing-scheduled", "No termination is scheduled for this DPA.");
        }
    }

    /**
     * Lifecycle rule 1: refuses unless new material may still be stored under this DPA, holding a shared
     * lock on its row until the caller's transaction ends, so that a termination cannot slip in between
     * the check and the material becoming stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requireTakesNewMaterial(UUID dpaId) {
        Dpa dpa = dpas.lockedShared(dpaId);
        if (dpa == null || !dpa.takesNewMaterialOn(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
            throw notActive();
        }
    }

    private static ProblemException notActive() {
        return new ProblemException(409, "dpa-not-active", "DPA not in force",
                "The job's data processing agreement is not active, or its termination is scheduled; nothing can be"
                        + " uploaded into it.");
    }

    @Transactional
    public List<Dpa> forClient(Caller caller, String clientId) {
        if (!AccessPolicy.mayKnowOf(caller, clientId) || !AccessPolicy.mayReadClient(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        clients.require(clientId);
        return dpas.forClient(clientId);
    }

    @Transactional
    public List<String> permittedNames(UUID dpaId) {
        return subProcessors.permittedBy(dpaId).stream().map(p -> p.name).toList();
    }

    /** The DPA a new job falls under: the named one, or the client's newest DPA in force today. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Dpa forNewJob(String clientId, UUID requested) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Dpa dpa = requested != null ? dpas.findById(requested)
                : dpas.activeForClient(clientId).stream().filter(d -> d.takesNewMaterialOn(today)).findFirst().orElse(null);
        if (dpa == null || !dpa.clientId.equals(clientId)) {
            throw new ProblemException(409, "no-active-dpa", "No active DPA",
                    "The client has no data processing agreement in force; material cannot be processed.");
        }
        if (!dpa.takesNewMaterialOn(today)) {
            throw new ProblemException(409, "dpa-not-active", "DPA not in force",
                    "The named data processing agreement is not active today, or its termination is scheduled.");
        }
        return dpa;
    }

    /**
     * Checks that material may be stored under this DPA today: in force, permits the storage
     * sub-processor, and allows personal data if the uploader declared any.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Dpa requireUploadAllowed(UUID dpaId, boolean personalData) {
        Dpa dpa = dpas.findById(dpaId);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (dpa == null || !dpa.takesNewMaterialOn(today)) {
            throw notActive();
        }
        boolean storagePermitted = subProcessors.permittedBy(dpaId).stream()
                .anyMatch(p -> p.name.equals(storage.subProcessor()));
        if (!storagePermitted) {
            throw new ProblemException(409, "sub-processor-not-permitted", "Storage not permitted",
                    "The job's data processing agreement does not permit the storage sub-processor.");
        }
        if (personalData && !dpa.personalDataAllowed) {
            throw new ProblemException(409, "personal-data-not-allowed", "Personal data not allowed",
                    "The job's data processing agreement does not allow personal data.");
        }
        return dpa;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Dpa require(UUID dpaId) {
        Dpa dpa = dpas.findById(dpaId);
        if (dpa == null) {
            throw ProblemException.notFound("DPA");
        }
        return dpa;
    }

    private Dpa ofClient(String clientId, UUID dpaId) {
        Dpa dpa = dpas.findById(dpaId);
        if (dpa == null || !dpa.clientId.equals(clientId)) {
            throw ProblemException.notFound("DPA");
        }
        return dpa;
    }

    /** What a new DPA states; validated at the resource. */
    public record NewDpa(String reference, String version, LocalDate signedOn, LocalDate effectiveFrom,
            LocalDate effectiveTo, boolean personalDataAllowed, boolean specialCategoriesAllowed,
            List<String> dataCategories, int retentionDays, List<String> permittedSubProcessors, boolean draft) {
    }

    /**
     * The processor's record of processing activities (Art. 30(2)), generated from the live state: per
     * controller, the processing carried out, the categories, sub-processors and transfers, and the
     * security measures in place.
     */
    @Transactional
    public RecordOfProcessing recordOfProcessing(String processorName) {
        java.util.Map<String, java.util.List<RecordOfProcessing.Agreement>> byClient = new java.util.TreeMap<>();
        for (Dpa d : allDpas()) {
            List<RecordOfProcessing.Transfer> recipients = subProcessors.permittedBy(d.id).stream()
                    .map(p -> new RecordOfProcessing.Transfer(p.name, p.purpose, p.country, p.transferMechanism)).toList();
            byClient.computeIfAbsent(d.clientId, k -> new java.util.ArrayList<>()).add(new RecordOfProcessing.Agreement(
                    d.reference, d.version, d.status.name().toLowerCase(), d.effectiveFrom, d.effectiveTo,
                    d.personalDataAllowed, d.specialCategoriesAllowed,
                    d.dataCategories == null || d.dataCategories.isBlank() ? List.of() : List.of(d.dataCategories.split(", ")),
                    Math.min(d.retentionDays, 365), recipients));
        }
        List<RecordOfProcessing.Controller> controllers = byClient.entrySet().stream().map(e -> {
            io.valv.client.Client c = clients.require(e.getKey());
            return new RecordOfProcessing.Controller(c.id, c.name, c.orgNumber, c.contact, c.status.name().toLowerCase(),
                    e.getValue());
        }).toList();
        return new RecordOfProcessing(processorName, Instant.now(clock),
                "Storage of client material for the client's jobs; access by assigned staff for the job's work "
                        + "(e.g. transcription, analysis); return or deletion at the end of the job.",
                controllers, RecordOfProcessing.SECURITY_MEASURES);
    }

    public record ChangeView(UUID id, String subProcessor, String change, String description, Instant announcedAt,
            LocalDate effectiveFrom) {
    }
}
