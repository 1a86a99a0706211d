package io.valv.purge;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.valv.material.MaterialService;

/**
 * Drives purging: periodically (expiry, retries) and on demand right after an event committed. Runs are
 * serialized per replica; across replicas the row locks in {@link PurgeRunner} keep them apart.
 */
@ApplicationScoped
public class PurgeScheduler {

    private final PurgeRunner runner;
    private final MaterialService materials;
    private final ManagedExecutor executor;
    private final Object runLock = new Object();
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(0, null));

    PurgeScheduler(PurgeRunner runner, MaterialService materials, MeterRegistry registry) {
        this.runner = runner;
        this.materials = materials;
        // A run asked for by a request belongs to the system, not the requester: it takes none of the
        // request's context along (its transaction, committed or still running; its identity; its request
        // scope), so it can neither join that transaction nor record its events as that caller.
        this.executor = ManagedExecutor.builder().propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING)
                .build();
        Gauge.builder("valv.purge.pending", snapshot, s -> s.get().pending())
                .description("Materials waiting to be destroyed").register(registry);
        Gauge.builder("valv.purge.oldest.overdue.seconds", snapshot, s -> s.get().overdueSeconds())
                .description("Age of the oldest expiry not yet honoured (0 when none)").register(registry);
    }

    @Scheduled(every = "${valv.purge.every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        runNow();
    }

    /** Asks for a run without waiting for it (used after an event that marked material). */
    public void runSoon() {
        executor.execute(this::runNow);
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }

    /** Marks what has expired, destroys everything pending, refreshes the metrics. */
    public int runNow() {
        synchronized (runLock) {
            try {
                QuarkusTransaction.requiringNew().run(this::markExpired);
                int purged = runner.drain();
                snapshot.set(new Snapshot(materials.countPendingPurge(), materials.oldestOverdue()));
                return purged;
            } catch (RuntimeException e) {
                Log.warnf("Purge run failed (%s); it will be retried", e.getClass().getSimpleName());
                return 0;
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void markExpired() {
        int marked = materials.markExpired();
        if (marked > 0) {
            Log.infof("%d materials reached their expiry and are pending purge", marked);
        }
    }

    private record Snapshot(long pending, Instant oldestOverdue) {

        double overdueSeconds() {
            return oldestOverdue == null ? 0 : Math.max(0, Instant.now().getEpochSecond() - oldestOverdue.getEpochSecond());
        }
    }
}
