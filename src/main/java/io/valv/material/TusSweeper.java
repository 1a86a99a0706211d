package io.valv.material;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Ends resumable uploads past their {@code Upload-Expires}: an unfinished one is abandoned (multipart aborted,
 * rows and key removed, audited); a finished one only loses its upload record (its material stays). Replica-safe:
 * rows are claimed with {@code FOR UPDATE SKIP LOCKED}, and an upload a live PATCH holds is left alone.
 */
@ApplicationScoped
class TusSweeper {

    private static final int BATCH = 100;
    private final TusUploadRepository uploads;
    private final TusService service;
    private final Clock clock;

    TusSweeper(TusUploadRepository uploads, TusService service, Clock clock) {
        this.uploads = uploads;
        this.service = service;
        this.clock = clock;
    }

    @Scheduled(every = "${valv.upload.sweep-every}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int swept = sweep();
            if (swept > 0) {
                Log.infof("Swept %d expired resumable uploads", swept);
            }
        } catch (RuntimeException e) {
            Log.warnf("Resumable upload sweep failed (%s); it will retry", e.getClass().getSimpleName());
        }
    }

    int sweep() {
        Instant now = Instant.now(clock);
        // claim: a lease taken here keeps a PATCH (and another replica's sweeper) off the upload while it goes
        List<TusUpload> claimed = QuarkusTransaction.requiringNew().call(() -> {
            List<TusUpload> expired = uploads.expired(now, BATCH);
            expired.forEach(u -> uploads.takeLease(u.id, "sweeper", now, now.plusSeconds(300)));
            return expired.stream().map(u -> {
                TusUpload copy = new TusUpload();
                copy.id = u.id;
                copy.completed = u.completed;
                return copy;
            }).toList();
        });
        int swept = 0;
        for (TusUpload u : claimed) {
            try {
                if (u.completed) {
                    QuarkusTransaction.requiringNew().run(() -> uploads.deleteWithParts(uploads.findById(u.id)));
                } else {
                    service.abandon(u.id, Optional.empty(), "expired");
                }
                swept++;
            } catch (RuntimeException e) {
                Log.warnf("Could not sweep an expired upload yet (%s)", e.getClass().getSimpleName());
            }
        }
        return swept;
    }
}
