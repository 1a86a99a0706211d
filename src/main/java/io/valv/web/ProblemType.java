package io.valv.web;

/**
 * The catalogue of problem types Valv answers with: each a stable URI under {@link ProblemException#TYPE_BASE},
 * its HTTP status and title. docs/api.md lists the same table for callers; ProblemTypeCatalogueTest keeps
 * the two equal, and fails on a type named in the code that is missing here.
 */
public enum ProblemType {
    UNAUTHENTICATED("unauthenticated", 401, "Unauthenticated"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not-found", 404, "Not found"),
    VALIDATION("validation", 400, "Invalid request"),
    INVALID_JSON("invalid-json", 400, "Invalid JSON body"),
    BAD_REQUEST("bad-request", 400, "Bad request"),
    INVALID_REQUEST_TARGET("invalid-request-target", 400, "Invalid request target"),
    MISSING_FILENAME("missing-filename", 400, "Bad request"),
    INVALID_FILENAME("invalid-filename", 400, "Bad request"),
    MISSING_PERSONAL_DATA_DECLARATION("missing-personal-data-declaration", 400, "Bad request"),
    INVALID_PERSONAL_DATA_DECLARATION("invalid-personal-data-declaration", 400, "Bad request"),
    INVALID_CONTENT_DIGEST("invalid-content-digest", 400, "Bad request"),
    DIGEST_MISMATCH("digest-mismatch", 400, "Bad request"),
    CONFLICTING_CONTENT_DIGEST("conflicting-content-digest", 400, "Bad request"),
    INVALID_MEDIA_TYPE("invalid-media-type", 400, "Bad request"),
    INCOMPLETE_BODY("incomplete-body", 400, "Bad request"),
    INVALID_UPLOAD_LENGTH("invalid-upload-length", 400, "Bad request"),
    INVALID_UPLOAD_METADATA("invalid-upload-metadata", 400, "Bad request"),
    UPLOAD_OFFSET_MISMATCH("upload-offset-mismatch", 409, "Conflict"),
    RESUMED_PART_DIFFERS("resumed-part-differs", 409, "Conflict"),
    UPLOAD_BUSY("upload-busy", 423, "Locked"),
    UPLOAD_EXPIRED("upload-expired", 410, "Gone"),
    INVALID_UPLOAD_CHECKSUM("invalid-upload-checksum", 400, "Bad request"),
    CHECKSUM_ALGORITHM_UNSUPPORTED("checksum-algorithm-unsupported", 400, "Bad request"),
    CHECKSUM_CHUNK_TOO_LONG("checksum-chunk-too-long", 400, "Bad request"),
    CHECKSUM_MISMATCH("checksum-mismatch", 460, "Checksum mismatch"),
    TUS_VERSION_UNSUPPORTED("tus-version-unsupported", 412, "Precondition failed"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    TOO_LARGE("too-large", 413, "Content too large"),
    URI_TOO_LONG("uri-too-long", 414, "URI too long"),
    HEADERS_TOO_LARGE("headers-too-large", 431, "Request header fields too large"),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
    NO_ACTIVE_DPA("no-active-dpa", 409, "Conflict"),
    DPA_NOT_ACTIVE("dpa-not-active", 409, "Conflict"),
    SUB_PROCESSOR_NOT_PERMITTED("sub-processor-not-permitted", 409, "Conflict"),
    PERSONAL_DATA_NOT_ALLOWED("personal-data-not-allowed", 409, "Conflict"),
    JOB_CLOSED("job-closed", 409, "Conflict"),
    CLIENT_OFFBOARDED("client-offboarded", 409, "Conflict"),
    CLIENT_EXISTS("client-exists", 409, "Conflict"),
    SUB_PROCESSOR_EXISTS("sub-processor-exists", 409, "Conflict"),
    DPA_NOT_DRAFT("dpa-not-draft", 409, "Conflict"),
    PSEUDONYM_KEY_DESTROYED("pseudonym-key-destroyed", 409, "Conflict"),
    JOB_ERASED("job-erased", 409, "Conflict"),
    END_OF_CONTRACT_SCHEDULED("end-of-contract-scheduled", 409, "Conflict"),
    NOTHING_SCHEDULED("nothing-scheduled", 409, "Conflict"),
    END_OF_CONTRACT_DONE("end-of-contract-done", 409, "Conflict"),
    REASON_REQUIRED("reason-required", 400, "Bad request"),
    TOO_MANY_REFUSALS("too-many-refusals", 429, "Too many refused requests"),
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests"),
    UPLOAD_LINK_GONE("upload-link-gone", 410, "Gone"),
    UPLOAD_LINK_LIMIT("upload-link-limit", 409, "Conflict"),
    UPLOAD_LINK_EXPIRY("upload-link-expiry", 400, "Bad request"),
    UNKNOWN_SUB_PROCESSOR("unknown-sub-processor", 400, "Bad request"),
    UNKNOWN_CLIENT("unknown-client", 400, "Bad request"),
    NO_INCIDENT_WINDOW("no-incident-window", 409, "Conflict"),
    MATERIAL_PURGED("material-purged", 410, "Gone"),
    STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable"),
    AUDIT_UNAVAILABLE("audit-unavailable", 503, "Audit log unavailable"),
    DATABASE_UNAVAILABLE("database-unavailable", 503, "Database unavailable"),
    TRANSFERS_BUSY("transfers-busy", 503, "Too many transfers"),
    SHUTTING_DOWN("shutting-down", 503, "Shutting down"),
    BODY_TOO_SLOW("body-too-slow", 408, "Request timeout"),
    UNAVAILABLE("unavailable", 503, "Service unavailable"),
    INTEGRITY("integrity", 500, "Integrity failure"),
    AUDIT_INCONSISTENT("audit-inconsistent", 500, "Audit log inconsistent"),
    INTERNAL("internal", 500, "Internal error");

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The stable URI of the {@code type} member. */
    public String uri() {
        return ProblemException.TYPE_BASE + slug;
    }

    /** The answer to an HTTP status raised outside Valv's own code (RESTEasy, Vert.x). */
    static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 416 -> RANGE_NOT_SATISFIABLE;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }
}
