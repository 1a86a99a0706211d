package io.valv.web;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP edge, before anything reads a request: refuses what no operation can mean, as problem+json
 * (Vert.x and Quarkus would otherwise answer these with empty bodies, or let them through to a 500):
 * <ul>
 * <li>a request target longer than {@link #MAX_TARGET} (414), or headers over {@link #MAX_HEADERS} in all or
 * {@link #MAX_HEADER_LINE} in one (431). Vert.x's own limits ({@code quarkus.http.limits.*}) sit above these
 * as a last ceiling, so a request between the two gets a readable answer;</li>
 * <li>a control character in the path or query, raw or percent-encoded, or a malformed percent escape (400):
 * no id, slug or parameter of Valv contains one, and NUL cannot even be stored;</li>
 * <li>a {@code ;} in the path (400): JAX-RS would read {@code acme;x} as {@code acme} with a matrix parameter,
 * so a mistyped or fuzzed path could act on a real client;</li>
 * <li>a declared body over {@link #MAX_JSON_BODY} on anything but an upload (413), and an unparseable
 * Content-Length.</li>
 * </ul>
 * It also answers 404 for /api paths that no resource matches, and gives the router's own errors a body.
 * These refusals are not audit events: they never reach an operation.
 */
@ApplicationScoped
public class RequestGate {

    static final int MAX_TARGET = 4096;
    static final int MAX_HEADER_LINE = 8 * 1024;
    static final int MAX_HEADERS = 16 * 1024;
    static final long MAX_JSON_BODY = JsonLimits.MAX_DOCUMENT_BYTES;

    /** Quarkus' own body limit, which it enforces with an empty 413 right after this gate. */
    private long maxBody = Long.MAX_VALUE;

    void install(@Observes Router router) {
        maxBody = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        // before Quarkus' upload-limit route (ROUTE_ORDER_UPLOAD_LIMIT), which answers an empty 413, and before
        // the transfer limit (what no operation can mean takes no transfer slot)
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::gate);
        for (int status : new int[] { 400, 404, 405, 406, 413, 414, 415, 431, 500, 501, 503 }) {
            router.errorHandler(status, ctx -> routerError(ctx, status));
        }
    }

    private void gate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String target = request.uri();
        if (target.length() > MAX_TARGET) {
            problem(ctx, ProblemType.URI_TOO_LONG, "The request target must be at most " + MAX_TARGET + " characters.");
            return;
        }
        int total = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            int line = header.getKey().length() + header.getValue().length() + 4;
            total += line;
            if (line > MAX_HEADER_LINE || total > MAX_HEADERS) {
                problem(ctx, ProblemType.HEADERS_TOO_LARGE,
                        "Each header must be at most " + MAX_HEADER_LINE + " bytes and all of them " + MAX_HEADERS + ".");
                return;
            }
        }
        String problem = badTarget(target);
        if (problem != null) {
            problem(ctx, ProblemType.INVALID_REQUEST_TARGET, problem);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared = contentLength(length);
            if (declared < 0) {
                problem(ctx, ProblemType.BAD_REQUEST, "Content-Length must be a non-negative integer.");
                return;
            }
            if (declared > maxBody) {
                problem(ctx, ProblemType.TOO_LARGE, "The request body is larger than this service takes.");
                return;
            }
            if (declared > MAX_JSON_BODY && !isUpload(request.path())) {
                problem(ctx, ProblemType.TOO_LARGE,
                        "Request bodies other than uploads must be at most " + MAX_JSON_BODY + " bytes.");
                return;
            }
        }
        ctx.next();
    }

    /** Why the raw request target is refused, or null. Scans once, no regular expression. */
    static String badTarget(String target) {
        int query = target.indexOf('?');
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "The path and query must not contain control characters.";
            }
            if (c == ';' && (query < 0 || i < query)) {
                return "A path segment must not contain ';' (matrix parameters are not supported).";
            }
            if (c == '%') {
                int hi = i + 2 < target.length() ? Character.digit(target.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(target.charAt(i + 2), 16);
                if (lo < 0) {
                    return "The path or query has a malformed percent escape.";
                }
                int decoded = hi << 4 | lo;
                if (decoded < 0x20 || decoded == 0x7f) {
                    return "The path and query must not contain control characters.";
                }
                i += 2;
            }
        }
        return null;
    }

    /**
     * Uploads stream their body and enforce valv.upload.max-size themselves: the API's direct and tus uploads
     * (upload links' included) and the client workspace's tus uploads. Their clients are programs speaking a
     * protocol, so their refusals stay problem+json on the portal's paths too ({@link BrowserErrors}).
     */
    public static boolean isUpload(String path) {
        if (path == null) {
            return false;
        }
        if (path.startsWith("/api/v1/")) {
            return path.endsWith("/materials") || path.contains("/uploads");
        }
        return path.startsWith("/portal/workspace/uploads/")
                || (path.startsWith("/portal/workspace/jobs/") && path.endsWith("/uploads"));
    }

    /** The declared length, Long.MAX_VALUE if it does not fit a long, -1 if it is not a number. */
    static long contentLength(String header) {
        String value = header.trim();
        if (value.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    }

    private void routerError(RoutingContext ctx, int status) {
        if (ctx.response().headWritten()) {
            ctx.response().end();
            return;
        }
        switch (status) {
            case 400 -> problem(ctx, ProblemType.BAD_REQUEST, "The request could not be read.");
            case 404 -> problem(ctx, ProblemType.NOT_FOUND, "No operation has this path.");
            case 405 -> problem(ctx, ProblemType.METHOD_NOT_ALLOWED, "This path does not take this method.");
            case 406 -> problem(ctx, ProblemType.NOT_ACCEPTABLE, "No representation matches Accept.");
            case 413 -> problem(ctx, ProblemType.TOO_LARGE, "The request body is too large.");
            case 414 -> problem(ctx, ProblemType.URI_TOO_LONG, "The request target is too long.");
            case 415 -> problem(ctx, ProblemType.UNSUPPORTED_MEDIA_TYPE, "This operation does not take this Content-Type.");
            case 431 -> problem(ctx, ProblemType.HEADERS_TOO_LARGE, "The request headers are too large.");
            default -> problem(ctx, ProblemType.forStatus(status), "The server could not complete the request.");
        }
    }

    static void problem(RoutingContext ctx, ProblemType type, String detail) {
        int status = type.status();
        String requestId = UUID.randomUUID().toString();
        if (status >= 500 && ctx.failure() != null) {
            io.quarkus.logging.Log.errorf(ctx.failure(), "Request %s failed with %d at the HTTP layer", requestId, status);
        }
        String body = Json.encode(new Problem(type.uri(), type.title(), status, detail, requestId));
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId).end(body);
    }
}
