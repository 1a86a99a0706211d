package io.valv.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Paths with an upload link's token are recorded with the token replaced; every other path unchanged. */
class SecretPathsTest {

    @Test
    void theTokenOfALinkPathIsReplaced() {
        assertEquals("/upload/…", SecretPaths.redact("/upload/AbCdEfGhIjKlMnOpQrStUvWxYz012345"));
        assertEquals("/upload/…/x", SecretPaths.redact("/upload/secret/x"));
        assertEquals("/api/v1/upload-links/…/uploads", SecretPaths.redact("/api/v1/upload-links/secret/uploads"));
        assertEquals("/api/v1/upload-links/…/uploads/abc", SecretPaths.redact("/api/v1/upload-links/secret/uploads/abc"));
    }

    @Test
    void otherPathsAndALinksIdStay() {
        assertEquals("/api/v1/upload-links/0c9b3e3a-6f0e-4a53-9b8a-3a4d1c2b1a00",
                SecretPaths.redact("/api/v1/upload-links/0c9b3e3a-6f0e-4a53-9b8a-3a4d1c2b1a00"));
        assertEquals("/api/v1/jobs/j/upload-links", SecretPaths.redact("/api/v1/jobs/j/upload-links"));
        assertEquals("/portal/upload/x", SecretPaths.redact("/portal/upload/x"));
        assertEquals(null, SecretPaths.redact(null));
    }
}
