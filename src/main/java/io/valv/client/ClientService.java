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
import io.valv.security.Roles;
import io.valv.web.ProblemException;

/** Clients (controllers) and their key-encryption keys. */
@ApplicationScoped
public class ClientService {

    private final ClientRepository clients;
    private final EnvelopeCrypto crypto;
    private final Clock clock;
    private final Event<ClientOffboarded> offboarded;
    private final AuditLog audit;

    ClientService(ClientRepository clients, EnvelopeCrypto crypto, Clock clock, Event<ClientOffboarded> offboarded,
            AuditLog audit) {
        this.clients = clients;
        this.crypto = crypto;
        this.clock = clock;
        this.offboarded = offboarded;
        this.audit = audit;
    }

    /**
     * Ends the relationship: the client key is destroyed at once, which makes every data key of the
     * client, in the database and in any backup, undecryptable (crypto-shredding); the purge feature then
     * deletes the objects and issues certificates. With {@code valv.audit.personal-data=per-client-pseudonyms}
     * the same destruction shreds the client's audit pseudonyms (docs/audit.md).
     */
    @Transactional
    public Client offboard(String id) {
        Client client = require(id);
        if (client.status == Client.Status.OFFBOARDED) {
            return client;
        }
        // recorded while the key still exists, so that in pseudonym mode the offboarding carries the
        // person's pseudonym like the client's other events; destroying the key below, in the same
        // transaction, also shreds every audit pseudonym of the client (derived from this key)
        audit.append(AuditEntry.of(Actions.CLIENT_OFFBOARD).client(id));
        client.status = Client.Status.OFFBOARDED;
        client.wrappedKey = null;
        offboarded.fire(new ClientOffboarded(id));
        return client;
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
        if (caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR)) {
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

    /** The wrapped client key, or a refusal once the client is offboarded and its key destroyed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public byte[] wrappedKeyOf(String id) {
        Client client = require(id);
        if (client.status != Client.Status.ACTIVE || client.wrappedKey == null) {
            throw ProblemException.conflict("client-offboarded", "This client has been offboarded.");
        }
        return client.wrappedKey;
    }
}
