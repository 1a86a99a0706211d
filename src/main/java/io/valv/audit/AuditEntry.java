package io.valv.audit;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import io.valv.security.Caller;

/**
 * What a feature hands to {@link AuditLog}: the action, its outcome and targets. Who acted comes from
 * {@link #by(Caller)} or, when absent, the current request's identity (or the system outside requests);
 * request id, client address and user agent come from the request. {@code detail} is short and carries no
 * personal data beyond ids.
 */
public final class AuditEntry {

    private static final Pattern ACTION = Pattern.compile("[a-z]+(\\.[a-z-]+)+");
    static final int MAX_DETAIL = 500;

    final String action;
    Outcome outcome = Outcome.OK;
    Caller caller;
    String clientId;
    UUID jobId;
    UUID materialId;
    String detail;
    Long bytes;
    Long rangeFirst;
    Long rangeLast;

    private AuditEntry(String action) {
        if (!ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("not a dotted action name: " + action);
        }
        this.action = action;
    }

    public static AuditEntry of(String action) {
        return new AuditEntry(action);
    }

    public AuditEntry by(Caller caller) {
        this.caller = caller;
        return this;
    }

    /**
     * Valv's own work (purge, sweeps): recorded as {@code valv:system} whichever thread runs it, never as the
     * person whose request happened to set it off.
     */
    public AuditEntry bySystem() {
        return by(AuditLog.SYSTEM);
    }

    public AuditEntry outcome(Outcome outcome) {
        this.outcome = Objects.requireNonNull(outcome);
        return this;
    }

    /** The client whose data or record the action concerns; puts the event on that client's chain. */
    public AuditEntry client(String clientId) {
        this.clientId = clientId;
        return this;
    }

    public AuditEntry job(UUID jobId) {
        this.jobId = jobId;
        return this;
    }

    public AuditEntry material(UUID materialId) {
        this.materialId = materialId;
        return this;
    }

    public AuditEntry detail(String detail) {
        this.detail = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        return this;
    }

    /** Plaintext bytes served (content reads) or stored (uploads). */
    public AuditEntry bytes(long bytes) {
        this.bytes = bytes;
        return this;
    }

    /**
     * The content read serves this byte range (inclusive): it may be coalesced with the same person's other
     * range reads of the material ({@link AuditLog#appendContentRead}).
     */
    public AuditEntry range(long first, long last) {
        this.rangeFirst = first;
        this.rangeLast = last;
        return this;
    }
}
