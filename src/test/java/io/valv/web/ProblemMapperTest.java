package io.valv.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.crypto.CryptoException;
import io.valv.testing.S3ProxyResource;

/**
 * Every failure an API request can meet becomes the same kind of answer: problem+json with a stable type, the
 * request id, Retry-After on a 503, and nothing of the exception's own class or message. The mapper is called
 * as Quarkus REST calls it, with an API request's context (HostileInputTest and PortalBrowserErrorsTest drive it
 * over HTTP and for pages).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class ProblemMapperTest {

    static final String SECRET = "jdbc:postgresql://db/valv?password=hunter2 at io.valv.Internal";

    @Inject
    ProblemMapper mapper;
    @Inject
    ObjectMapper json;

    @Test
    void aProblemKeepsItsStatusTypeAndDetailAndNamesTheRequest() throws Exception {
        Response r = mapper.problem(ProblemException.notFound("Job"), apiRequest());
        Problem p = problem(r, 404);
        assertEquals(ProblemType.NOT_FOUND.uri(), p.type());
        assertEquals("req-1", p.requestId());
        assertNull(r.getHeaderString(HttpHeaders.RETRY_AFTER), "a 4xx without a wait says nothing of retrying");
    }

    @Test
    void aDependencyOutageSaysWhenToRetry() throws Exception {
        Response r = mapper.problem(new ProblemException(ProblemType.STORAGE_UNAVAILABLE, "The store is down."),
                apiRequest());
        problem(r, 503);
        assertEquals(String.valueOf(DatabaseFaults.RETRY_AFTER_SECONDS), r.getHeaderString(HttpHeaders.RETRY_AFTER));

        Response limited = mapper.problem(new ProblemException(429, ProblemException.TYPE_BASE + "too-many-requests",
                "Too many requests", "Slow down.").retryAfter(7), apiRequest());
        problem(limited, 429);
        assertEquals("7", limited.getHeaderString(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void aLostDatabaseConnectionIsA503NotA500() throws Exception {
        Exception wrapped = new IllegalStateException(SECRET, new SQLException(SECRET, "08006"));
        Response r = mapper.unexpected(wrapped, apiRequest());
        Problem p = problem(r, 503);
        assertEquals(ProblemException.TYPE_BASE + "database-unavailable", p.type());
        assertEquals(String.valueOf(DatabaseFaults.RETRY_AFTER_SECONDS), r.getHeaderString(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void anUnexpectedFailureTellsTheCallerNothingOfItsCause() throws Exception {
        Response r = mapper.unexpected(new IllegalArgumentException(SECRET), apiRequest());
        Problem p = problem(r, 500);
        assertEquals(ProblemException.TYPE_BASE + "internal", p.type());
        assertEquals("The server could not complete the request.", p.detail());

        Problem integrity = problem(mapper.crypto(new CryptoException(SECRET), apiRequest()), 500);
        assertEquals(ProblemException.TYPE_BASE + "integrity", integrity.type());
    }

    @Test
    void frameworkStatusesGetTheCataloguedType() throws Exception {
        Problem p = problem(mapper.web(new WebApplicationException(SECRET, 415), apiRequest()), 415);
        assertEquals(ProblemType.UNSUPPORTED_MEDIA_TYPE.uri(), p.type());
        Problem gone = problem(mapper.web(new WebApplicationException(SECRET, 502), apiRequest()), 502);
        assertEquals("The server could not complete the request.", gone.detail());
    }

    @Test
    void anApiCallerWithoutATokenIsAskedForABearerTokenAndARefusalSaysForbidden() throws Exception {
        Response r = mapper.unauthenticated(new UnauthorizedException(SECRET), apiRequest(), null).await().indefinitely();
        Problem p = problem(r, 401);
        assertEquals(ProblemException.TYPE_BASE + "unauthenticated", p.type());
        assertEquals("Bearer", r.getHeaderString(HttpHeaders.WWW_AUTHENTICATE));

        Problem forbidden = problem(mapper.forbidden(new ForbiddenException(SECRET), apiRequest(), null), 403);
        assertEquals(ProblemException.TYPE_BASE + "forbidden", forbidden.type());
    }

    /** Checks the answer's status and media type, and that no part of the cause's text reached the body. */
    private Problem problem(Response r, int status) throws Exception {
        assertEquals(status, r.getStatus());
        assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
        String body = json.writeValueAsString(r.getEntity());
        assertFalse(body.contains("hunter2") || body.contains("io.valv") || body.contains("Exception"), body);
        Problem p = json.readValue(body, Problem.class);
        assertEquals(status, p.status());
        return p;
    }

    /** The context of an API request (not a portal page) whose request id is {@code req-1}. */
    private static ContainerRequestContext apiRequest() {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] { UriInfo.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestUri" -> URI.create("http://localhost/api/v1/jobs");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ContainerRequestContext) Proxy.newProxyInstance(ContainerRequestContext.class.getClassLoader(),
                new Class<?>[] { ContainerRequestContext.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> RequestIds.PROPERTY.equals(args[0]) ? "req-1" : null;
                    case "getUriInfo" -> uri;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
