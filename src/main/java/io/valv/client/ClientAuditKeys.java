package io.valv.client;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.audit.ClientKeys;

/** The client keys the audit log derives its per-client pseudonym keys from. */
@ApplicationScoped
class ClientAuditKeys implements ClientKeys {

    private final ClientRepository clients;

    ClientAuditKeys(ClientRepository clients) {
        this.clients = clients;
    }

    @Override
    public Optional<ClientKey> find(String clientId) {
        return clients.findByIdOptional(clientId).map(c -> new ClientKey(c.id, c.wrappedKey));
    }

    @Override
    public List<ClientKey> withKeys() {
        return clients.list("wrappedKey is not null").stream().map(c -> new ClientKey(c.id, c.wrappedKey)).toList();
    }
}
