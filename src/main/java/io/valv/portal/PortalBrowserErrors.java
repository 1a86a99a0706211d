package io.valv.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.valv.security.IdentityProviderProbe;
import io.valv.web.BrowserErrors;
import io.valv.web.RequestGate;
import io.vertx.ext.web.RoutingContext;

/**
 * The portal's pages answer failures as pages, never problem+json, and never more detailed: the one mapper in
 * {@code web} hands every {@code /portal} request here, except the workspace's tus uploads (a protocol client
 * reads their problem+json). A refusal says whose pages these are, by area, in the reader's language; a
 * visitor who is not signed in goes to the identity provider's login page.
 */
@ApplicationScoped
class PortalBrowserErrors implements BrowserErrors {

    /** How soon a browser is told to try signing in again while the identity provider is out. */
    static final int SIGN_IN_RETRY_SECONDS = 30;

    private final IdentityProviderProbe identityProvider;

    PortalBrowserErrors(IdentityProviderProbe identityProvider) {
        this.identityProvider = identityProvider;
    }

    @Override
    public boolean answers(String path) {
        return path != null && (path.equals("/portal") || path.startsWith("/portal/")) && !RequestGate.isUpload(path);
    }

    /** A heading by status in the reader's language, then the service's own detail (the API's words, in English). */
    @Override
    public Response page(int status, String detail) {
        return page(status, StaffTexts.now().error_title(status), detail);
    }

    @Override
    public Response forbidden(String path, RoutingContext rc) {
        DeskMessages desk = DeskWords.of(rc);
        StaffMessages staff = StaffTexts.now();
        String whose;
        if (path.startsWith("/portal/audit")) {
            whose = desk.forbidden_dpo();
        } else if (path.startsWith("/portal/admin")) {
            whose = desk.forbidden_admin();
        } else if (path.startsWith("/portal/record-of-processing")) {
            whose = desk.forbidden_record();
        } else if (path.startsWith("/portal/incidents")) {
            whose = desk.forbidden_incidents();
        } else if (path.startsWith("/portal/workspace/") && path.contains("/links")) {
            whose = staff.forbidden_links();
        } else if (path.startsWith("/portal/workspace")) {
            whose = staff.forbidden_workspace();
        } else {
            whose = staff.forbidden_text();
        }
        return page(403, staff.forbidden_title(), whose);
    }

    private static Response page(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.message(null, title, detail, false)).build();
    }

    /**
     * The portal tenant's challenge: a redirect to the identity provider's login (the code-flow mechanism sets
     * its state cookie on the way), as Quarkus does when no mapper intervenes. While the provider does not answer,
     * a redirect would end on the browser's own connection error, so the person gets a page saying sign-in is
     * unavailable, with Retry-After; bearer-token calls are not affected (they are verified with the keys Valv holds).
     */
    @Override
    public Uni<Response> signIn(RoutingContext rc) {
        HttpAuthenticator authenticator = rc.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return Uni.createFrom().item(Response.status(401).build());
        }
        return Uni.createFrom().completionStage(identityProvider.answer()).flatMap(answer -> answer.up()
                ? authenticator.getChallenge(rc).map(PortalBrowserErrors::toResponse)
                        .onFailure().recoverWithItem(PortalBrowserErrors::signInUnavailable)
                : Uni.createFrom().item(signInUnavailable()));
    }

    private static Response signInUnavailable() {
        StaffMessages words = StaffTexts.now();
        return Response.status(503).header(HttpHeaders.RETRY_AFTER, SIGN_IN_RETRY_SECONDS).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.message(null, words.sign_in_unavailable_title(), words.sign_in_unavailable_text(), true))
                .build();
    }

    private static Response toResponse(ChallengeData challenge) {
        Response.ResponseBuilder response = Response.status(challenge.status);
        challenge.getHeaders().forEach((name, value) -> response.header(name.toString(), value));
        return response.build();
    }
}
