package io.valv.security;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, as far as Valv's rules care: subject, Valv roles, and the client from the verified
 * token. Built from the {@link SecurityIdentity}; services take it as a parameter so that every rule
 * is a plain, testable function of it.
 */
public record Caller(String subject, Set<String> roles, Optional<String> clientId) {

    private static final Set<String> KNOWN = Set.of(Roles.VAULT_ADMIN, Roles.STAFF, Roles.AUDITOR,
            Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN);

    public static Caller of(SecurityIdentity identity) {
        Set<String> roles = new TreeSet<>(identity.getRoles());
        roles.retainAll(KNOWN);
        String client = identity.getAttribute(TenantAugmentor.CLIENT_ATTRIBUTE);
        return new Caller(identity.getPrincipal().getName(), Set.copyOf(roles), Optional.ofNullable(client));
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** True when the caller acts for this client with one of the client roles. */
    public boolean actsFor(String client, String... clientRoles) {
        if (clientId.isEmpty() || !clientId.get().equals(client)) {
            return false;
        }
        for (String role : clientRoles) {
            if (has(role)) {
                return true;
            }
        }
        return false;
    }

    /** A client-side caller (uploader or admin) is confined to its own client's data. */
    public boolean isClientSide() {
        return has(Roles.CLIENT_ADMIN) || has(Roles.CLIENT_UPLOADER);
    }
}
