package io.valv.portal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.portal")
public interface PortalConfig {

    /**
     * Mark the portal's own cookies (the CSRF token) Secure even when Valv itself is reached over plain HTTP,
     * as behind a TLS-terminating proxy. Off only for dev mode and tests on http://localhost.
     */
    @WithDefault("true")
    boolean secureCookies();
}
