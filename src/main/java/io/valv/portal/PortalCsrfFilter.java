package io.valv.portal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses (400) an unsafe request to a portal resource unless its form carries the token of this browser's
 * CSRF cookie and this session (see {@link PortalCsrf}); a workspace tus request carries it in the
 * {@value PortalCsrf#HEADER} header instead. Bound by {@link PortalCsrf.Protected} to the portal's
 * resource classes only.
 */
class PortalCsrfFilter {

    private final CurrentIdentityAssociation identities;
    private final PortalCsrf.Key key;

    PortalCsrfFilter(CurrentIdentityAssociation identities, PortalCsrf.Key key) {
        this.identities = identities;
        this.key = key;
    }

    @ServerRequestFilter
    @WithFormRead
    @PortalCsrf.Protected
    Uni<Response> verify(ResteasyReactiveContainerRequestContext request, RoutingContext rc) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            return Uni.createFrom().nullItem();
        }
        MediaType type = request.getMediaType();
        boolean form = type != null && MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type);
        Object sent;
        if (form) {
            sent = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormParameter(PortalCsrf.FIELD,
                    true, false);
        } else if (PortalHttpFilter.isTusRequest(rc.request().method(), rc.normalizedPath(),
                request.getHeaderString(HttpHeaders.CONTENT_TYPE))) {
            // the upload script's requests carry the same token in a header (a tus body is the file)
            sent = request.getHeaderString(PortalCsrf.HEADER);
        } else {
            sent = null;
        }
        // a secret handed out with this very answer was never seen by a page: no form can carry its token
        if (!(sent instanceof String token) || !Boolean.TRUE.equals(rc.get(PortalCsrf.FROM_COOKIE))) {
            return Uni.createFrom().item(refusal());
        }
        String secret = rc.get(PortalCsrf.SECRET);
        // the identity of the session (non-blocking: resolved by the portal tenant from its cookie)
        return identities.getDeferredIdentity().map(identity -> {
            String expected = key.token(secret, identity);
            return expected != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8)) ? null : refusal();
        });
    }

    private static Response refusal() {
        return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity("Missing or wrong form token.").build();
    }
}
