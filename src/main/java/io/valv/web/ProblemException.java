package io.valv.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Root of every error Valv reports to a caller. Carries the HTTP status, a stable problem type (a
 * URI under {@code https://valv.io/problems/}, documented in docs/api.md) and a title and detail
 * written for the caller. Never put keys, paths, class names or plaintext in the detail.
 */
public class ProblemException extends RuntimeException {

    public static final String TYPE_BASE = "https://valv.io/problems/";

    private final int status;
    private final String type;
    private final String title;
    private long retryAfterSeconds;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** A problem of the catalogue, with its status and title. */
    public ProblemException(ProblemType type, String detail) {
        this(type.status(), type.slug(), type.title(), detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return TYPE_BASE + type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Says when to try again ({@code Retry-After}, seconds), e.g. on a 429 of a rate limit. */
    public ProblemException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** A header the answer must carry (a 416's {@code Content-Range}, say); never a secret or a caller's input. */
    public ProblemException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The headers the answer carries besides the problem's own. */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what + " does not exist or is not visible to you.");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException badRequest(String type, String detail) {
        return new ProblemException(400, type, "Bad request", detail);
    }

    public static ProblemException conflict(String type, String detail) {
        return new ProblemException(409, type, "Conflict", detail);
    }
}
