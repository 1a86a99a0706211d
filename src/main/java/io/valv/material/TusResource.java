package io.valv.material;

import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.security.identity.SecurityIdentity;
import io.valv.security.Caller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * tus 1.0.0 (core, creation, creation-with-upload, termination, expiration): {@code POST /api/v1/jobs/{jobId}/uploads} creates, the
 * {@code Location} it answers ({@code /api/v1/uploads/{id}}) takes HEAD, PATCH and DELETE. Same bearer tokens and
 * rules as the one-shot upload; only the creator (same subject, same client) may touch an upload.
 */
@Path("/api/v1")
public class TusResource {

    static final String VERSION = "1.0.0";
    static final String MATERIAL_ID_HEADER = "Valv-Material-Id";
    /** Not a tus header: the granularity at which offsets become durable, for clients choosing a chunk size. */
    static final String PART_SIZE_HEADER = "Valv-Upload-Part-Size";
    static final String OFFSET_TYPE = "application/offset+octet-stream";
    /** The API's tus routes and the portal workspace's (session-authenticated) ones, which delegate here. */
    private static final Pattern TUS_PATH = Pattern.compile(
            "/(api/v1|portal/workspace)/(jobs/[^/]+/uploads|uploads/[^/]+)/?");

    private final TusService service;
    private final SecurityIdentity identity;

    TusResource(TusService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    /** Discovery; says nothing about any upload, so it needs no token (tus clients ask before authenticating). */
    @OPTIONS
    @Path("/jobs/{jobId}/uploads")
    @PermitAll
    public Response optionsCreation(@RestPath String jobId) {
        return options();
    }

    @OPTIONS
    @Path("/uploads/{id}")
    @PermitAll
    public Response optionsUpload(@RestPath String id) {
        return options();
    }

    @POST
    @Path("/jobs/{jobId}/uploads")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response create(@RestPath UUID jobId, @HeaderParam("Tus-Resumable") String tusResumable,
            @HeaderParam("Upload-Length") String uploadLength, @HeaderParam("Upload-Metadata") String metadata,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context HttpHeaders headers, @Context UriInfo uri,
            InputStream body) {
        return createAt("api/v1/uploads", jobId, tusResumable, uploadLength, metadata, contentType, headers, uri, body);
    }

    /**
     * Creation whose {@code Location} lies under {@code uploadsPath} (relative to the application root): the API's
     * {@code api/v1/uploads}, or the portal workspace's route, which authenticates by session instead of bearer
     * token and then takes HEAD, PATCH and DELETE through the methods below.
     */
    public Response createAt(String uploadsPath, UUID jobId, String tusResumable, String uploadLength, String metadata,
            String contentType, HttpHeaders headers, UriInfo uri, InputStream body) {
        requireVersion(tusResumable);
        if (headers.getHeaderString("Upload-Defer-Length") != null) {
            throw new ProblemException(ProblemType.INVALID_UPLOAD_LENGTH, "Upload-Defer-Length is not supported.");
        }
        once(headers, "Upload-Metadata", "invalid-upload-metadata");
        once(headers, "Upload-Length", "invalid-upload-length");
        long length = nonNegative(uploadLength, ProblemType.INVALID_UPLOAD_LENGTH, "Upload-Length");
        if (length > service.maxSize()) {
            throw new ProblemException(413, "too-large", "Content too large",
                    "Uploads are limited to " + service.maxSize() + " bytes; nothing was stored.");
        }
        Caller caller = Caller.of(identity);
        TusService.Status created = service.create(caller, jobId, length, TusMetadata.parse(metadata));
        Response.ResponseBuilder response = Response.status(201)
                .location(uri.getBaseUriBuilder().path(uploadsPath).path(created.id()).build())
                .header(PART_SIZE_HEADER, service.partSize());
        if (isOffsetStream(contentType)) {
            // creation-with-upload: the body is the first PATCH
            TusService.Status appended;
            try {
                appended = service.append(caller, created.id(), 0, body);
            } catch (ProblemException e) {
                if (e.status() != 503) {
                    throw e;
                }
                // the body broke off: the upload exists, the client resumes from the durable offset
                appended = service.status(caller, created.id());
            }
            return statusResponse(response, appended);
        }
        return response.header("Upload-Expires", httpDate(created)).build();
    }

    @HEAD
    @Path("/uploads/{id}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response head(@RestPath String id, @HeaderParam("Tus-Resumable") String tusResumable) {
        requireVersion(tusResumable);
        return statusResponse(Response.ok(), service.status(Caller.of(identity), id));
    }

    /** Appends; answers the durable offset, which may be below the request's end (offsets advance by whole parts). */
    @PATCH
    @Path("/uploads/{id}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response patch(@RestPath String id, @HeaderParam("Tus-Resumable") String tusResumable,
            @HeaderParam("Upload-Offset") String uploadOffset, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context HttpHeaders headers, InputStream body) {
        requireVersion(tusResumable);
        if (!isOffsetStream(contentType)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "PATCH takes " + OFFSET_TYPE + ".");
        }
        long offset = nonNegative(uploadOffset, ProblemType.UPLOAD_OFFSET_MISMATCH, "Upload-Offset");
        return statusResponse(Response.noContent(), service.append(Caller.of(identity), id, offset, body));
    }

    @DELETE
    @Path("/uploads/{id}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public Response terminate(@RestPath String id, @HeaderParam("Tus-Resumable") String tusResumable) {
        requireVersion(tusResumable);
        service.terminate(Caller.of(identity), id);
        return Response.noContent().build();
    }

    /** Every answer on a tus path says which protocol version it speaks, errors included. */
    @ServerResponseFilter
    public void tusResumable(ContainerRequestContext request, ContainerResponseContext response) {
        if (TUS_PATH.matcher(request.getUriInfo().getPath()).matches()) {
            response.getHeaders().putSingle("Tus-Resumable", VERSION);
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
            if (response.getStatus() == 412) {
                response.getHeaders().putSingle("Tus-Version", VERSION);
            }
        }
    }

    private Response options() {
        return Response.noContent().header("Tus-Version", VERSION)
                .header("Tus-Extension", "creation,creation-with-upload,termination,expiration")
                .header("Tus-Max-Size", service.maxSize())
                .header("Tus-Checksum-Algorithm", "sha256")
                .header(PART_SIZE_HEADER, service.partSize()).build();
    }

    private static boolean isOffsetStream(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(java.util.Locale.ROOT).startsWith(OFFSET_TYPE);
    }

    private static Response statusResponse(Response.ResponseBuilder builder, TusService.Status status) {
        builder.header("Upload-Offset", status.offset()).header("Upload-Length", status.length());
        status.materialId().ifPresentOrElse(id -> builder.header(MATERIAL_ID_HEADER, id),
                () -> builder.header("Upload-Expires", httpDate(status)));
        return builder.build();
    }

    private static String httpDate(TusService.Status status) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(status.expiresAt().atOffset(ZoneOffset.UTC));
    }

    private static void requireVersion(String tusResumable) {
        if (tusResumable == null || !tusResumable.trim().equals(VERSION)) {
            throw new ProblemException(ProblemType.TUS_VERSION_UNSUPPORTED,
                    "Send Tus-Resumable: " + VERSION + " (the only version this server speaks).");
        }
    }

    private static long nonNegative(String header, ProblemType type, String name) {
        if (header == null || header.isBlank() || header.trim().length() > 19) {
            throw new ProblemException(type, name + " must be a non-negative integer.");
        }
        try {
            long value = Long.parseLong(header.trim());
            if (value >= 0 && header.trim().chars().allMatch(Character::isDigit)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(type, name + " must be a non-negative integer.");
    }

    private static void once(HttpHeaders headers, String name, String problemType) {
        List<String> values = headers.getRequestHeader(name);
        if (values != null && values.size() > 1) {
            throw ProblemException.badRequest(problemType, name + " must be sent once.");
        }
    }
}
