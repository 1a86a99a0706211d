package io.valv.uploadlink;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import io.valv.portal.PortalConfig;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/** A client admin's upload links (DESIGN.md, "Upload links"): create, list with their uses, revoke. */
@Path("/api/v1")
public class UploadLinkResource {

    private final UploadLinkService service;
    private final PortalConfig portal;
    private final CurrentCaller currentCaller;

    UploadLinkResource(UploadLinkService service, PortalConfig portal, CurrentCaller currentCaller) {
        this.service = service;
        this.portal = portal;
        this.currentCaller = currentCaller;
    }

    /** Body of a new link; {@code note} is optional, everything else required. */
    public record NewLinkBody(Instant expiresAt, Long maxBytes, Integer maxFiles, String note) {
    }

    /** The link's {@code url} carries its secret: this answer is the only place it ever appears. */
    public record CreatedLink(UUID id, String url, Instant expiresAt) {
    }

    /** One link's limits, state and uses; never its secret. */
    public record LinkUses(UUID id, String note, long maxBytes, int maxFiles, Instant expiresAt, Instant createdAt,
            Instant revokedAt, boolean active, long filesUploaded, long bytesUploaded, Instant lastUsedAt) {

        static LinkUses of(UploadLinkService.LinkView v) {
            return new LinkUses(v.id(), v.note(), v.maxBytes(), v.maxFiles(), v.expiresAt(), v.createdAt(), v.revokedAt(),
                    v.active(), v.filesUploaded(), v.bytesUploaded(), v.lastUsedAt());
        }
    }

    @POST
    @Path("/jobs/{jobId}/upload-links")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response create(@RestPath UUID jobId, @Valid @NotNull NewLinkBody body, @Context UriInfo uri) {
        UploadLinkService.Created created = service.create(currentCaller.get(), jobId,
                new UploadLinkService.NewLink(body.expiresAt(), body.maxBytes(), body.maxFiles(), body.note()));
        return Response.status(201)
                .entity(new CreatedLink(created.id(), pageUrl(portal, uri.getBaseUri(), created.token()), created.expiresAt()))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/jobs/{jobId}/upload-links")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public List<LinkUses> list(@RestPath UUID jobId) {
        return service.ofJob(currentCaller.get(), jobId).stream().map(LinkUses::of).toList();
    }

    @DELETE
    @Path("/upload-links/{id}")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response revoke(@RestPath UUID id) {
        service.revoke(currentCaller.get(), id);
        return Response.noContent().build();
    }

    /** {@code <public base>/upload/{token}}: the portal's pinned public URL when set, else the request's base. */
    static String pageUrl(PortalConfig portal, URI requestBase, String token) {
        String base = portal.publicUrl().map(URI::toString).orElse(requestBase.toString());
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/upload/" + token;
    }
}
