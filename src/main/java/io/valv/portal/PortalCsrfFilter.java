package io.valv.portal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.vertx.ext.web.RoutingContext;

/**
 * Refuses (400) an unsafe request to a portal resource unless its form carries the visitor's CSRF token
 * (see {@link PortalCsrf}). Bound by {@link PortalCsrf.Protected} to the portal's resource classes only.
 */
class PortalCsrfFilter {

    @ServerRequestFilter
    @WithFormRead
    @PortalCsrf.Protected
    Response verify(ResteasyReactiveContainerRequestContext request, RoutingContext rc) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            return null;
        }
        String expected = rc.get(PortalCsrf.TOKEN);
        MediaType type = request.getMediaType();
        Object sent = type != null && MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type)
                ? ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormParameter(PortalCsrf.FIELD,
                        true, false)
                : null;
        boolean valid = expected != null && Boolean.TRUE.equals(rc.get(PortalCsrf.FROM_COOKIE))
                && sent instanceof String s
                && MessageDigest.isEqual(s.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
        return valid ? null
                : Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity("Missing or wrong form token.").build();
    }
}
