package io.valv.security;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller of the current request, built once from its verified identity (roles, subject, and the client from
 * the token only). Resources inject this and hand the {@link Caller} to the services; a resource is a singleton,
 * so it must not hold a {@code Caller} itself, and this request-scoped bean reaches it through a proxy.
 */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private Caller caller;

    CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The request's caller; call it in a resource method, once authentication has run. */
    public Caller get() {
        if (caller == null) {
            caller = Caller.of(identity);
        }
        return caller;
    }
}
