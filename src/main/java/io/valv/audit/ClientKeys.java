package io.valv.audit;

import java.util.List;
import java.util.Optional;

/**
 * What the audit log needs to know of clients: each one's wrapped client key, from which its pseudonym key
 * is derived (docs/audit.md, "Personal data in events"). Owned by {@code audit} and implemented by
 * {@code client}, so that {@code audit} does not read another feature's tables.
 */
public interface ClientKeys {

    /** A client and its wrapped key; {@code wrappedKey} is null once offboarding destroyed it. */
    record ClientKey(String clientId, byte[] wrappedKey) {
    }

    /** The client, or empty when no client has this id. In the caller's transaction. */
    Optional<ClientKey> find(String clientId);

    /** Every client whose key still exists. In the caller's transaction. */
    List<ClientKey> withKeys();
}
