package io.valv.material;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.valv.web.ProblemException;

/**
 * The tus {@code Upload-Metadata} header ({@code key base64,key base64}) mapped onto the same validated fields
 * as the one-shot upload's headers: {@code filename} (required), {@code filetype}, {@code personal-data}
 * ({@code true|false}, required), {@code sha256} (base64 of the whole file's digest, optional). Unknown keys
 * are ignored, as tus clients add their own (tus-js-client sends {@code name}, {@code type}).
 */
record TusMetadata(String filename, String mediaType, boolean personalData, Optional<byte[]> sha256) {

    static final int MAX_HEADER = 4096;

    static TusMetadata parse(String header) {
        if (header == null || header.isBlank()) {
            throw invalid("Upload-Metadata is required: filename and personal-data.");
        }
        if (header.length() > MAX_HEADER) {
            throw invalid("Upload-Metadata must be at most " + MAX_HEADER + " characters.");
        }
        Map<String, byte[]> pairs = new HashMap<>();
        for (String pair : header.split(",", -1)) {
            String[] parts = pair.trim().split(" ", -1);
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw invalid("Upload-Metadata must be comma-separated \"key base64value\" pairs.");
            }
            byte[] value = parts.length == 2 ? base64(parts[1]) : new byte[0];
            if (pairs.put(parts[0], value) != null) {
                throw invalid("Upload-Metadata names the key " + (parts[0].length() <= 32 ? parts[0] : "?") + " twice.");
            }
        }
        String filename = text(pairs.get("filename"));
        if (filename == null) {
            throw ProblemException.badRequest("missing-filename", "Upload-Metadata must carry a filename.");
        }
        Optional<byte[]> sha256 = Optional.ofNullable(pairs.get("sha256")).map(TusMetadata::digest);
        return new TusMetadata(UploadHeaders.validFilename(filename), UploadHeaders.mediaType(text(pairs.get("filetype"))),
                UploadHeaders.personalData(text(pairs.get("personal-data"))), sha256);
    }

    /**
     * The digest as tus encodes it (the value's bytes are the 32 digest bytes), or, since tus clients take
     * metadata as strings, the value being the digest's base64 or hex text ({@code sha256sum}'s output).
     */
    private static byte[] digest(byte[] value) {
        if (value.length == 32) {
            return value;
        }
        String text = new String(value, StandardCharsets.US_ASCII).trim();
        try {
            byte[] digest = text.length() == 64 ? java.util.HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text);
            if (digest.length == 32) {
                return digest;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw invalid("The sha256 metadata must be a SHA-256 digest (32 bytes, or their base64 or hex).");
    }

    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw invalid("Upload-Metadata values must be base64.");
        }
    }

    private static String text(byte[] raw) {
        if (raw == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("Upload-Metadata text values must be UTF-8.");
        }
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-upload-metadata", detail);
    }
}
