package io.valv.material;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;

@Path("/api/v1")
public class MaterialResource {

    static final String PERSONAL_DATA_HEADER = "Valv-Personal-Data";
    private final MaterialService service;
    private final MaterialUpload uploads;
    private final MaterialDownload downloads;
    private final CurrentCaller currentCaller;

    MaterialResource(MaterialService service, MaterialUpload uploads, MaterialDownload downloads,
            CurrentCaller currentCaller) {
        this.service = service;
        this.uploads = uploads;
        this.downloads = downloads;
        this.currentCaller = currentCaller;
    }

    /** Raw-body upload, streamed: the body is never buffered whole, in memory or on disk. */
    @POST
    @Path("/jobs/{jobId}/materials")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response upload(@RestPath UUID jobId, @HeaderParam("Content-Disposition") String disposition,
            @HeaderParam(PERSONAL_DATA_HEADER) String personalData, @HeaderParam("Content-Digest") String digest,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, @Context HttpHeaders headers,
            InputStream body) {
        // The @HeaderParam values are the first line of each header (and document them in OpenAPI); a header
        // sent twice must not let one line win silently, so the lines are read again here.
        once(headers, "Content-Disposition", "invalid-filename");
        once(headers, PERSONAL_DATA_HEADER, "invalid-personal-data-declaration");
        once(headers, HttpHeaders.CONTENT_TYPE, "invalid-media-type");
        List<String> digests = headers.getRequestHeader("Content-Digest");
        String allDigests = digests == null || digests.size() < 2 ? digest : String.join(",", digests);
        var request = new MaterialUpload.UploadRequest(UploadHeaders.filename(disposition),
                UploadHeaders.mediaType(contentType), UploadHeaders.personalData(personalData),
                UploadHeaders.sha256Digest(allDigests), declaredLength(contentLength));
        Material m = uploads.upload(currentCaller.get(), jobId, request, body);
        return Response.status(201).entity(MaterialView.of(m)).build();
    }

    @GET
    @Path("/jobs/{jobId}/materials")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.STAFF, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
    public List<MaterialView> list(@RestPath UUID jobId) {
        return service.inJob(currentCaller.get(), jobId).stream().map(MaterialView::of).toList();
    }

    @GET
    @Path("/materials/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.STAFF, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
    public MaterialView get(@RestPath UUID id) {
        return MaterialView.of(service.visible(currentCaller.get(), id));
    }

    /**
     * Plaintext content, whole or one byte range. {@code inline=true} is honoured for audio and video
     * only (media players); everything else is an attachment, sandboxed and never sniffed.
     */
    @GET
    @Path("/materials/{id}/content")
    @Produces(MediaType.WILDCARD)
    @RolesAllowed({ Roles.STAFF, Roles.CLIENT_ADMIN })
    public Response content(@RestPath UUID id, @HeaderParam("Range") String rangeHeader,
            @HeaderParam("If-Range") String ifRange, @RestQuery boolean inline) {
        MaterialDownload.Download d = downloads.serve(currentCaller.get(), id, rangeHeader, ifRange);
        boolean playable = d.mediaType().startsWith("audio/") || d.mediaType().startsWith("video/");
        String disposition = ContentDispositions.of(inline && playable ? "inline" : "attachment", d.filename());
        Optional<ByteRange> range = Optional.ofNullable(d.range());
        Response.ResponseBuilder response = Response.status(range.isPresent() ? 206 : 200).entity(d.body())
                .type(d.mediaType())
                .header(HttpHeaders.CONTENT_LENGTH, range.map(ByteRange::length).orElse(d.size()))
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.ETAG, "\"" + d.sha256() + "\"")
                .header("Content-Disposition", disposition)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; media-src 'self'; sandbox");
        range.ifPresent(r -> response.header("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + d.size()));
        return response.build();
    }

    private static void once(HttpHeaders headers, String name, String problemType) {
        List<String> values = headers.getRequestHeader(name);
        if (values != null && values.size() > 1) {
            throw ProblemException.badRequest(problemType, name + " must be sent once.");
        }
    }

    private static long declaredLength(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public record MaterialView(UUID id, UUID jobId, String clientId, String filename, String mediaType, Long size,
            String sha256, boolean personalData, String uploader, Instant uploadedAt, Instant expiresAt, String state,
            String purgeReason, Instant purgedAt) {

        static MaterialView of(Material m) {
            return new MaterialView(m.id, m.jobId, m.clientId, m.filename, m.mediaType, m.size, m.sha256, m.personalData,
                    m.uploader, m.uploadedAt, m.expiresAt, m.state.name().toLowerCase().replace('_', '-'),
                    m.purgeReason, m.purgedAt);
        }
    }
}
