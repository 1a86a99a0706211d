package io.valv.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Group commit for events that are not part of a state change: reads of metadata, listings, content, the
 * log itself (docs/audit.md, "Group commit of reads").
 *
 * <p>
 * Every append holds the chain head lock until its transaction commits, so one event per transaction means
 * one WAL flush per event, strictly one after the other. Here one writer thread takes whatever drafts are
 * queued (up to {@code valv.audit.batch-max}), appends them in queue order in one transaction through
 * {@link ChainAppender#appendAll} (same chain, same hashing, same head lock, so several replicas still take
 * turns on the database's head row), commits, and only then answers each waiting request. There is no
 * artificial delay: a lone request is written at once, and under load the queue fills while the previous
 * batch commits, which is where the batching comes from.
 *
 * <p>
 * Fail-closed: a request waits for its own event to be committed (at most {@code valv.audit.batch-wait})
 * before it unwraps a key or serves a byte; if the batch fails, every request in it fails (503). A request
 * that gives up waiting is skipped if its event was not taken yet; if it was, the event may still commit —
 * a recorded access that was then refused, never the reverse.
 */
@ApplicationScoped
class AuditBatcher {

    private record Pending(EventDraft draft, CompletableFuture<AppendedEvent> committed) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ChainAppender appender;
    private final PersonalData personalData;
    private final AuditConfig config;
    private final DistributionSummary batchSizes;
    private final Counter failedBatches;
    private volatile boolean running;
    private Thread writer;

    AuditBatcher(ChainAppender appender, PersonalData personalData, AuditConfig config, MeterRegistry registry) {
        this.appender = appender;
        this.personalData = personalData;
        this.config = config;
        // valv_audit_batch_size: count = commits, sum = events; the buckets show how much batching happens
        this.batchSizes = DistributionSummary.builder("valv.audit.batch.size")
                .description("Events committed together by one group commit of the access log")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        this.failedBatches = Counter.builder("valv.audit.batch.failed")
                .description("Group commits that failed; every read in them was refused").register(registry);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        writer = new Thread(this::run, "valv-audit-batcher");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes what is still queued, then stops; a draft arriving after that is refused, not lost. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread w = writer;
        if (w != null) {
            try {
                w.join(config.batchWait().toMillis() + config.lockTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.committed().completeExceptionally(new IllegalStateException("the service is stopping")));
    }

    /**
     * Appends the draft (personal fields as given, i.e. not yet protected) and returns once it is committed.
     * Throws when it was not committed within {@code valv.audit.batch-wait}, or the batch failed.
     */
    AppendedEvent appendAndWait(EventDraft draft) {
        if (!running) {
            throw new IllegalStateException("the audit batch writer is not running");
        }
        Pending p = new Pending(draft, new CompletableFuture<>());
        queue.add(p);
        try {
            return p.committed().get(config.batchWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // if the writer has not taken it yet, this makes it skip the draft
            p.committed().completeExceptionally(e);
            throw new IllegalStateException("the event was not committed within valv.audit.batch-wait", e);
        } catch (InterruptedException e) {
            p.committed().completeExceptionally(e);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event's commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, Math.max(0, config.batchMax() - 1));
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                batch.forEach(p -> p.committed().completeExceptionally(e));
            } catch (Throwable e) {
                // keep the writer alive whatever happens: a dead writer would refuse every read until restart
                Log.errorf("Audit: the batch writer failed (%s)", e.getClass().getSimpleName());
                batch.forEach(p -> p.committed().completeExceptionally(e));
            }
        }
    }

    private void write(List<Pending> taken) {
        // requests that already gave up are not written: they were answered 503
        List<Pending> batch = taken.stream().filter(p -> !p.committed().isDone()).toList();
        if (batch.isEmpty()) {
            return;
        }
        List<AppendedEvent> appended;
        try {
            // protected inside the transaction and under the head lock, like a direct append: an event never
            // falls back to clear values, nor takes a pseudonym under a key an offboarding has just destroyed
            appended = QuarkusTransaction.requiringNew()
                    .call(() -> appender.appendAll(batch.stream().map(Pending::draft).toList(), personalData::protect));
        } catch (RuntimeException e) {
            // the whole batch rolled back: nobody in it may proceed
            failedBatches.increment();
            Log.errorf("Audit: a group commit of %d events failed, every read in it is refused (%s)", batch.size(),
                    e.getClass().getSimpleName());
            batch.forEach(p -> p.committed().completeExceptionally(e));
            return;
        }
        batchSizes.record(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).committed().complete(appended.get(i));
        }
    }
}
