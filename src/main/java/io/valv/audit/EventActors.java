package io.valv.audit;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who an event's actor is shown as (docs/audit.md, "Personal data in events"): by name to the processor and to
 * a client for its own people; the processor's people to a client as that client's pseudonyms. One rule for the
 * access log's pages, its export and the incident report.
 */
@ApplicationScoped
class EventActors {

    private final AuditKeys keys;
    private final AuditConfig config;

    EventActors(AuditKeys keys, AuditConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /** The actor as the viewer may see it: by name to the processor, and to a client for its own people. */
    String shown(AuditEvent e, String viewingClient) {
        // a stored pseudonym (pseudonym mode) is already per client and irreversible: shown as it is
        if (viewingClient == null || isOwn(e, viewingClient) || e.actorSubject == null
                || e.actorSubject.startsWith(PersonalData.PREFIX)
                || (config.revealStaffToClients() && e.actorClient == null)) {
            return e.actorSubject;
        }
        return keys.pseudonyms().of(viewingClient, e.actorSubject);
    }

    static boolean isOwn(AuditEvent e, String client) {
        return client.equals(e.actorClient);
    }
}
