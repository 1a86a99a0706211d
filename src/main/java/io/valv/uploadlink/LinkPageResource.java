package io.valv.uploadlink;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.valv.web.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/** The sender's page {@code /upload/{token}}: no account, the link's token is the credential. */
@Path("/upload")
@Produces(MediaType.TEXT_HTML)
public class LinkPageResource {

    private final UploadLinkService links;
    private final LinkRateLimit limit;

    LinkPageResource(UploadLinkService links, LinkRateLimit limit) {
        this.links = links;
        this.limit = limit;
    }

    /**
     * Public on purpose: the link's token in the path is the credential, verified before anything is shown. A
     * link that cannot be used gets one page whatever the reason (410; 404 for an unknown token), so the page
     * tells its holder nothing about the job, DPA or client.
     */
    @GET
    @Path("/{token}")
    @PermitAll
    public Response upload(@RestPath String token, @Context HttpServerRequest http) {
        limit.address(http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        UploadLinkService.OpenLink link = links.openForPage(token);
        limit.link(link.id());
        return Response.ok(LinkPages.upload(null,
                new LinkPages.UploadPage(LinkPages.displayed(link.note()), link.filesLeft(), link.bytesLeft(),
                        link.expiresAt(), "/api/v1/upload-links/" + token + "/uploads")))
                .build();
    }

    /** One refusal page for every reason (the link's state is nobody's business but the client's). */
    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        boolean limited = e.status() == 429;
        int status = limited ? 429 : e.status() == 410 ? 410 : 404;
        Response.ResponseBuilder answer = Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(LinkPages.refused(null, limited));
        if (e.retryAfterSeconds() > 0) {
            answer.header("Retry-After", e.retryAfterSeconds());
        }
        return answer.build();
    }
}
