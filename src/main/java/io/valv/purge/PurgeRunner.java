package io.valv.purge;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

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
 * check they are gone, delete the wrapped data keys, mark the rows purged, issue the certificates. A
 * crash anywhere rolls the rows back to pending; the rerun deletes again (a no-op) and commits once, so
 * each material ends purged exactly once with exactly one certificate.
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

    PurgeRunner(MaterialService materials, CertificateService certificates, BlobStore blobs, PurgeConfig config,
            Clock clock, MeterRegistry registry, AuditLog audit) {
        this.audit = audit;
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
        int total = 0;
        while (true) {
            int n;
            try {
                n = QuarkusTransaction.requiringNew().call(this::purgeBatch);
            } catch (RuntimeException e) {
                failed.increment();
                Log.warnf("Purge batch failed (%s); it will be retried", Causes.root(e).getClass().getSimpleName());
                return total;
            }
            total += n;
            if (n < config.batchSize()) {
                return total;
            }
        }
    }

    /** One batch, in the transaction {@link #drain()} opens for it. */
    @Transactional(Transactional.TxType.MANDATORY)
    int purgeBatch() {
        List<Material> batch = materials.claimPurgeBatch(config.batchSize());
        if (batch.isEmpty()) {
            return 0;
        }
        List<String> keys = batch.stream().map(m -> m.objectKey).toList();
        try {
            blobs.delete(keys);
            for (String key : keys) {
                if (blobs.exists(key)) {
                    throw new IllegalStateException("object still present after delete");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("object store unavailable during purge", e);
        }
        Instant verifiedAt = Instant.now(clock);
        // Audit appends come last: they hold the chain-head lock until commit, so never across the S3 calls.
        for (Material m : batch) {
            materials.recordPurged(m, verifiedAt);
            long reads = audit.contentReads(m.id);
            // the purge event first, so that the certificate can cite it (and its inclusion proof)
            AppendedEvent purge = audit.append(AuditEntry.of(Actions.MATERIAL_PURGE).bySystem().client(m.clientId)
                    .job(m.jobId).material(m.id).detail(m.purgeReason));
            UUID certificate = certificates.issueForPurge(m, verifiedAt, reads, purge);
            if (certificate != null) {
                audit.append(AuditEntry.of(Actions.CERTIFICATE_ISSUE).bySystem().client(m.clientId).job(m.jobId).material(m.id)
                        .detail("certificate " + certificate));
            }
        }
        purged.increment(batch.size());
        Log.infof("Purged %d materials", batch.size());
        return batch.size();
    }
}
