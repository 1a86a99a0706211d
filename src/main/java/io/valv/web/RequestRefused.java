package io.valv.web;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.logging.Log;

/**
 * A request answered with a 4xx, fired synchronously on the request's thread for every such answer of a
 * resource, an exception mapper or a filter (problem+json of the API, pages of the portal, a 416 built by
 * hand alike); the audit log observes it and decides what of it is recorded (docs/audit.md, "Refusals").
 * An event rather than a call, so that {@code web} imports no feature.
 *
 * @param status the HTTP status answered
 * @param problemType the problem type URI, or null where the answer is not problem+json (portal pages)
 * @param method the HTTP method
 * @param path the request path (no query), with any secret in it replaced ({@link SecretPaths})
 * @param pathParameters the first value of each path parameter but a secret one; empty when the request matched
 *        no resource
 * @param requestId the request's id ({@link RequestIds})
 */
public record RequestRefused(int status, String problemType, String method, String path,
        Map<String, String> pathParameters, String requestId) {

    /** Fires {@link RequestRefused} for 4xx answers, after the exception mappers have made them. */
    public static class Filter {

        private final Event<RequestRefused> event;

        Filter(Event<RequestRefused> event) {
            this.event = event;
        }

        @ServerResponseFilter
        public void refused(ContainerRequestContext request, ContainerResponseContext response) {
            int status = response.getStatus();
            if (status < 400 || status >= 500) {
                return;
            }
            try {
                Map<String, String> params = new HashMap<>();
                request.getUriInfo().getPathParameters().forEach((k, v) -> {
                    if (!v.isEmpty() && !SecretPaths.TOKEN_PARAMETER.equals(k)) {
                        params.put(k, v.get(0));
                    }
                });
                String type = response.getEntity() instanceof Problem p ? p.type() : null;
                event.fire(new RequestRefused(status, type, request.getMethod(),
                        SecretPaths.redact(request.getUriInfo().getPath()),
                        Map.copyOf(params), RequestIds.of(request)));
            } catch (RuntimeException e) {
                // auditing must never change or break the answer
                Log.errorf("Request %s: its refusal could not be audited (%s)", RequestIds.of(request),
                        e.getClass().getSimpleName());
            }
        }
    }
}
