package io.valv.web;

import java.io.CharConversionException;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import io.valv.crypto.CryptoException;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place errors become HTTP answers: RFC 9457 {@code application/problem+json}, a stable type,
 * never a stack trace, class name or internal message. 5xx are logged with the request id; 4xx at debug. A
 * request for a portal page gets the same status and detail as a page, and the sign-in redirect instead of 401,
 * from {@link BrowserErrors}.
 */
public class ProblemMapper {

    /** The portal's way of answering a browser; unresolvable only where no portal is deployed. */
    private final Instance<BrowserErrors> browsers;

    ProblemMapper(Instance<BrowserErrors> browsers) {
        this.browsers = browsers;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request) {
        Response response = answer(e, request);
        e.headers().forEach((name, value) -> response.getHeaders().putSingle(name, value));
        return response;
    }

    private Response answer(ProblemException e, ContainerRequestContext request) {
        if (e.status() >= 500) {
            // an anticipated failure (store down, integrity): its own detail says what happened
            Log.warnf("Request %s answered %d: %s", RequestIds.of(request), e.status(), e.type());
            Response response = respond(request, e.status(), e.type(), e.title(), e.detail(), null);
            if (e.status() == 503) {
                // a dependency is out (store, audit log, database): every 503 says when to try again
                response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseFaults.RETRY_AFTER_SECONDS));
            }
            return response;
        }
        Response response = respond(request, e.status(), e.type(), e.title(), e.detail(), e);
        if (e.retryAfterSeconds() > 0) {
            response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        return response;
    }

    @ServerExceptionMapper
    public Uni<Response> unauthenticated(UnauthorizedException e, ContainerRequestContext request, RoutingContext rc) {
        return unauthorized(request, rc);
    }

    @ServerExceptionMapper
    public Uni<Response> badToken(AuthenticationFailedException e, ContainerRequestContext request, RoutingContext rc) {
        return unauthorized(request, rc);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ContainerRequestContext request, RoutingContext rc) {
        BrowserErrors browser = browserFor(request);
        if (browser != null) {
            Log.debugf("Request %s refused with 403: forbidden", RequestIds.of(request));
            return browser.forbidden(path(request), rc);
        }
        return respond(request, 403, ProblemException.TYPE_BASE + "forbidden", "Forbidden",
                "Your role does not allow this operation.", e);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, ContainerRequestContext request) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted().reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return respond(request, 400, ProblemException.TYPE_BASE + "validation", "Invalid request", detail, e);
    }

    /**
     * A body that is not one JSON document of the operation's shape: Jackson's own exceptions (a wrong type,
     * {@code null}, {@code []}, a duplicate or unknown key, too large or too deep; see {@link JsonLimits}),
     * whether thrown as they are or wrapped by the JSON reader in a 400.
     */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e, ContainerRequestContext request) {
        return respond(request, 400, ProblemType.INVALID_JSON.uri(), ProblemType.INVALID_JSON.title(), jsonDetail(e), e);
    }

    /**
     * Jackson guesses a body's encoding from its first bytes and throws this plain IOException when the guess is
     * an encoding it does not read (e.g. {@code 00 00 06 00}, "UCS-4 2143"); the JSON reader lets it through,
     * so it would be a 500. Found by JsonBodiesFuzzTest.
     */
    @ServerExceptionMapper
    public Response encoding(CharConversionException e, ContainerRequestContext request) {
        return respond(request, 400, ProblemType.INVALID_JSON.uri(), ProblemType.INVALID_JSON.title(),
                "The body is not JSON in UTF-8.", e);
    }

    /** Declared apart: quarkus-rest-jackson maps this subtype itself (an empty 400) unless a closer mapper exists. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e, ContainerRequestContext request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, ContainerRequestContext request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, request);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String title = type.title();
        String detail = status >= 500 ? "The server could not complete the request." : title + ".";
        return respond(request, status, type.uri(), title, detail, e);
    }

    @ServerExceptionMapper
    public Response crypto(CryptoException e, ContainerRequestContext request) {
        return respond(request, 500, ProblemException.TYPE_BASE + "integrity", "Integrity failure",
                "Stored content failed its integrity check; the incident has been logged.", e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request) {
        if (DatabaseFaults.isUnavailable(e)) {
            // not a bug but an outage (restart, failover): nothing was changed, and a retry soon will do
            Log.warnf("Request %s answered 503: database unavailable", RequestIds.of(request));
            Response response = respond(request, 503, ProblemException.TYPE_BASE + "database-unavailable",
                    "Database unavailable", "The database cannot be reached right now; nothing was changed. Retry shortly.",
                    null);
            response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseFaults.RETRY_AFTER_SECONDS));
            return response;
        }
        return respond(request, 500, ProblemException.TYPE_BASE + "internal", "Internal error",
                "The server could not complete the request.", e);
    }

    private Uni<Response> unauthorized(ContainerRequestContext request, RoutingContext rc) {
        BrowserErrors browser = browserFor(request);
        if (browser != null) {
            return browser.signIn(rc);
        }
        Response response = respond(request, 401, ProblemException.TYPE_BASE + "unauthenticated", "Unauthenticated",
                "A valid bearer token is required.", null);
        response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return Uni.createFrom().item(response);
    }

    /** The browser's answerer when this request is a page's, else null (problem+json). */
    private BrowserErrors browserFor(ContainerRequestContext request) {
        if (!browsers.isResolvable()) {
            return null;
        }
        BrowserErrors browser = browsers.get();
        return browser.answers(path(request)) ? browser : null;
    }

    private static String path(ContainerRequestContext request) {
        return request.getUriInfo().getRequestUri().getRawPath();
    }

    /** The problem as problem+json, or as a page with the same status and words for a browser's request. */
    private Response respond(ContainerRequestContext request, int status, String type, String title, String detail,
            Throwable cause) {
        Response problem = problemJson(request, status, type, title, detail, cause);
        BrowserErrors browser = browserFor(request);
        return browser == null ? problem : browser.page(status, detail);
    }

    private static Response problemJson(ContainerRequestContext request, int status, String type, String title, String detail,
            Throwable cause) {
        String requestId = RequestIds.of(request);
        if (status >= 500 && cause != null) {
            // the cause's class and message stay in the server log, tied to the request id
            Log.errorf(cause, "Request %s failed with %d", requestId, status);
        } else if (cause != null) {
            Log.debugf("Request %s refused with %d: %s", requestId, status, type);
        }
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, requestId)).build();
    }

    /** What was wrong, without echoing the caller's text (a key or value could be anything). */
    static String jsonDetail(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "The body is too large or too deeply nested.";
        }
        if (e instanceof UnrecognizedPropertyException) {
            return "The body has a property this operation does not take.";
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field")) {
            return "The body names a key twice.";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = mismatch.getPath().stream().map(r -> r.getFieldName()).filter(f -> f != null)
                    .reduce((a, b) -> b).orElse(null);
            return field == null ? "The body must be a JSON object of this operation's shape."
                    : "The value of " + field + " has the wrong type or form.";
        }
        return "The body is not valid JSON.";
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
