package io.valv.material;

import java.io.InputStream;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
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

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/**
 * tus 1.0.0 (core, creation, creation-with-upload, termination, expiration): {@code POST /api/v1/jobs/{jobId}/uploads} creates,
 * the
 * {@code Location} it answers ({@code /api/v1/uploads/{id}}) takes HEAD, PATCH and DELETE. Same bearer tokens and
 * rules as the one-shot upload; only the creator (same subject, same client) may touch an upload. The protocol
 * itself is {@link ResumableUploads}.
 */
@Path("/api/v1")
@ResumableUploads.Route
public class TusResource {

    static final String OFFSET_TYPE = ResumableUploads.OFFSET_TYPE;
    private final ResumableUploads tus;
    private final CurrentCaller currentCaller;

    TusResource(ResumableUploads tus, CurrentCaller currentCaller) {
        this.tus = tus;
        this.currentCaller = currentCaller;
    }

    /** Discovery; says nothing about any upload, so it needs no token (tus clients ask before authenticating). */
    @OPTIONS
    @Path("/jobs/{jobId}/uploads")
    @PermitAll
    public Response optionsCreation(@RestPath String jobId) {
        return tus.options();
    }

    @OPTIONS
    @Path("/uploads/{id}")
    @PermitAll
    public Response optionsUpload(@RestPath String id) {
        return tus.options();
    }

    @POST
    @Path("/jobs/{jobId}/uploads")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response create(@RestPath UUID jobId, @Context HttpHeaders headers, @Context UriInfo uri, InputStream body) {
        return tus.create(currentCaller.get(), jobId, headers, uri.getBaseUriBuilder().path("api/v1/uploads").build(),
                body, ResumableUploads.Admission::always);
    }

    @HEAD
    @Path("/uploads/{id}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response head(@RestPath String id, @Context HttpHeaders headers) {
        return tus.head(currentCaller.get(), id, headers);
    }

    /** Appends; answers the durable offset (below the request's end only when the store refused a part). */
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
