package io.valv.portal;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import io.quarkus.logging.Log;
import io.quarkus.oidc.SecurityEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.security.Caller;

/**
 * Records sign-in and sign-out on the portal in the access log. The OIDC code flow reports them as security
 * events on the I/O thread; the asynchronous observer writes on a worker thread instead. A sign-in is not
 * an access to material, so it is not fail-closed: if the log cannot take the event the user is still signed
 * in, and the failure is logged (every page they then open is audited, fail-closed, as usual).
 */
@ApplicationScoped
class PortalSignIns {

    private static final String PORTAL_TENANT = "portal";
    private static final Map<SecurityEvent.Type, String> RECORDED = Map.of(
            SecurityEvent.Type.OIDC_LOGIN, Actions.PORTAL_SIGN_IN,
            SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED, Actions.PORTAL_SIGN_OUT);

    private final AuditLog audit;

    PortalSignIns(AuditLog audit) {
        this.audit = audit;
    }

    void record(@ObservesAsync SecurityEvent event) {
        String action = RECORDED.get(event.getEventType());
        SecurityIdentity identity = event.getSecurityIdentity();
        if (action == null || identity == null || !PORTAL_TENANT.equals(identity.getAttribute("tenant-id"))) {
            return;
        }
        try {
            audit.appendSeparately(AuditEntry.of(action).by(Caller.of(identity)));
        } catch (RuntimeException e) {
            Log.errorf("Audit: could not record %s (%s)", action, e.getClass().getSimpleName());
        }
    }
}
