package io.valv.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.valv.audit.proof.AuditChain;
import io.valv.web.RequestRefused;

/**
 * Records refused requests (docs/audit.md, "Refusals"): where a refusal is filed, how a flood of them is
 * folded into counts, and when a client address is answered 429 instead.
 *
 * <p>
 * Per source (the caller's subject and the client address; an unauthenticated caller has the address only)
 * and fixed time window ({@code valv.audit.refusal-window}): the first
 * {@code valv.audit.refusal-chained-per-window} refusals are chained events of their own, every later one is
 * only counted here, and when the window has passed the count becomes one chained
 * {@code access.denied.repeated} event. A flood thus adds a bounded number of events per source and window,
 * whatever its rate. Once a client address has had {@code valv.audit.refusal-limit} refusals in a window,
 * its further requests to {@code /api} and {@code /portal} are answered 429 until the window ends
 * ({@link AuditRequestFilter}).
 *
 * <p>
 * The counts live in this replica's memory: a refusal is not a state change and not a release of data, so
 * unlike a read it is not fail-closed, and a crash loses at most one window's uncounted refusals (the chained
 * first ones stay). With several replicas each counts and limits on its own; the limit per address is then
 * up to replicas × limit. The number of sources per window is bounded ({@link #MAX_SOURCES}); beyond it,
 * new sources share one tally, so memory stays bounded under a spread-out flood too.
 */
@ApplicationScoped
class Refusals {

    static final int MAX_SOURCES = 10_000;
    private static final Source OVERFLOW = new Source(null, "(other sources)");

    private final AuditLog log;
    private final AuditStore store;
    private final AuditConfig config;
    private final Clock clock;

    /** Who a refusal came from: subject (null when unauthenticated) and client address. */
    record Source(String subject, String address) {
    }

    /** What one source was refused in the current window beyond its chained refusals. */
    private static final class Tally {
        final EventDraft first;
        int chained;
        long counted;
        Instant firstCounted;
        Instant lastCounted;
        final TreeSet<Integer> statuses = new TreeSet<>();

        Tally(EventDraft first) {
            this.first = first;
        }
    }

    private long window = Long.MIN_VALUE;
    private Map<Source, Tally> tallies = new HashMap<>();
    private Map<String, Integer> byAddress = new HashMap<>();
    private final List<Tally> closed = new ArrayList<>();

    Refusals(AuditLog log, AuditStore store, AuditConfig config, Clock clock) {
        this.log = log;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Refusals of the API, the portal and the upload-link pages are recorded; other paths (health, metrics) are
     * not audited.
     */
    static boolean audited(String path) {
        return path != null && (path.startsWith("/api/") || path.equals("/portal") || path.startsWith("/portal/")
                || path.startsWith("/upload/"));
    }

    void on(@Observes RequestRefused refused) {
        if (!audited(refused.path())) {
            return;
        }
        try {
            // the caller and the request facts are read here, on the request's thread, while its context is active
            EventDraft draft = log.refusalDraft(refused);
            if (count(draft, refused.status())) {
                Optional<String> pathClient = Optional.ofNullable(refused.pathParameters().get("clientId"));
                write(() -> store.appendRefusal(draft, pathClient));
            }
        } catch (RuntimeException e) {
            Log.errorf("Audit: could not record a refusal of request %s (%s)", refused.requestId(),
                    e.getClass().getSimpleName());
        }
    }

    /** Whether requests from this client address are to be answered 429 for the rest of the window. */
    synchronized boolean limited(String address) {
        roll(Instant.now(clock));
        return address != null && byAddress.getOrDefault(address, 0) >= config.refusalLimit();
    }

    /** Whole seconds until the current window ends (at least 1): when a limited address may try again. */
    synchronized long secondsLeftInWindow() {
        Instant now = Instant.now(clock);
        roll(now);
        long length = Math.max(1, config.refusalWindow().toMillis());
        long left = (window + 1) * length - now.toEpochMilli();
        return Math.max(1, (left + 999) / 1000);
    }

    /** Counts one refusal; true when it is to be a chained event of its own. */
    private synchronized boolean count(EventDraft d, int status) {
        Instant now = d.occurredAt();
        roll(now);
        // bounded like the tallies: an address beyond the bound is not limited in this window, only counted
        if (d.clientIp() != null && (byAddress.size() < MAX_SOURCES || byAddress.containsKey(d.clientIp()))) {
            byAddress.merge(d.clientIp(), 1, Integer::sum);
        }
        Source source = new Source(d.actorSubject(), d.clientIp());
        Tally t = tallies.get(source);
        if (t == null) {
            if (tallies.size() >= MAX_SOURCES) {
                source = OVERFLOW;
                t = tallies.get(OVERFLOW);
            }
            if (t == null) {
                t = new Tally(source == OVERFLOW ? d.withoutActor() : d);
                tallies.put(source, t);
            }
        }
        if (source != OVERFLOW && t.chained < config.refusalChainedPerWindow()) {
            t.chained++;
            return true;
        }
        if (t.counted++ == 0) {
            t.firstCounted = now;
        }
        t.lastCounted = now;
        t.statuses.add(status);
        return false;
    }

    /** Starts a new window when the clock has left the current one; its tallies wait to be summarised. */
    private void roll(Instant now) {
        long current = now.toEpochMilli() / Math.max(1, config.refusalWindow().toMillis());
        // forward only: drafts stamped on other threads may arrive a moment out of order at a window's end
        if (current > window) {
            closeWindow();
            window = current;
        }
    }

    private void closeWindow() {
        tallies.values().stream().filter(t -> t.counted > 0).forEach(closed::add);
        tallies = new HashMap<>();
        byAddress = new HashMap<>();
    }

    @Scheduled(every = "${valv.audit.refusal-window}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        synchronized (this) {
            roll(Instant.now(clock));
        }
        flushClosed();
    }

    /** Ends the current window now and writes the summaries of every closed one (tests, shutdown). */
    void closeNow() {
        synchronized (this) {
            closeWindow();
        }
        flushClosed();
    }

    /** A replica that stops writes the counts it holds, rather than dropping them with its memory. */
    void onStop(@Observes ShutdownEvent stop) {
        closeNow();
    }

    private void flushClosed() {
        List<Tally> due;
        synchronized (this) {
            due = new ArrayList<>(closed);
            closed.clear();
        }
        for (Tally t : due) {
            try {
                store.appendRefusalSummary(t.first.summary(t.lastCounted, t.counted + " refusals "
                        + AuditChain.time(t.firstCounted) + " .. " + AuditChain.time(t.lastCounted) + " statuses "
                        + String.join(",", t.statuses.stream().map(String::valueOf).toList())));
            } catch (RuntimeException e) {
                // a summary that cannot be written now is not retried: logged so that an operator sees the gap
                Log.errorf("Audit: could not record a summary of %d refusals (%s)", t.counted, e.getClass().getSimpleName());
            }
        }
    }

    /** On an I/O thread the write is handed to a worker: refusals of non-blocking endpoints must not block. */
    private static void write(Runnable append) {
        if (BlockingOperationControl.isBlockingAllowed()) {
            append.run();
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                append.run();
            } catch (RuntimeException e) {
                Log.errorf("Audit: could not record a refusal (%s)", e.getClass().getSimpleName());
            }
        });
    }
}
