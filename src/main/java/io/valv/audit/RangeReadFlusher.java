package io.valv.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.valv.audit.proof.SummaryEvents;

/**
 * Folds coalesced range reads into chained summary events (docs/audit.md, "Coalescing range reads").
 *
 * <p>
 * Invariant: every row of {@code audit_range_read} is counted by exactly one chained
 * {@code material.content.range-reads} event, recorded in {@code audit_range_flush} in the summary's own
 * transaction. A flush first takes the chain head lock and only then looks for uncounted rows, so flushers
 * on several replicas run one after the other and never count a row twice (the flush table's primary key
 * would refuse it anyway); a crash rolls a summary back together with its marks, and the next flush
 * picks the rows up again. A row that commits after its window's summary (a read racing the window's end)
 * is simply counted by a later summary of the same window: flushing early is always safe, only late is
 * not.
 */
@ApplicationScoped
class RangeReadFlusher {

    static final int BATCH = 1_000;
    private final AuditStore store;
    private final ChainAppender appender;
    private final PersonalData personalData;
    private final AuditConfig config;
    private final Clock clock;

    RangeReadFlusher(AuditStore store, ChainAppender appender, PersonalData personalData, AuditConfig config, Clock clock) {
        this.store = store;
        this.appender = appender;
        this.personalData = personalData;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${valv.audit.range-flush-every}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            while (flushClosed() == BATCH) {
                // more closed windows are waiting; each batch commits on its own
            }
        } catch (RuntimeException e) {
            Log.warnf("Audit: flushing coalesced range reads failed (%s); it will retry", e.getClass().getSimpleName());
        }
    }

    /** Counts the reads of every window that has closed into summary events; returns how many reads. */
    @Transactional
    int flushClosed() {
        return flush(Instant.now(clock).minus(config.rangeCoalesceWindow()), null, null);
    }

    /** Counts every uncounted read, open windows included (before a report that must see them all). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int flushAll() {
        return flush(null, null, null);
    }

    /**
     * Appends one summary event per window for the uncounted reads of windows opened before
     * {@code windowStartBefore} (null: all), optionally of one person and material only. Runs in the
     * caller's transaction, and takes the chain head lock before it reads anything.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    int flush(Instant windowStartBefore, String subject, UUID materialId) {
        // the common case, nothing to fold, must not hold up every append on the head lock
        if (store.pendingRangeReads(windowStartBefore, subject, materialId, 1).isEmpty()) {
            return 0;
        }
        appender.lockHead();
        List<RangeReadRow> pending = store.pendingRangeReads(windowStartBefore, subject, materialId, BATCH);
        Map<UUID, List<RangeReadRow>> byWindow = new LinkedHashMap<>();
        for (RangeReadRow r : pending) {
            byWindow.computeIfAbsent(r.windowEventId, k -> new ArrayList<>()).add(r);
        }
        for (List<RangeReadRow> reads : byWindow.values()) {
            AppendedEvent summary = appender.append(personalData.protectStored(summary(reads)));
            store.markCounted(reads, summary.id());
        }
        return pending.size();
    }

    /**
     * One window's reads as one event, by the person who read: {@code bytes} is their total, {@code detail}
     * {@code "<n> range reads <first at> .. <last at>, window <opening event id>"}. The client address and
     * user agent are kept only when all reads share them.
     */
    private EventDraft summary(List<RangeReadRow> reads) {
        RangeReadRow first = reads.get(0);
        RangeReadRow last = reads.get(reads.size() - 1);
        long bytes = reads.stream().mapToLong(r -> r.bytes).sum();
        boolean oneIp = reads.stream().allMatch(r -> Objects.equals(r.clientIp, first.clientIp));
        boolean oneAgent = reads.stream().allMatch(r -> Objects.equals(r.userAgent, first.userAgent));
        String detail = SummaryEvents.rangeReadsDetail(reads.size(), first.occurredAt, last.occurredAt,
                first.windowEventId);
        return new EventDraft(Instant.now(clock), first.actorSubject, first.actorRoles, first.actorClient,
                Actions.MATERIAL_CONTENT_RANGE_READS, Outcome.OK.wire(), first.clientId, first.jobId, first.materialId,
                detail, bytes, null, oneIp ? first.clientIp : null, oneAgent ? first.userAgent : null);
    }
}
