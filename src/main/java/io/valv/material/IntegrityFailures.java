package io.valv.material;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.audit.Outcome;
import io.valv.security.Caller;

/**
 * Stored content that failed its integrity check (authentication of a segment, object length) is an
 * incident, never an outage: it is logged, counted in {@code valv_integrity_failures_total{where}} for
 * alerting, and audited with outcome {@code error} under the material's client, where the DPO reads it.
 * Nothing of the content or its keys is ever part of the record.
 */
@ApplicationScoped
class IntegrityFailures {

    private final MaterialService materials;
    private final AuditLog audit;
    private final MeterRegistry registry;

    IntegrityFailures(MaterialService materials, AuditLog audit, MeterRegistry registry) {
        this.materials = materials;
        this.audit = audit;
        this.registry = registry;
    }

    /**
     * @param caller the reader, or null for the current request's caller
     * @param where {@code content} (the content endpoint) or {@code export}
     */
    void record(Caller caller, UUID materialId, String where, String reason) {
        Log.errorf("Integrity failure: material %s (%s): %s", materialId, where, reason);
        Counter.builder("valv.integrity.failures").tag("where", where)
                .description("Stored content that failed its integrity check").register(registry).increment();
        try {
            Material m = materials.require(materialId);
            AuditEntry entry = AuditEntry.of(Actions.MATERIAL_INTEGRITY_FAILURE).outcome(Outcome.ERROR).client(m.clientId)
                    .job(m.jobId).material(m.id).detail(where + ": " + reason);
            if (caller != null) {
                entry.by(caller);
            }
            audit.appendSeparately(entry);
        } catch (RuntimeException e) {
            // the log line and the metric above still tell the operator; the failure itself must not be masked
            Log.errorf("Integrity failure of material %s could not be audited (%s)", materialId, e.getClass().getSimpleName());
        }
    }
}
