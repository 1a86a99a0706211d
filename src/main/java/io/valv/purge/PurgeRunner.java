package io.valv.purge;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.valv.audit.Actions;
import io.valv.audit.AppendedEvent;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.certificate.CertificateService;
import io.valv.material.Material;
import io.valv.material.MaterialService;
import io.valv.storage.BlobStore;
import io.valv.web.Causes;

/**
 * Destroys purge-pending material in batches. One batch is one transaction holding its rows with
 * {@code FOR UPDATE SKIP LOCKED} (so replicas take disjoint batches): delete the objects (idempotent),
 * check they are gone, delete the wrapped data keys, mark the rows purged, issue the certificates. Each
 * step covers the whole batch at once (the store's single-key calls several in flight, one statement for
 * the keys, one for the rows, one append for the purge events and one for the certificate events), so a
 * batch costs a few round trips instead of several per material. A
 * crash anywhere rolls the rows back to pending; the rerun deletes again (a no-op) and commits once, so
 * each material ends purged exactly once with exactly one certificate. Several batches run at once
 * ({@code valv.purge.concurrent-batches}), each in its own transaction, as batches of two replicas would.
 */
@ApplicationScoped
public class PurgeRunner {

    private final MaterialService materials;
    private final CertificateService certificates;
    private final BlobStore blobs;
    private final PurgeConfig config;
    private final Clock clock;
    private final Counter purged;
    private final Counter failed;
    private final AuditLog audit;
    /** Runs the loops beyond the caller's; carries no context (no request, identity or transaction) along. */
    private final ManagedExecutor helpers;

    PurgeRunner(MaterialService materials, CertificateService certificates, BlobStore blobs, PurgeConfig config,
            Clock clock, MeterRegistry registry, AuditLog audit) {
        this.audit = audit;
        this.helpers = ManagedExecutor.builder().maxAsync(Math.max(1, config.concurrentBatches() - 1))
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
        this.materials = materials;
        this.certificates = certificates;
        this.blobs = blobs;
        this.config = config;
        this.clock = clock;
        this.purged = Counter.builder("valv.purges").tag("outcome", "done").description("Materials destroyed")
                .register(registry);
        this.failed = Counter.builder("valv.purges").tag("outcome", "failed")
                .description("Purge batches that failed and will be retried")
                .register(registry);
    }

    /** Purges until nothing is pending (or a batch fails); returns how many materials were destroyed. */
    public int drain() {
        return drain(config.concurrentBatches(), config.batchSize());
    }

    /**
     * {@code workers} loops of batches at once, the calling thread running one. Each batch is the transaction
     * and row locks it always was, so the loops take disjoint batches exactly as replicas do; what they gain is
     * overlap: one loop's store calls (deletes, HEAD checks) run while another holds the audit chain's head lock
     * to append its events and sign its certificates, which is the only step batches must take in turn.
     */
    int drain(int workers, int batchSize) {
        List<CompletableFuture<Integer>> others = new ArrayList<>();
        for (int i = 1; i < workers; i++) {
            others.add(CompletableFuture.supplyAsync(() -> loop(batchSize), helpers));
        }
        int total = loop(batchSize);
        for (CompletableFuture<Integer> other : others) {
            total += other.join();
        }
        return total;
    }

    /** Batches one after another until one comes back short (nothing left to claim) or fails. */
    private int loop(int batchSize) {
        int total = 0;
        while (true) {
            int n;
            try {
                n = QuarkusTransaction.requiringNew().call(() -> purgeBatch(batchSize));
            } catch (RuntimeException e) {
                failed.increment();
                Log.warnf("Purge batch failed (%s); it will be retried", Causes.root(e).getClass().getSimpleName());
                return total;
            }
            total += n;
            if (n < batchSize) {
                return total;
            }
        }
    }

    @PreDestroy
    void stop() {
        helpers.shutdown();
    }

    /** One batch, in the transaction {@link #drain()} opens for it. */
    @Transactional(Transactional.TxType.MANDATORY)
    int purgeBatch(int batchSize) {
        List<Material> batch = materials.claimPurgeBatch(batchSize);
        if (batch.isEmpty()) {
            return 0;
        }
        List<String> keys = batch.stream().map(m -> m.objectKey).toList();
        try {
            blobs.delete(keys);
            if (!blobs.present(keys).isEmpty()) {
                throw new IllegalStateException("object still present after delete");
            }
        } catch (IOException e) {
            throw new IllegalStateException("object store unavailable during purge", e);
        }
        Instant verifiedAt = Instant.now(clock);
        materials.recordPurged(batch, verifiedAt);
        Map<UUID, Long> reads = audit.contentReads(batch.stream().map(m -> m.id).toList());
        // Audit appends come last: they hold the chain-head lock until commit, so never across the S3 calls.
        // The purge events first, so that each certificate can cite its material's (and its inclusion proof).
        List<AppendedEvent> purges = audit.appendAll(batch.stream().map(m -> AuditEntry.of(Actions.MATERIAL_PURGE)
                .bySystem().client(m.clientId).job(m.jobId).material(m.id).detail(m.purgeReason)).toList());
        List<CertificateService.Purged> destroyed = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Material m = batch.get(i);
            destroyed.add(new CertificateService.Purged(m, reads.get(m.id), purges.get(i)));
        }
        Map<UUID, UUID> issued = certificates.issueForPurge(destroyed, verifiedAt);
        audit.appendAll(batch.stream().filter(m -> issued.containsKey(m.id))
                .map(m -> AuditEntry.of(Actions.CERTIFICATE_ISSUE).bySystem().client(m.clientId).job(m.jobId)
                        .material(m.id).detail("certificate " + issued.get(m.id)))
                .toList());
        purged.increment(batch.size());
        Log.infof("Purged %d materials", batch.size());
        return batch.size();
    }
}
