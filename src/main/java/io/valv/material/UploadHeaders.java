package io.valv.material;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.valv.web.ProblemException;

/**
 * Parses and validates the upload headers. A filename is a display name only, but it still must not
 * smuggle paths, control characters or markup into downloads, logs or the portal.
 */
final class UploadHeaders {

    private static final Pattern MEDIA_TYPE = Pattern
            .compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");
    private static final int MAX_FILENAME_BYTES = 255;
    /**
     * Longest header values read at all. A filename of 255 UTF-8 bytes percent-encodes to at most 765
     * characters, twice (filename and filename*) plus the type fits in 2 KiB; a Content-Digest with a few
     * algorithms fits in 1 KiB. Anything longer is refused before it is parsed.
     */
    static final int MAX_DISPOSITION = 2048;
    static final int MAX_DIGEST = 1024;
    static final int MAX_MEDIA_TYPE = 255;

    private UploadHeaders() {
    }

    /**
     * The display filename of an RFC 6266 {@code Content-Disposition}. A hand-written scanner (no regular
     * expression, no recursion: a long quoted string once overflowed the stack) that reads the parameters
     * once, left to right. {@code filename*} (RFC 8187, UTF-8 only) wins over {@code filename}; a parameter
     * given twice, an unterminated quoted string or text after one makes the header invalid.
     */
    static String filename(String contentDisposition) {
        if (contentDisposition == null || contentDisposition.isBlank()) {
            throw invalid("missing-filename", "Send the file name as Content-Disposition: attachment; filename=\"...\".");
        }
        if (contentDisposition.length() > MAX_DISPOSITION) {
            throw invalid("invalid-filename", "Content-Disposition must be at most " + MAX_DISPOSITION + " characters.");
        }
        String plain = null;
        String extended = null;
        String h = contentDisposition;
        int i = h.indexOf(';');
        while (i >= 0 && i < h.length()) {
            i++; // past ';'
            int eq = i;
            while (eq < h.length() && h.charAt(eq) != '=' && h.charAt(eq) != ';') {
                eq++;
            }
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            if (eq >= h.length() || h.charAt(eq) == ';') {
                i = eq < h.length() ? eq : -1; // a parameter without a value: ignored
                continue;
            }
            int v = eq + 1;
            while (v < h.length() && (h.charAt(v) == ' ' || h.charAt(v) == '\t')) {
                v++;
            }
            String value;
            int next;
            if (v < h.length() && h.charAt(v) == '"') {
                StringBuilder quoted = new StringBuilder();
                int q = v + 1;
                while (q < h.length() && h.charAt(q) != '"') {
                    char c = h.charAt(q);
                    if (c == '\\' && q + 1 < h.length()) {
                        q++;
                        c = h.charAt(q);
                    }
                    quoted.append(c);
                    q++;
                }
                if (q >= h.length()) {
                    throw invalid("invalid-filename", "Content-Disposition has an unterminated quoted string.");
                }
                value = quoted.toString();
                next = q + 1;
                while (next < h.length() && (h.charAt(next) == ' ' || h.charAt(next) == '\t')) {
                    next++;
                }
                if (next < h.length() && h.charAt(next) != ';') {
                    throw invalid("invalid-filename", "Content-Disposition has text after a quoted string.");
                }
            } else {
                next = h.indexOf(';', v);
                value = h.substring(v, next < 0 ? h.length() : next).trim();
            }
            if (name.equals("filename")) {
                if (plain != null) {
                    throw invalid("invalid-filename", "Content-Disposition names the filename twice.");
                }
                plain = value;
            } else if (name.equals("filename*")) {
                if (extended != null) {
                    throw invalid("invalid-filename", "Content-Disposition names the filename twice.");
                }
                extended = value;
            }
            i = next < 0 || next >= h.length() ? -1 : next;
        }
        if (extended != null) {
            return validFilename(decodeExtended(extended));
        }
        if (plain == null) {
            throw invalid("missing-filename", "Content-Disposition carries no filename.");
        }
        return validFilename(octetsAsUtf8(plain));
    }

    /**
     * A header value as its octets mean it. The HTTP layer hands header bytes over one char per byte (ISO-8859-1),
     * but curl and most HTTP libraries send a name such as {@code intervju-åsa-07.wav} as raw UTF-8: read the
     * octets as UTF-8 when they are valid UTF-8 (RFC 9110 leaves field values as octets), and keep ISO-8859-1 as
     * the fallback for the rare sender whose bytes are not.
     */
    static String octetsAsUtf8(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return value; // already decoded text, not octets
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }

    /** RFC 8187 ext-value: {@code UTF-8'[language]'percent-encoded}. Other charsets are refused. */
    private static String decodeExtended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0 || !value.substring(0, first).equalsIgnoreCase("UTF-8")) {
            throw invalid("invalid-filename", "The filename* parameter must be UTF-8''<percent-encoded name>.");
        }
        String encoded = value.substring(second + 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (lo < 0) {
                    throw invalid("invalid-filename", "The filename* parameter is not valid percent-encoding.");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("invalid-filename", "The filename* parameter is not valid UTF-8.");
        }
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

    /**
     * The sha-256 member of an RFC 9530 Content-Digest, if present. Other algorithms are ignored. Two
     * sha-256 members that differ are refused rather than letting one of them win (a proxy may join two
     * header lines into one list); repeating the same value is harmless.
     */
    static Optional<byte[]> sha256Digest(String contentDigest) {
        if (contentDigest == null) {
            return Optional.empty();
        }
        if (contentDigest.length() > MAX_DIGEST) {
            throw invalid("invalid-content-digest", "Content-Digest must be at most " + MAX_DIGEST + " characters.");
        }
        byte[] found = null;
        for (String member : contentDigest.split(",", -1)) {
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
            if (found != null && !Arrays.equals(found, digest)) {
                throw invalid("conflicting-content-digest", "Content-Digest carries two different sha-256 values.");
            }
            found = digest;
        }
        return Optional.ofNullable(found);
    }

    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        if (contentType.length() > MAX_MEDIA_TYPE) {
            throw invalid("invalid-media-type", "Content-Type must be at most " + MAX_MEDIA_TYPE + " characters.");
        }
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPE.matcher(bare).matches()) {
            throw invalid("invalid-media-type", "Content-Type is not a valid media type.");
        }
        return bare;
    }

    private static ProblemException invalid(String type, String detail) {
        return ProblemException.badRequest(type, detail);
    }
}
