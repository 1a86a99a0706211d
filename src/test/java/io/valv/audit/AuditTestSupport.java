package io.valv.audit;

import java.util.UUID;

/** Uploads and reads through the public API, for the audit tests. */
final class AuditTestSupport {

    private AuditTestSupport() {
    }

    static String requestId() {
        return "t-" + UUID.randomUUID();
    }

}
