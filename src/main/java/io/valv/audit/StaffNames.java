package io.valv.audit;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.security.Caller;

/**
 * The processor's people as a client's caller is shown them anywhere (a job's staff, say): exactly as its
 * audit view shows them (docs/audit.md, "Personal data in events"), so that an answer outside the log never
 * undoes the log's pseudonyms. The processor's own callers see names.
 */
@ApplicationScoped
public class StaffNames {

    private final PersonalData personalData;
    private final AuditKeys keys;
    private final AuditConfig config;

    StaffNames(PersonalData personalData, AuditKeys keys, AuditConfig config) {
        this.personalData = personalData;
        this.keys = keys;
        this.config = config;
    }

    /** {@code staff} (subjects) as {@code viewer} may see them. */
    public List<String> asSeenBy(Caller viewer, List<String> staff) {
        if (viewer.clientId().isEmpty()) {
            return staff;
        }
        String client = viewer.clientId().get();
        if (personalData.pseudonymous()) {
            // the client's events store its pseudonyms, and its audit view shows them as stored
            return staff.stream().map(s -> personalData.storedSubject(client, s)).toList();
        }
        if (config.revealStaffToClients()) {
            return staff;
        }
        return staff.stream().map(s -> keys.pseudonyms().of(client, s)).toList();
    }
}
