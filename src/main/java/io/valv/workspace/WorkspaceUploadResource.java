package io.valv.workspace;

import java.io.InputStream;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import io.valv.material.TusResource;
import io.valv.portal.PortalCsrf;
import io.valv.security.Roles;

/**
 * tus for the workspace page's script: the API's tus resource, authenticated by the portal session instead of a
 * bearer token. Each method delegates to {@link TusResource}, so that the protocol, its headers and errors and
 * every rule are one code path; only the {@code Location} differs (it names the route below). The portal's HTTP
 * filter lets exactly these requests through as the only non-form unsafe requests, and
 * {@link PortalCsrf.Protected} makes them carry the page's CSRF token in the {@code X-CSRF-Token} header.
 */
@Path("/portal/workspace")
@PortalCsrf.Protected
public class WorkspaceUploadResource {

    static final String UPLOADS = "portal/workspace/uploads";

    private final TusResource tus;

    WorkspaceUploadResource(TusResource tus) {
        this.tus = tus;
    }

    @POST
    @Path("/jobs/{jobId}/uploads")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response create(@RestPath UUID jobId, @HeaderParam("Tus-Resumable") String tusResumable,
            @HeaderParam("Upload-Length") String uploadLength, @HeaderParam("Upload-Metadata") String metadata,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context HttpHeaders headers, @Context UriInfo uri,
            InputStream body) {
        return tus.createAt(UPLOADS, jobId, tusResumable, uploadLength, metadata, contentType, headers, uri, body);
    }

    @HEAD
    @Path("/uploads/{id}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response head(@RestPath String id, @HeaderParam("Tus-Resumable") String tusResumable) {
        return tus.head(id, tusResumable);
    }

    @PATCH
    @Path("/uploads/{id}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response patch(@RestPath String id, @HeaderParam("Tus-Resumable") String tusResumable,
            @HeaderParam("Upload-Offset") String uploadOffset, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context HttpHeaders headers, InputStream body) {
        return tus.patch(id, tusResumable, uploadOffset, contentType, headers, body);
    }

    @DELETE
    @Path("/uploads/{id}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response terminate(@RestPath String id, @HeaderParam("Tus-Resumable") String tusResumable) {
        return tus.terminate(id, tusResumable);
    }
}
