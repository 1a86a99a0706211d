package io.valv.audit;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.valv.web.Problem;
import io.valv.web.ProblemException;
import io.valv.web.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Captures the request facts for audit events before anything can refuse the request, and answers 429 to a
 * client address that has had too many refusals in the current window ({@link Refusals}). Pre-matching,
 * and after {@link RequestIds} (lower priorities run first), so the request id is already assigned.
 */
class AuditRequestFilter {

    static final int MAX_USER_AGENT = 300;
    private final AuditContext context;
    private final Refusals refusals;

    AuditRequestFilter(AuditContext context, Refusals refusals) {
        this.context = context;
        this.refusals = refusals;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 10)
    public Response capture(ContainerRequestContext request, HttpServerRequest http) {
        String address = clientIp(http);
        context.capture(RequestIds.of(request), address, userAgent(request.getHeaderString("User-Agent")));
        // checked before authentication, so a flood of bad tokens costs no token validation either
        if (Refusals.audited(request.getUriInfo().getPath()) && refusals.limited(address)) {
            return Response.status(429).type(Problem.MEDIA_TYPE)
                    // the limit lasts until the window ends, which is when a retry can succeed
                    .header("Retry-After", refusals.secondsLeftInWindow())
                    .entity(new Problem(ProblemException.TYPE_BASE + "too-many-refusals", "Too many refused requests",
                            429, "Too many requests from this address were refused; retry later.", RequestIds.of(request)))
                    .build();
        }
        return null;
    }

    /**
     * The peer address of the connection. Quarkus replaces it with the forwarded client address only when
     * {@code quarkus.http.proxy.proxy-address-forwarding} is on (behind a trusted proxy); a client's own
     * X-Forwarded-For header is never read here.
     */
    static String clientIp(HttpServerRequest http) {
        SocketAddress remote = http == null ? null : http.remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }

    static String userAgent(String header) {
        return printable(header, MAX_USER_AGENT);
    }

    /** The value with control characters (NUL included, which PostgreSQL refuses) replaced, cut to {@code max}. */
    static String printable(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
