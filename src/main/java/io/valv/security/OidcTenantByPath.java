package io.valv.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.TenantResolver;
import io.vertx.ext.web.RoutingContext;

/**
 * Picks the OIDC tenant from the request path alone: {@code /portal} and below sign people in with the
 * {@code portal} tenant (authorization-code flow, session cookie); every other path, {@code /api} included,
 * uses the default tenant, which takes bearer tokens only.
 * <p>
 * Why a resolver and not only {@code quarkus.oidc.portal.tenant-paths}: when the path resolution yields the
 * default tenant, quarkus-oidc falls back to the tenant named by an OIDC session or state cookie
 * ({@code q_session_portal}) on the request. A portal session cookie sent to {@code /api} by hand was then
 * accepted there, without the portal's CSRF checks. A resolver's answer is taken before that fallback, so the
 * path decides, whatever cookies come along.
 */
@ApplicationScoped
class OidcTenantByPath implements TenantResolver {

    /** The portal's tenant id, as in {@code quarkus.oidc.portal.*}. */
    static final String PORTAL = "portal";
    /** quarkus-oidc's id of the unnamed default tenant (io.quarkus.oidc.runtime.OidcUtils.DEFAULT_TENANT_ID). */
    static final String DEFAULT = "Default";

    @Override
    public String resolve(RoutingContext context) {
        return isPortal(context.normalizedPath()) ? PORTAL : DEFAULT;
    }

    static boolean isPortal(String path) {
        return path != null && (path.equals("/portal") || path.startsWith("/portal/"));
    }
}
