package io.valv.portal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * How the portal's resources answer failures (their class-local exception mappers call these; the client
 * workspace's too). The API's
 * global {@code ProblemMapper} answers 401 problem+json; a browser needs the sign-in redirect instead, and an
 * HTML page where the API would send problem+json.
 */
public final class PortalErrors {

    private PortalErrors() {
    }

    /** An error page with the service's caller-facing title and detail; nothing more. */
    public static Response page(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.message(null, title, detail, false)).build();
    }

    /**
     * An error page for a service's refusal: a heading by status in the reader's language, then the service's
     * own detail (the API's words, which are English).
     */
    static Response page(int status, String detail) {
        return page(status, StaffTexts.now().error_title(status), detail);
    }

    /**
     * The portal tenant's challenge: a redirect to the identity provider's login (the code-flow mechanism
     * sets its state cookie on the way), as Quarkus does when no mapper intervenes.
     */
    public static Uni<Response> challenge(RoutingContext rc) {
        HttpAuthenticator authenticator = rc.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return Uni.createFrom().item(Response.status(401).build());
        }
        return authenticator.getChallenge(rc).map(PortalErrors::toResponse)
                .onFailure().recoverWithItem(() -> Response.status(401).build());
    }

    private static Response toResponse(ChallengeData challenge) {
        Response.ResponseBuilder response = Response.status(challenge.status);
        challenge.getHeaders().forEach((name, value) -> response.header(name.toString(), value));
        return response.build();
    }
}
