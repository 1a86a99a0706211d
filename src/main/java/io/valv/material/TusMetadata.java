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
        Map<String, String> pairs = new HashMap<>();
        for (String pair : header.split(",", -1)) {
            String[] parts = pair.trim().split(" ", -1);
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw invalid("Upload-Metadata must be comma-separated \"key base64value\" pairs.");
            }
            String value = parts.length == 2 ? decode(parts[1]) : "";
            if (pairs.put(parts[0], value) != null) {
                throw invalid("Upload-Metadata names the key " + (parts[0].length() <= 32 ? parts[0] : "?") + " twice.");
            }
        }
        String filename = pairs.get("filename");
        if (filename == null) {
            throw ProblemException.badRequest("missing-filename", "Upload-Metadata must carry a filename.");
        }
        String personalData = pairs.get("personal-data");
        Optional<byte[]> sha256 = Optional.ofNullable(pairs.get("sha256")).map(TusMetadata::digest);
        return new TusMetadata(UploadHeaders.validFilename(filename), UploadHeaders.mediaType(pairs.get("filetype")),
                UploadHeaders.personalData(personalData),
                sha256);
    }

    private static byte[] digest(String base64) {
        try {
            byte[] digest = Base64.getDecoder().decode(base64.trim());
            if (digest.length == 32) {
                return digest;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw invalid("The sha256 metadata must be the base64 of a 32-byte SHA-256 digest.");
    }

    private static String decode(String base64) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw invalid("Upload-Metadata values must be base64 of UTF-8 text.");
        }
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-upload-metadata", detail);
    }
}
