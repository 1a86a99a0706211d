package io.valv.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Reads the caller's client (tenant) from the verified token and attaches it to the identity. A
 * request parameter or header can never set it: it exists only when the token's signature checked out.
 */
@ApplicationScoped
class TenantAugmentor implements SecurityIdentityAugmentor {

    static final String CLIENT_ATTRIBUTE = "valv.client";
    private final SecurityConfig config;

    TenantAugmentor(SecurityConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Optional<String> client = tenantOf(identity);
        if (client.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(CLIENT_ATTRIBUTE, client.get()).build());
    }

    private Optional<String> tenantOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            Object claim = token.getClaim(config.tenantClaim());
            if (claim != null) {
                String value = claim.toString().replace("\"", "").trim();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return config.tenantRolePrefix().flatMap(prefix -> identity.getRoles().stream()
                .filter(role -> role.startsWith(prefix) && role.length() > prefix.length())
                .map(role -> role.substring(prefix.length())).findFirst());
    }
}
