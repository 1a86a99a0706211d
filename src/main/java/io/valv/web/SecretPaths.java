package io.valv.web;

import java.util.regex.Pattern;

/**
 * Request paths that carry a secret: an upload link's token ({@code /upload/{token}},
 * {@code /api/v1/upload-links/{token}/uploads/...}). Wherever a path is recorded (refusal audit events, logs), it
 * is recorded as {@link #redact} makes it, with the secret replaced by {@code …}; the link's id, not its token,
 * names a link in the audit log.
 */
public final class SecretPaths {

    /** A path parameter of this name is a secret and is never recorded. */
    public static final String TOKEN_PARAMETER = "token";
    private static final Pattern LINK_PAGE = Pattern.compile("^/upload/[^/]*");
    private static final Pattern LINK_UPLOADS = Pattern.compile("^/api/v1/upload-links/[^/]*/uploads");

    private SecretPaths() {
    }

    public static String redact(String path) {
        if (path == null) {
            return null;
        }
        if (path.startsWith("/upload/")) {
            return LINK_PAGE.matcher(path).replaceFirst("/upload/…");
        }
        return LINK_UPLOADS.matcher(path).replaceFirst("/api/v1/upload-links/…/uploads");
    }
}
