package io.valv.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which paths may carry a body over the JSON limit: the upload routes only. */
class RequestGateTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/jobs/0b7c/materials",
            "/api/v1/jobs/0b7c/uploads",
            "/api/v1/uploads/abc",
            "/api/v1/upload-links/tok/uploads/abc",
            "/portal/workspace/jobs/0b7c/uploads",
            "/portal/workspace/uploads/abc" })
    void uploadRoutesMayStreamLargeBodies(String path) {
        assertTrue(RequestGate.isUpload(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/jobs/0b7c",
            "/api/v1/clients/acme/dpas",
            "/portal/workspace/jobs/0b7c",
            "/portal/workspace/jobs/0b7c/erase",
            "/portal/admin/uploads",
            "/portal/uploads/abc",
            "/upload/token" })
    void everythingElseKeepsTheJsonLimit(String path) {
        assertFalse(RequestGate.isUpload(path), path);
    }
}
