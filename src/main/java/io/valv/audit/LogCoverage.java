package io.valv.audit;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Whether an event is covered by a signed tree head yet, i.e. whether its inclusion proof can be had: what the
 * public certificate check states about a certificate's purge event. One row read, no proof computed (the proof
 * itself is the client admin's, {@code GET /api/v1/audit/events/{id}/inclusion-proof}).
 */
@ApplicationScoped
public class LogCoverage {

    private final AuditStore store;

    LogCoverage(AuditStore store) {
        this.store = store;
    }

    /** The newest signed tree head, when it covers the event at {@code seq}. */
    @Transactional
    public Optional<Covered> of(long seq) {
        return store.latestTreeHead().filter(h -> h.treeSize >= seq).map(h -> new Covered(h.treeSize, h.signedAt));
    }

    public record Covered(long treeSize, Instant signedAt) {
    }
}
