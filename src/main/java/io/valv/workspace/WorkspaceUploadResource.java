package io.valv.workspace;

import java.io.InputStream;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
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
import io.valv.portal.PortalCsrf;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/**
 * tus for the workspace page's script: the same protocol code as the API's tus resource
 * ({@link ResumableUploads}), authenticated by the portal session instead of a bearer token; only the
 * {@code Location} differs (it names the route below). The portal's HTTP filter lets exactly these requests
 * through as the only non-form unsafe requests, and {@link PortalCsrf.Protected} makes them carry the page's
 * CSRF token in the {@code X-CSRF-Token} header.
 */
@Path("/portal/workspace")
@PortalCsrf.Protected
@ResumableUploads.Route
public class WorkspaceUploadResource {

    static final String UPLOADS = "portal/workspace/uploads";
    private final ResumableUploads tus;
    private final CurrentCaller currentCaller;

    WorkspaceUploadResource(ResumableUploads tus, CurrentCaller currentCaller) {
        this.tus = tus;
        this.currentCaller = currentCaller;
    }

    @POST
    @Path("/jobs/{jobId}/uploads")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response create(@RestPath UUID jobId, @Context HttpHeaders headers, @Context UriInfo uri, InputStream body) {
        return tus.create(currentCaller.get(), jobId, headers, uri.getBaseUriBuilder().path(UPLOADS).build(), body,
                ResumableUploads.Admission::always);
    }

    @HEAD
    @Path("/uploads/{id}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response head(@RestPath String id, @Context HttpHeaders headers) {
        return tus.head(currentCaller.get(), id, headers);
    }

    @PATCH
    @Path("/uploads/{id}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response patch(@RestPath String id, @Context HttpHeaders headers, InputStream body) {
        return tus.patch(currentCaller.get(), id, headers, body);
    }

    @DELETE
    @Path("/uploads/{id}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response terminate(@RestPath String id, @Context HttpHeaders headers) {
        return tus.terminate(currentCaller.get(), id, headers);
    }

}
