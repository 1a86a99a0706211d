package io.valv.portal;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.portal")
public interface PortalConfig {

    /**
     * Mark the portal's own cookies (the CSRF cookie) Secure, and name it with the {@code __Host-} prefix, even
     * when Valv itself is reached over plain HTTP, as behind a TLS-terminating proxy. Off only for dev mode and
     * tests on http://localhost.
     */
    @WithDefault("true")
    boolean secureCookies();

    /**
     * The portal's public URL, e.g. {@code https://valv.example.com} (scheme, host, optional port; no path).
     * When set, a request to {@code /portal/**} whose {@code Host} names anything else is refused (421) before
     * the OIDC login sees it, so a hostile {@code Host} header cannot steer the {@code redirect_uri} or the
     * post-logout URI that quarkus-oidc builds from the request; and a form's {@code Origin} must be this URL.
     * Unset, the request's own host is trusted: set it in production.
     */
    Optional<URI> publicUrl();

    /**
     * Server key (32+ characters, the same on every replica) under which a form's CSRF token is an HMAC of the
     * browser's CSRF cookie and the signed-in session (subject and provider session id). Defaults to a key
     * derived from the portal session-cookie key or client secret (application.properties); unset there as
     * well (portal switched off), a random key per process.
     */
    Optional<String> csrfKey();
}
