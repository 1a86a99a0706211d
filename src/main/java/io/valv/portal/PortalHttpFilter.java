package io.valv.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP hygiene of the portal, applied at the Vert.x layer so that every answer under {@code /portal} gets it:
 * pages, media, static assets, error pages and the OIDC redirects alike.
 * <ul>
 * <li>Security headers: a CSP without inline script or style, no framing, no sniffing, no referrer, no
 * caching. An answer that brings its own CSP (material content: {@code sandbox}) keeps it.</li>
 * <li>Every visitor gets a CSRF token ({@link PortalCsrf}).</li>
 * <li>Unsafe requests must be HTML forms ({@code application/x-www-form-urlencoded}), whose token
 * {@link PortalCsrfFilter} then checks.</li>
 * </ul>
 */
@ApplicationScoped
class PortalHttpFilter {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; media-src 'self'; "
            + "img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    /** Before the authentication and REST handlers; the value has no other meaning. */
    private static final int PRIORITY = 100;

    private final PortalConfig config;

    PortalHttpFilter(PortalConfig config) {
        this.config = config;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    void filter(RoutingContext rc) {
        if (!isPortal(rc.normalizedPath())) {
            rc.next();
            return;
        }
        rc.addHeadersEndHandler(v -> secure(rc.response()));
        PortalCsrf.issue(rc, config.secureCookies());
        if (isUnsafe(rc.request().method()) && !isForm(rc.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            rc.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("Portal forms only.");
            return;
        }
        rc.next();
    }

    static boolean isPortal(String path) {
        return path != null && (path.equals("/portal") || path.startsWith("/portal/"));
    }

    private static void secure(HttpServerResponse response) {
        var headers = response.headers();
        if (!headers.contains("Content-Security-Policy")) {
            headers.set("Content-Security-Policy", CSP);
        }
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static boolean isUnsafe(HttpMethod method) {
        return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method));
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase("application/x-www-form-urlencoded");
    }
}
