package io.valv.client;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.crypto.EnvelopeCrypto;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;

/** Clients (controllers) and their key-encryption keys. */
@ApplicationScoped
public class ClientService {

    private final ClientRepository clients;
    private final EnvelopeCrypto crypto;
    private final Clock clock;
    private final Event<ClientOffboarded> offboarded;
    private final AuditLog audit;
    private final EndOfContract endOfContract;

    ClientService(ClientRepository clients, EnvelopeCrypto crypto, Clock clock, Event<ClientOffboarded> offboarded,
            AuditLog audit, EndOfContract endOfContract) {
        this.endOfContract = endOfContract;
        this.clients = clients;
        this.crypto = crypto;
        this.clock = clock;
        this.offboarded = offboarded;
        this.audit = audit;
    }

    /**
     * Schedules the end of the relationship (lifecycle rule 5): from now on the client takes no new
     * material; when the waiting period is over (or the client admin confirms early) the offboarding is
     * carried out by {@link #offboardDue}. A wait of zero (with a reason) carries it out at once. Idempotent
     * while one is pending or done: the existing schedule is answered unchanged.
     */
    @Transactional
    public Client scheduleOffboarding(Caller caller, String id, EndOfContract.Request request) {
        requireMayScheduleEndOfContract(caller);
        Client client = lockedForClosing(id);
        if (client.status == Client.Status.OFFBOARDED || client.offboardScheduledFor != null) {
            return client;
        }
        client.offboardScheduledFor = endOfContract.scheduledFor(request);
        client.offboardScheduledBy = caller.subject();
        client.offboardReason = request.reason();
        audit.append(AuditEntry.of(Actions.CLIENT_OFFBOARD_SCHEDULE).by(caller).client(id)
                .detail(EndOfContract.describe(client.offboardScheduledFor, request)));
        if (endOfContract.isDue(client.offboardScheduledFor)) {
            carryOutOffboarding(client);
        }
        return client;
    }

    /** The processor's admin withdraws a pending offboarding; everything stays as it was. */
    @Transactional
    public Client cancelOffboarding(Caller caller, String id) {
        requireMayScheduleEndOfContract(caller);
        Client client = lockedForClosing(id);
        requirePending(client);
        client.offboardScheduledFor = null;
        client.offboardScheduledBy = null;
        client.offboardReason = null;
        audit.append(AuditEntry.of(Actions.CLIENT_OFFBOARD_CANCEL).by(caller).client(id));
        return client;
    }

    /** The client admin confirms deletion now instead of at the end of the waiting period. */
    @Transactional
    public Client confirmOffboarding(Caller caller, String id) {
        if (!AccessPolicy.mayKnowOf(caller, id)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayConfirmEndOfContract(caller, id)) {
            throw ProblemException.forbidden("Only the client's admin can confirm the end of its contract.");
        }
        Client client = lockedForClosing(id);
        if (client.status == Client.Status.OFFBOARDED) {
            return client;
        }
        requirePending(client);
        audit.append(AuditEntry.of(Actions.CLIENT_OFFBOARD_CONFIRM).by(caller).client(id));
        carryOutOffboarding(client);
        return client;
    }

    /** Carries out the offboardings whose waiting period is over; replica-safe. Returns how many. */
    @Transactional
    public int offboardDue(int limit) {
        List<Client> due = clients.dueOffboardings(Instant.now(clock), limit);
        for (Client client : due) {
            audit.append(AuditEntry.of(Actions.CLIENT_OFFBOARD).bySystem().client(client.id).detail("waiting period over"));
            destroyKey(client);
        }
        return due.size();
    }

    /**
     * Ends the relationship: the client key is destroyed at once, which makes every data key of the
     * client, in the database and in any backup, undecryptable (crypto-shredding); the purge feature then
     * deletes the objects and issues certificates. With {@code valv.audit.personal-data=per-client-pseudonyms}
     * the same destruction shreds the client's audit pseudonyms (docs/audit.md).
     */
    private void carryOutOffboarding(Client client) {
        // recorded while the key still exists, so that in pseudonym mode the offboarding carries the
        // person's pseudonym like the client's other events; destroying the key below, in the same
        // transaction, also shreds every audit pseudonym of the client (derived from this key)
        audit.append(AuditEntry.of(Actions.CLIENT_OFFBOARD).client(client.id));
        destroyKey(client);
    }

    private void destroyKey(Client client) {
        client.status = Client.Status.OFFBOARDED;
        client.wrappedKey = null;
        client.offboardScheduledFor = null;
        offboarded.fire(new ClientOffboarded(client.id));
    }

    /**
     * The client row locked for a closing operation: an upload becomes stored only under a shared lock on
     * the same row ({@link #requireAcceptsNewMaterial}), so the two never interleave.
     */
    private Client lockedForClosing(String id) {
        Client client = clients.lockedForUpdate(id);
        if (client == null) {
            throw ProblemException.notFound("Client");
        }
        return client;
    }

    private static void requireMayScheduleEndOfContract(Caller caller) {
        if (!AccessPolicy.mayScheduleEndOfContract(caller)) {
            throw ProblemException.forbidden("Only the processor's admin can schedule or cancel an end of contract.");
        }
    }

    private static void requirePending(Client client) {
        if (client.status == Client.Status.OFFBOARDED) {
            throw ProblemException.conflict("end-of-contract-done", "This client has already been offboarded.");
        }
        if (client.offboardScheduledFor == null) {
            throw ProblemException.conflict("nothing-scheduled", "No offboarding is scheduled for this client.");
        }
    }

    /**
     * Lifecycle rule 1: refuses unless the client still takes new material, holding a shared lock on its
     * row until the caller's transaction ends, so that an offboarding cannot slip in between the check and
     * the material becoming stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requireAcceptsNewMaterial(String id) {
        Client client = clients.lockedShared(id);
        if (client == null || client.status != Client.Status.ACTIVE || client.wrappedKey == null) {
            throw ProblemException.conflict("client-offboarded", "This client has been offboarded.");
        }
        if (client.offboardScheduledFor != null) {
            throw ProblemException.conflict("end-of-contract-scheduled",
                    "This client's contract is ending; it takes no new material.");
        }
    }

    @Transactional
    public Client create(String id, String name, String orgNumber, String contact) {
        if (clients.findById(id) != null) {
            throw ProblemException.conflict("client-exists", "A client with this id already exists.");
        }
        Client client = new Client();
        client.id = id;
        client.name = name;
        client.orgNumber = orgNumber;
        client.contact = contact;
        client.status = Client.Status.ACTIVE;
        client.wrappedKey = crypto.newWrappedClientKey(id);
        client.createdAt = Instant.now(clock);
        clients.persist(client);
        audit.append(AuditEntry.of(Actions.CLIENT_CREATE).client(id));
        return client;
    }

    @Transactional
    public List<Client> visibleTo(Caller caller) {
        if (AccessPolicy.maySeeEveryClient(caller)) {
            return clients.listAll(io.quarkus.panache.common.Sort.by("id"));
        }
        return caller.clientId().filter(id -> AccessPolicy.mayReadClient(caller, id)).map(clients::findById)
                .map(List::of).orElse(List.of());
    }

    @Transactional
    public Client get(Caller caller, String id) {
        Client client = clients.findById(id);
        if (client == null || !AccessPolicy.mayKnowOf(caller, id)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayReadClient(caller, id)) {
            throw ProblemException.forbidden("Your role does not allow reading client records.");
        }
        return client;
    }

    /** The client, for other features' rules; 404 when it does not exist. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Client require(String id) {
        Client client = clients.findById(id);
        if (client == null) {
            throw ProblemException.notFound("Client");
        }
        return client;
    }

    /** Whether a client with this id exists (active or offboarded), for other features' input checks. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean exists(String id) {
        return clients.findById(id) != null;
    }

    /** The wrapped client key, or a refusal once the client is offboarded and its key destroyed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public byte[] wrappedKeyOf(String id) {
        return wrappedKeyOf(require(id));
    }

    /** {@link #wrappedKeyOf(String)} of a client row the caller has read already (a content read's one lookup). */
    public byte[] wrappedKeyOf(Client client) {
        if (client.status != Client.Status.ACTIVE || client.wrappedKey == null) {
            throw ProblemException.conflict("client-offboarded", "This client has been offboarded.");
        }
        return client.wrappedKey;
    }
}
