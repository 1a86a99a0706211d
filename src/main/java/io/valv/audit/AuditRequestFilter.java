package io.valv.audit;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.valv.web.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Captures the request facts for audit events before anything can refuse the request. Pre-matching, and
 * after {@link RequestIds} (lower priorities run first), so the request id is already assigned.
 */
class AuditRequestFilter {

    static final int MAX_USER_AGENT = 300;
    private final AuditContext context;

    AuditRequestFilter(AuditContext context) {
        this.context = context;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 10)
    public void capture(ContainerRequestContext request, HttpServerRequest http) {
        context.capture(RequestIds.of(request), clientIp(http), userAgent(request.getHeaderString("User-Agent")));
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
        if (header == null) {
            return null;
        }
        String clean = header.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= MAX_USER_AGENT ? clean : clean.substring(0, MAX_USER_AGENT);
    }
}
