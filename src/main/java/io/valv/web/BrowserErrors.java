package io.valv.web;

import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * How a failure is answered to a person's browser (the portal's pages), where the API answers problem+json: an
 * HTML page in the reader's language, or the sign-in redirect. {@link ProblemMapper}, the one place errors
 * become answers, asks it for the paths it {@link #answers}; the portal implements it, so that {@code web}
 * imports no feature.
 */
public interface BrowserErrors {

    /** Whether a request for this path is a page's (not the API's, not a protocol client's such as tus). */
    boolean answers(String path);

    /**
     * A page with the status and detail the problem+json would have carried, under a heading for the status in
     * the reader's language; nothing more.
     */
    Response page(int status, String detail);

    /** A signed-in person whose role does not reach the page at this path, told whose pages they are. */
    Response forbidden(String path, RoutingContext rc);

    /** Not signed in, or the session is no longer valid: off to the identity provider's login page. */
    Uni<Response> signIn(RoutingContext rc);
}
