package io.valv.material;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.valv.web.ProblemException;

/**
 * Parses and validates the upload headers. A filename is a display name only, but it still must not
 * smuggle paths, control characters or markup into downloads, logs or the portal.
 */
final class UploadHeaders {

    private static final Pattern FILENAME_STAR = Pattern.compile("(?i)(?:^|;)\\s*filename\\*\\s*=\\s*UTF-8''([^;]+)");
    private static final Pattern FILENAME_QUOTED = Pattern.compile("(?i)(?:^|;)\\s*filename\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern FILENAME_TOKEN = Pattern.compile("(?i)(?:^|;)\\s*filename\\s*=\\s*([^\";\\s]+)");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");
    private static final int MAX_FILENAME_BYTES = 255;

    private UploadHeaders() {
    }

    static String filename(String contentDisposition) {
        if (contentDisposition == null || contentDisposition.isBlank()) {
            throw invalid("missing-filename", "Send the file name as Content-Disposition: attachment; filename=\"...\".");
        }
        String name = null;
        Matcher star = FILENAME_STAR.matcher(contentDisposition);
        if (star.find()) {
            try {
                name = URLDecoder.decode(star.group(1).trim().replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid("invalid-filename", "The filename* parameter is not valid percent-encoding.");
            }
        } else {
            Matcher quoted = FILENAME_QUOTED.matcher(contentDisposition);
            Matcher token = FILENAME_TOKEN.matcher(contentDisposition);
            if (quoted.find()) {
                name = quoted.group(1).replaceAll("\\\\(.)", "$1");
            } else if (token.find()) {
                name = token.group(1);
            }
        }
        if (name == null) {
            throw invalid("missing-filename", "Content-Disposition carries no filename.");
        }
        return validFilename(name);
    }

    static String validFilename(String name) {
        if (name.isBlank() || name.getBytes(StandardCharsets.UTF_8).length > MAX_FILENAME_BYTES) {
            throw invalid("invalid-filename", "The filename must be 1 to 255 bytes long.");
        }
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || Character.getType(c) == Character.FORMAT)) {
            throw invalid("invalid-filename", "The filename must not contain control or invisible formatting characters.");
        }
        String stripped = name.strip();
        if (name.contains("/") || name.contains("\\") || stripped.equals(".") || stripped.equals("..")) {
            throw invalid("invalid-filename", "The filename must be a plain name, not a path.");
        }
        return stripped;
    }

    static boolean personalData(String header) {
        if (header == null) {
            throw invalid("missing-personal-data-declaration",
                    "Declare whether the material contains personal data: Valv-Personal-Data: true or false.");
        }
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("invalid-personal-data-declaration", "Valv-Personal-Data must be true or false.");
        };
    }

    /** The sha-256 member of an RFC 9530 Content-Digest, if present. Other algorithms are ignored. */
    static Optional<byte[]> sha256Digest(String contentDigest) {
        if (contentDigest == null) {
            return Optional.empty();
        }
        for (String member : contentDigest.split(",")) {
            String[] pair = member.trim().split("=", 2);
            if (pair.length != 2) {
                throw invalid("invalid-content-digest", "Content-Digest must be of the form sha-256=:<base64>:.");
            }
            if (!pair[0].trim().equalsIgnoreCase("sha-256")) {
                continue;
            }
            String value = pair[1].trim();
            if (value.length() < 2 || !value.startsWith(":") || !value.endsWith(":")) {
                throw invalid("invalid-content-digest", "Content-Digest must be of the form sha-256=:<base64>:.");
            }
            byte[] digest;
            try {
                digest = Base64.getDecoder().decode(value.substring(1, value.length() - 1));
            } catch (IllegalArgumentException e) {
                throw invalid("invalid-content-digest", "The sha-256 Content-Digest is not valid base64.");
            }
            if (digest.length != 32) {
                throw invalid("invalid-content-digest", "The sha-256 Content-Digest must be 32 bytes.");
            }
            return Optional.of(digest);
        }
        return Optional.empty();
    }

    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPE.matcher(bare).matches()) {
            throw invalid("invalid-media-type", "Content-Type is not a valid media type.");
        }
        return bare;
    }

    private static ProblemException invalid(String type, String detail) {
        return ProblemException.badRequest(type, detail);
    }
}
