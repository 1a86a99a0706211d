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

import io.valv.client.ClientService;
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

    DpaService(DpaRepository dpas, SubProcessorRepository subProcessors, DpaSubProcessorRepository permits,
            ClientService clients, StorageConfig storage, Clock clock, Event<DpaTerminated> terminated) {
        this.dpas = dpas;
        this.subProcessors = subProcessors;
        this.permits = permits;
        this.clients = clients;
        this.storage = storage;
        this.clock = clock;
        this.terminated = terminated;
    }

    @Transactional
    public SubProcessor registerSubProcessor(String name, String purpose, String country, String transferMechanism) {
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
        return dpa;
    }

    @Transactional
    public Dpa activate(String clientId, UUID dpaId) {
        Dpa dpa = ofClient(clientId, dpaId);
        if (dpa.status != Dpa.Status.DRAFT) {
            throw ProblemException.conflict("dpa-not-draft", "Only a draft DPA can be activated.");
        }
        dpa.status = Dpa.Status.ACTIVE;
        return dpa;
    }

    /** Terminates a DPA; everything processed under it is purged (the purge feature observes the event). */
    @Transactional
    public Dpa terminate(String clientId, UUID dpaId) {
        Dpa dpa = ofClient(clientId, dpaId);
        if (dpa.status == Dpa.Status.TERMINATED) {
            return dpa;
        }
        dpa.status = Dpa.Status.TERMINATED;
        dpa.terminatedAt = Instant.now(clock);
        terminated.fire(new DpaTerminated(dpa.id, dpa.clientId));
        return dpa;
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
                : dpas.activeForClient(clientId).stream().filter(d -> d.inForceOn(today)).findFirst().orElse(null);
        if (dpa == null || !dpa.clientId.equals(clientId)) {
            throw new ProblemException(409, "no-active-dpa", "No active DPA",
                    "The client has no data processing agreement in force; material cannot be processed.");
        }
        if (!dpa.inForceOn(today)) {
            throw new ProblemException(409, "dpa-not-active", "DPA not in force",
                    "The named data processing agreement is not active today.");
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
        if (dpa == null || !dpa.inForceOn(today)) {
            throw new ProblemException(409, "dpa-not-active", "DPA not in force",
                    "The job's data processing agreement is not active; nothing can be uploaded into it.");
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
}
