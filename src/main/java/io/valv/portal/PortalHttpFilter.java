package io.valv.portal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP hygiene of the portal, applied at the Vert.x layer so that every answer under {@code /portal} gets it:
 * pages, media, static assets, error pages and the OIDC redirects alike.
 * <ul>
 * <li>Security headers: a CSP without inline script or style, no framing, no sniffing, no referrer, no
 * caching. An answer that brings its own CSP (material content: {@code sandbox}) keeps it.</li>
 * <li>With a pinned public URL ({@link PortalConfig#publicUrl()}), a request naming another host is refused
 * (421) before quarkus-oidc builds a {@code redirect_uri} or post-logout URI from its {@code Host} header.</li>
 * <li>Every visitor gets a CSRF cookie ({@link PortalCsrf}) and a page language ({@link PortalLanguage}).</li>
 * <li>Unsafe requests from another site are refused (403): a {@code Sec-Fetch-Site} other than
 * {@code same-origin}, or an {@code Origin} other than the portal's own. Requests with neither header (not
 * from a browser, e.g. the provider's back-channel logout) go on to the token check.</li>
 * <li>Unsafe requests must be HTML forms ({@code application/x-www-form-urlencoded}), whose token
 * {@link PortalCsrfFilter} then checks. The one exception is the workspace's resumable upload (tus from the
 * page's script, {@link #isTusRequest}): exactly its routes, methods and content types, with the token in the
 * {@value PortalCsrf#HEADER} header instead of a form field.</li>
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
        URI requested = requested(rc);
        if (requested == null || requested.getHost() == null) {
            refuse(rc, 400, "Bad Host header.");
            return;
        }
        if (config.publicUrl().isPresent() && !sameAuthority(config.publicUrl().get(), requested)) {
            refuse(rc, 421, "Unknown host.");
            return;
        }
        PortalCsrf.issue(rc, config.secureCookies());
        PortalLanguage.apply(rc, config.secureCookies());
        if (isUnsafe(rc.request().method())) {
            String origin = origin(config.publicUrl().orElse(requested));
            if (isCrossSite(rc.request().getHeader("Sec-Fetch-Site"), rc.request().getHeader(HttpHeaders.ORIGIN), origin)) {
                refuse(rc, 403, "Cross-site form refused.");
                return;
            }
            if (!isForm(rc.request().getHeader(HttpHeaders.CONTENT_TYPE))
                    && !isTusRequest(rc.request().method(), rc.normalizedPath(),
                            rc.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
                refuse(rc, 400, "Portal forms only.");
                return;
            }
        }
        rc.next();
    }

    /** Scheme and authority of the request, as quarkus-oidc will see them (the path plays no part). */
    private static URI requested(RoutingContext rc) {
        HostAndPort authority = rc.request().authority();
        if (authority == null || authority.host() == null || authority.host().isEmpty()) {
            return null;
        }
        try {
            return new URI(rc.request().scheme(), null, authority.host(), authority.port(), null, null, null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static void refuse(RoutingContext rc, int status, String message) {
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(message);
    }

    /** Same host and port, a missing port being the default of the pinned URL's scheme. */
    static boolean sameAuthority(URI pinned, URI requested) {
        int defaultPort = "https".equalsIgnoreCase(pinned.getScheme()) ? 443 : 80;
        return pinned.getHost() != null && pinned.getHost().equalsIgnoreCase(requested.getHost())
                && port(pinned, defaultPort) == port(requested, defaultPort);
    }

    private static int port(URI uri, int defaultPort) {
        return uri.getPort() < 0 ? defaultPort : uri.getPort();
    }

    /** The serialized origin (RFC 6454) of a URL, as a browser sends it in {@code Origin}. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        String port = uri.getPort() < 0 || uri.getPort() == defaultPort ? "" : ":" + uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port;
    }

    /**
     * Fetch metadata first (every current browser sends it, and no page can forge it): only {@code same-origin}
     * passes. The {@code Origin}, if any, must then be the portal's, except {@code null}: under the portal's
     * {@code Referrer-Policy: no-referrer} a browser sends {@code Origin: null} even for its own forms, so
     * {@code null} passes only when fetch metadata vouches for the request, never alone.
     */
    static boolean isCrossSite(String fetchSite, String originHeader, String ownOrigin) {
        boolean sameOrigin = fetchSite != null && fetchSite.strip().equalsIgnoreCase("same-origin");
        if (fetchSite != null && !sameOrigin) {
            return true;
        }
        if (originHeader == null || originHeader.strip().equalsIgnoreCase(ownOrigin)) {
            return false;
        }
        return !(sameOrigin && originHeader.strip().equals("null"));
    }

    /**
     * The portal, the upload-link pages for senders without an account (io.valv.uploadlink) and the public
     * certificate verify page (issue 18): the same headers and language choice.
     */
    static boolean isPortal(String path) {
        return path != null && (path.equals("/portal") || path.startsWith("/portal/") || path.startsWith("/upload/")
                || path.equals("/verify") || path.startsWith("/verify/"));
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

    private static final java.util.regex.Pattern TUS_CREATION = java.util.regex.Pattern
            .compile("/portal/workspace/jobs/[0-9a-fA-F-]{36}/uploads");
    private static final java.util.regex.Pattern TUS_UPLOAD = java.util.regex.Pattern
            .compile("/portal/workspace/uploads/[A-Za-z0-9_-]{1,64}");
    private static final String OFFSET_STREAM = "application/offset+octet-stream";

    /**
     * The workspace's tus requests, the only unsafe portal requests that are not forms: creation ({@code POST},
     * no body or a first chunk), append ({@code PATCH} with an offset stream) and termination ({@code DELETE}, no
     * body). Anything else on these paths, or these methods elsewhere, is still refused.
     */
    static boolean isTusRequest(HttpMethod method, String path, String contentType) {
        if (path == null) {
            return false;
        }
        String type = contentType == null ? null : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (HttpMethod.POST.equals(method) && TUS_CREATION.matcher(path).matches()) {
            return type == null || type.equals(OFFSET_STREAM);
        }
        if (HttpMethod.PATCH.equals(method) && TUS_UPLOAD.matcher(path).matches()) {
            return OFFSET_STREAM.equals(type);
        }
        return HttpMethod.DELETE.equals(method) && TUS_UPLOAD.matcher(path).matches() && type == null;
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
