package io.valv.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * The request facts every event of a request carries, captured once by {@link AuditRequestFilter}:
 * request id, the client's address and user agent.
 */
@RequestScoped
class AuditContext {

    private String requestId;
    private String clientIp;
    private String userAgent;

    void capture(String requestId, String clientIp, String userAgent) {
        this.requestId = requestId;
        this.clientIp = clientIp;
        this.userAgent = userAgent;
    }

    String requestId() {
        return requestId;
    }

    String clientIp() {
        return clientIp;
    }

    String userAgent() {
        return userAgent;
    }
}
