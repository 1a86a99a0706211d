package io.valv.material;

import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import io.valv.security.Caller;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * The tus 1.0.0 protocol over {@link TusService}, for every route that speaks it: the bearer-token routes of
 * {@link TusResource} and the upload links' routes (io.valv.uploadlink), which differ only in who the caller is,
 * where the upload URL lives, and what must hold before an upload is created ({@link Admission}).
 */
@ApplicationScoped
public class ResumableUploads {

    public static final String VERSION = "1.0.0";
    static final String MATERIAL_ID_HEADER = "Valv-Material-Id";
    /** Not a tus header: the plaintext size of the store's parts, for clients that want chunks aligned to them. */
    static final String PART_SIZE_HEADER = "Valv-Upload-Part-Size";
    static final String OFFSET_TYPE = "application/offset+octet-stream";

    /** Marks a resource class whose every route speaks tus: {@link TusProtocolHeaders} then adds the headers. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    public @interface Route {
    }

    private final TusService service;

    ResumableUploads(TusService service) {
        this.service = service;
    }

    /**
     * What must hold for an upload of {@code length} bytes to be created; runs the creation while it holds (a
     * link's limits, checked and kept under a lock of the link while the upload is created). A method reference
     * such as {@code link::admit} implements it.
     */
    @FunctionalInterface
    public interface Admission {
        <T> T admit(long length, Supplier<T> creation);

        /** No condition beyond the upload rules themselves. */
        static <T> T always(long length, Supplier<T> creation) {
            return creation.get();
        }
    }

    /** Discovery: says nothing about any upload. */
    public Response options() {
        return Response.noContent().header("Tus-Version", VERSION)
                .header("Tus-Extension", "creation,creation-with-upload,termination,expiration,checksum")
                .header("Tus-Max-Size", service.maxSize())
                .header("Tus-Checksum-Algorithm", UploadChecksum.ALGORITHM)
                .header(PART_SIZE_HEADER, service.partSize()).build();
    }

    /**
     * Creation (and creation-with-upload): the answer's {@code Location} is {@code uploads/{id}} under
     * {@code uploadsBase}.
     */
    public Response create(Caller caller, UUID jobId, HttpHeaders headers, URI uploadsBase, InputStream body,
            Admission admission) {
        requireVersion(headers.getHeaderString("Tus-Resumable"));
        if (headers.getHeaderString("Upload-Defer-Length") != null) {
            throw new ProblemException(ProblemType.INVALID_UPLOAD_LENGTH, "Upload-Defer-Length is not supported.");
        }
        once(headers, "Upload-Metadata", "invalid-upload-metadata");
        once(headers, "Upload-Length", "invalid-upload-length");
        long length = nonNegative(headers.getHeaderString("Upload-Length"), ProblemType.INVALID_UPLOAD_LENGTH,
                "Upload-Length");
        if (length > service.maxSize()) {
            throw new ProblemException(413, "too-large", "Content too large",
                    "Uploads are limited to " + service.maxSize() + " bytes; nothing was stored.");
        }
        TusMetadata metadata = TusMetadata.parse(headers.getHeaderString("Upload-Metadata"));
        boolean withUpload = isOffsetStream(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        Optional<byte[]> checksum = withUpload ? UploadChecksum.expected(headers.getHeaderString("Upload-Checksum"))
                : Optional.empty();
        // a checksummed first chunk is checked before the upload exists, so that a refused one leaves nothing
        try (UploadChecksum.Chunk chunk = checksum.map(c -> UploadChecksum.read(body, c, Math.min(service.partSize(), length)))
                .orElse(null)) {
            TusService.Status created = admission.admit(length, () -> service.create(caller, jobId, length, metadata));
            Response.ResponseBuilder response = Response.status(201)
                    .location(UriBuilder.fromUri(uploadsBase).path(created.id()).build())
                    .header(PART_SIZE_HEADER, service.partSize());
            if (withUpload) {
                // creation-with-upload: the body is the first PATCH
                TusService.Status appended;
                try {
                    appended = service.append(caller, created.id(), 0, chunk == null ? body : chunk.stream());
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
    }

    public Response head(Caller caller, String id, HttpHeaders headers) {
        requireVersion(headers.getHeaderString("Tus-Resumable"));
        return statusResponse(Response.ok(), service.status(caller, id));
    }

    /** Appends; answers the durable offset (below the request's end only when the store refused a part). */
    public Response patch(Caller caller, String id, HttpHeaders headers, InputStream body) {
        requireVersion(headers.getHeaderString("Tus-Resumable"));
        if (!isOffsetStream(headers.getHeaderString(HttpHeaders.CONTENT_TYPE))) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "PATCH takes " + OFFSET_TYPE + ".");
        }
        long offset = nonNegative(headers.getHeaderString("Upload-Offset"), ProblemType.UPLOAD_OFFSET_MISMATCH,
                "Upload-Offset");
        Optional<byte[]> checksum = UploadChecksum.expected(headers.getHeaderString("Upload-Checksum"));
        if (checksum.isPresent()) {
            TusService.Status now = service.status(caller, id);
            if (now.materialId().isEmpty() && now.offset() == offset) {
                long room = Math.min(service.partSize() - offset % service.partSize(), now.length() - offset);
                try (UploadChecksum.Chunk chunk = UploadChecksum.read(body, checksum.get(), room)) {
                    return statusResponse(Response.noContent(), service.append(caller, id, offset, chunk.stream()));
                }
            }
            // a wrong offset or a stored upload: the append answers as without a checksum, reading nothing
        }
        return statusResponse(Response.noContent(), service.append(caller, id, offset, body));
    }

    public Response terminate(Caller caller, String id, HttpHeaders headers) {
        requireVersion(headers.getHeaderString("Tus-Resumable"));
        service.terminate(caller, id);
        return Response.noContent().build();
    }

    /** Every answer on a tus route says which protocol version it speaks, errors included. */
    static void protocolHeaders(int status, MultivaluedMap<String, Object> headers) {
        headers.putSingle("Tus-Resumable", VERSION);
        headers.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        if (status == 412) {
            headers.putSingle("Tus-Version", VERSION);
        }
    }

    private static boolean isOffsetStream(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(OFFSET_TYPE);
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
