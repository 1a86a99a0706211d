package io.valv.client;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.valv.web.ProblemException;

/**
 * The optional body of an offboarding or DPA termination: {@code waitDays} overrides the configured waiting
 * period (a shorter one needs {@code reason}, e.g. an emergency or a test). {@link EndOfContract} validates
 * both.
 */
public record EndOfContractBody(Integer waitDays, String reason) {

    /**
     * The request a raw body asks for. The public contract lets a bare {@code POST} (no body, no content
     * type) schedule with the defaults, which JAX-RS entity binding cannot express, so the body is read here:
     * no body means the defaults (whatever Content-Type a client library adds to a bare POST, except a
     * declared JSON one), anything else must be a JSON object of this shape.
     */
    public static EndOfContract.Request parse(String contentType, byte[] body, ObjectMapper json) {
        boolean declaredJson = contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
        if (body == null || body.length == 0) {
            if (declaredJson) {
                // a body declared as JSON must be one: an empty one is a client bug, not a request for the defaults
                throw new ProblemException(400, "invalid-json", "Invalid JSON body",
                        "The body is empty; send {} for the defaults.");
            }
            return EndOfContract.Request.DEFAULT;
        }
        if (!declaredJson) {
            throw new ProblemException(415, "unsupported-media-type", "Unsupported media type",
                    "The body, when there is one, must be application/json.");
        }
        try {
            EndOfContractBody parsed = json.readValue(body, EndOfContractBody.class);
            if (parsed == null) {
                throw new ProblemException(400, "invalid-json", "Invalid JSON body", "The body must be a JSON object.");
            }
            return new EndOfContract.Request(parsed.waitDays(), parsed.reason());
        } catch (IOException e) {
            throw new ProblemException(400, "invalid-json", "Invalid JSON body",
                    "The body must be a JSON object with an optional integer waitDays and string reason.");
        }
    }
}
