package io.valv.uploadlink;

import java.io.InputStream;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import io.valv.material.ResumableUploads;
import io.vertx.core.http.HttpServerRequest;

/**
 * tus 1.0.0 through an upload link, without a bearer token: {@code POST /api/v1/upload-links/{token}/uploads}
 * creates, its {@code Location} ({@code …/uploads/{id}}) takes HEAD, PATCH and DELETE. {@code @PermitAll} because
 * the link's token is the credential: each method verifies it ({@link UploadLinkService#open}) before anything
 * else, and the caller is the link ({@link UploadLinkService#callerOf}). Rate-limited per client address and
 * per link.
 */
@Path("/api/v1/upload-links/{token}/uploads")
@ResumableUploads.Route
public class LinkUploadsResource {

    private final UploadLinkService links;
    private final ResumableUploads tus;
    private final LinkRateLimit limit;

    LinkUploadsResource(UploadLinkService links, ResumableUploads tus, LinkRateLimit limit) {
        this.links = links;
        this.tus = tus;
        this.limit = limit;
    }

    /** Discovery; says nothing about the link or any upload. */
    @OPTIONS
    @PermitAll
    public Response optionsCreation(@RestPath String token) {
        return tus.options();
    }

    @OPTIONS
    @Path("/{id}")
    @PermitAll
    public Response optionsUpload(@RestPath String token, @RestPath String id) {
        return tus.options();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @PermitAll
    public Response create(@RestPath String token, @Context HttpHeaders headers, @Context UriInfo uri,
            @Context HttpServerRequest http, InputStream body) {
        UploadLinkService.OpenLink link = open(token, http);
        return tus.create(link.caller(), link.jobId(), headers, uri.getAbsolutePathBuilder().build(), body,
                links.admission(link.id()));
    }

    @HEAD
    @Path("/{id}")
    @PermitAll
    public Response head(@RestPath String token, @RestPath String id, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        return tus.head(open(token, http).caller(), id, headers);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @PermitAll
    public Response patch(@RestPath String token, @RestPath String id, @Context HttpHeaders headers,
            @Context HttpServerRequest http, InputStream body) {
        return tus.patch(open(token, http).caller(), id, headers, body);
    }

    @DELETE
    @Path("/{id}")
    @PermitAll
    public Response terminate(@RestPath String token, @RestPath String id, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        return tus.terminate(open(token, http).caller(), id, headers);
    }

    private UploadLinkService.OpenLink open(String token, HttpServerRequest http) {
        limit.address(http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        UploadLinkService.OpenLink link = links.open(token);
        limit.link(link.id());
        return link;
    }
}
