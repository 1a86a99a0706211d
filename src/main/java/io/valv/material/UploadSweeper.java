package io.valv.material;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.valv.storage.BlobStore;

/**
 * Removes what a crashed replica left mid-upload: aborts the multipart upload, deletes any object and
 * the {@code uploading} row. Replica-safe: rows are taken with {@code FOR UPDATE SKIP LOCKED}.
 */
@ApplicationScoped
class UploadSweeper {

    private static final int BATCH = 100;
    private final MaterialRepository materials;
    private final MaterialKeyRepository keys;
    private final BlobStore blobs;
    private final UploadConfig config;
    private final Clock clock;

    UploadSweeper(MaterialRepository materials, MaterialKeyRepository keys, BlobStore blobs, UploadConfig config,
            Clock clock) {
        this.materials = materials;
        this.keys = keys;
        this.blobs = blobs;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${valv.upload.sweep-every}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int swept = QuarkusTransaction.requiringNew().call(this::sweep);
            if (swept > 0) {
                Log.infof("Swept %d abandoned uploads", swept);
            }
        } catch (RuntimeException e) {
            Log.warnf("Upload sweep failed (%s); it will retry", e.getClass().getSimpleName());
        }
    }

    /** Sweeps one batch; returns how many abandoned uploads were removed. */
    @Transactional(Transactional.TxType.MANDATORY)
    int sweep() {
        List<Material> stale = materials.abandonedUploads(Instant.now(clock).minus(config.staleAfter()), BATCH);
        int swept = 0;
        for (Material m : stale) {
            try {
                if (m.uploadId != null) {
                    blobs.abandonUpload(m.objectKey, m.uploadId);
                }
                blobs.delete(List.of(m.objectKey));
                keys.deleteById(m.id);
                materials.delete(m);
                swept++;
            } catch (IOException e) {
                Log.warnf("Could not sweep upload %s yet: %s", m.id, e.getMessage());
            }
        }
        return swept;
    }
}
