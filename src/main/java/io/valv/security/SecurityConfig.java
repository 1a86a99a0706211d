package io.valv.security;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.security")
public interface SecurityConfig {

    /** Verified access-token claim naming the caller's client (tenant). Never taken from the request. */
    @WithDefault("vault_client")
    String tenantClaim();

    /**
     * For identity providers that cannot add a custom claim: a role prefix such that a role
     * {@code <prefix><client>} names the caller's client (e.g. {@code tenant:acme}). Unset by default;
     * the dev-mode OIDC server uses it.
     */
    Optional<String> tenantRolePrefix();
}
