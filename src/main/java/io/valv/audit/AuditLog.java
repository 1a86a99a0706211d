package io.valv.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.valv.security.Caller;
import io.valv.web.Causes;
import io.valv.web.ProblemException;
import io.valv.web.RequestRefused;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The access log: the one way to record an event (docs/audit.md). Append-only by API: there is no
 * method that changes or removes an event.
 *
 * <p>
 * Fail-closed: {@link #append} writes in the caller's transaction, so the action and its event commit
 * together or not at all; when the event cannot be written the append throws a 503 problem and the
 * caller's transaction rolls back. Call it before releasing anything (a data key, a byte of content), and
 * as the last write of a short transaction, since it holds the chain head lock until commit. Accesses that
 * change nothing ({@link #appendRead}, content reads, {@link #appendSeparately}) are committed in groups by
 * {@link AuditBatcher} instead, each request waiting for its own event's commit.
 */
@ApplicationScoped
public class AuditLog {

    /** The actor of events outside any request (scheduler, start-up). */
    static final Caller SYSTEM = new Caller("valv:system", Set.of(), Optional.empty());
    private static final Caller ANONYMOUS = new Caller(null, Set.of(), Optional.empty());

    private final AuditStore store;
    private final ChainAppender appender;
    private final AuditBatcher batcher;
    private final RangeReadFlusher rangeReads;
    private final PersonalData personalData;
    private final AuditConfig config;
    private final Clock clock;
    private final Timer appendTimer;

    AuditLog(AuditStore store, ChainAppender appender, AuditBatcher batcher, RangeReadFlusher rangeReads,
            PersonalData personalData,
            AuditConfig config, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.appender = appender;
        this.batcher = batcher;
        this.rangeReads = rangeReads;
        this.personalData = personalData;
        this.config = config;
        this.clock = clock;
        // Exported as valv_audit_append_seconds: the append's share of request time (docs/benchmarks.md).
        // It covers the chain-head lock wait, hashing and the flushed INSERT, not the commit that follows; for
        // a read (group commit) it covers the whole wait for its batch, commit included.
        this.appendTimer = Timer.builder("valv.audit.append")
                .description("Time spent appending one event to the access log, including the wait for the chain head lock")
                .register(registry);
    }

    /** Appends in the caller's transaction (there must be one). Throws a 503 problem when it cannot. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AppendedEvent append(AuditEntry entry) {
        long t0 = System.nanoTime();
        EventDraft d = draft(entry);
        try {
            return appender.append(stored(d));
        } catch (RuntimeException e) {
            throw unavailable(entry.action, e);
        } finally {
            appendTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * {@link #append} for several events, in list order, in one round trip for the locks and one for the
     * events (a purge batch). Not timed by {@code valv.audit.append}, which measures the wait of one event.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<AppendedEvent> appendAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<EventDraft> drafts = entries.stream().map(this::draft).toList();
        try {
            return appender.appendAll(drafts, this::stored);
        } catch (RuntimeException e) {
            throw unavailable(entries.get(0).action, e);
        }
    }

    /**
     * Records an access that changes nothing (a metadata read, a listing): the event is committed by the
     * group commit ({@link AuditBatcher}) before this returns, independently of the caller's transaction, so
     * the caller's read-only transaction no longer holds the chain head lock until it ends. Fail-closed like
     * {@link #append}: when the event cannot be committed it throws a 503 problem and nothing may be served.
     * Not for events of a state change: those must commit or roll back with it ({@link #append}).
     */
    public AppendedEvent appendRead(AuditEntry entry) {
        long t0 = System.nanoTime();
        EventDraft d = draft(entry);
        try {
            return committed(d);
        } catch (RuntimeException e) {
            throw unavailable(entry.action, e);
        } finally {
            appendTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A content read's chained event, drafted on the request thread, that the caller has yet to
     * {@link #commitRead commit} before it unwraps the data key.
     */
    public static final class PendingRead {
        private final EventDraft draft;
        private final String action;
        private final long elapsedNanos;

        private PendingRead(EventDraft draft, String action, long elapsedNanos) {
            this.draft = draft;
            this.action = action;
            this.elapsedNanos = elapsedNanos;
        }
    }

    /**
     * Records a content read, fail-closed like {@link #append}. A range read ({@link AuditEntry#range}) by the
     * same person on the same material within {@code valv.audit.range-coalesce-window} of a chained range
     * read joins that read's window: it is written to {@code audit_range_read} in the caller's transaction
     * (flushed before this returns) and later counted into one chained summary event, instead of being a
     * chained event of its own. Opening a new window first folds the person's earlier windows on the
     * material into their summaries, so the chain shows them before the new window; that takes the head
     * lock, and the opening event is then appended in the caller's transaction too.
     *
     * <p>
     * Otherwise the read's chained event is returned, not yet written: the caller ends its transaction and
     * then {@link #commitRead commits} it through the group commit, before it unwraps the data key. (Waiting
     * for the batch outside the transaction holds no database connection: readers waiting with a connection
     * each could take the whole pool and leave none for the batch writer.) Empty when the read is recorded
     * in the caller's transaction. Throws a 503 problem when it cannot be recorded.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<PendingRead> appendContentRead(AuditEntry entry) {
        long t0 = System.nanoTime();
        if (isHead()) {
            // a HEAD is answered by the GET method without its body: only the headers (size, ETag) were served
            entry = AuditEntry.of(Actions.MATERIAL_CONTENT_HEAD).by(entry.caller).client(entry.clientId).job(entry.jobId)
                    .material(entry.materialId).bytes(0).detail("headers only");
        }
        EventDraft d0 = draft(entry);
        boolean pending = false;
        try {
            // the protected draft serves the window lookup and the coalesced row; a chained event is
            // protected where it is written (by the batch, under the head lock)
            EventDraft d = stored(d0);
            if (entry.rangeFirst != null && d.actorSubject() != null && d.materialId() != null
                    && !config.rangeCoalesceWindow().isZero()) {
                var window = store.openRangeWindow(d.actorSubject(), d.materialId(),
                        d.occurredAt().minus(config.rangeCoalesceWindow()));
                if (window.isPresent()) {
                    store.recordRangeRead(d, window.get(), entry.rangeFirst, entry.rangeLast);
                    return Optional.empty();
                }
                rangeReads.flush(null, d.actorSubject(), d.materialId());
            }
            if (appender.holdsHeadLock()) {
                appender.append(d);
                return Optional.empty();
            }
            pending = true;
            return Optional.of(new PendingRead(d0, entry.action, System.nanoTime() - t0));
        } catch (RuntimeException e) {
            throw unavailable(entry.action, e);
        } finally {
            // a coalesced read's record is timed too: it is what it costs instead of an append; a pending
            // read is timed when it is committed, this part included
            if (!pending) {
                appendTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Commits a content read's event (group commit) and returns once it is durable; throws a 503 problem
     * when it cannot, and then the caller must not unwrap the key or serve anything.
     */
    public void commitRead(PendingRead read) {
        long t0 = System.nanoTime();
        try {
            committed(read.draft);
        } catch (RuntimeException e) {
            throw unavailable(read.action, e);
        } finally {
            appendTimer.record(read.elapsedNanos + System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Appends in a transaction other than the caller's (the group commit's, {@link AuditBatcher}), for
     * accesses to the log itself and sign-ins: the event is committed when this returns, whatever becomes of
     * the caller's transaction. Never call it while the current transaction has appended (the batch would
     * wait for that transaction's lock until valv.audit.lock-timeout, and fail).
     */
    public AppendedEvent appendSeparately(AuditEntry entry) {
        long t0 = System.nanoTime();
        EventDraft d = draft(entry);
        try {
            return batcher.appendAndWait(d);
        } catch (RuntimeException e) {
            throw unavailable(entry.action, e);
        } finally {
            appendTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /** Longest request path kept in a refusal's detail: a probe's 4 KB URL must not make the event unwritable. */
    static final int MAX_REFUSED_PATH = 300;

    /**
     * A refused request's event ({@code access.denied}, outcome denied, status, problem type, method and path
     * as detail) as drafted on the request's thread; {@link Refusals} decides whether and where it is chained.
     * Its client is decided by {@link AuditStore#appendRefusal}.
     */
    EventDraft refusalDraft(RequestRefused refused) {
        String path = AuditRequestFilter.printable(refused.path(), MAX_REFUSED_PATH);
        AuditEntry entry = AuditEntry.of(Actions.ACCESS_DENIED).outcome(Outcome.DENIED)
                .detail(refused.status() + " " + shortType(refused.problemType(), refused.status()) + " "
                        + refused.method() + " " + path);
        if (refused.path().startsWith("/api/v1/materials/") || refused.path().startsWith("/portal/materials/")) {
            entry.material(uuid(refused.pathParameters().get("id")));
        }
        entry.job(uuid(refused.pathParameters().get("jobId")));
        return draft(entry);
    }

    /**
     * How often a material's content was served (for deletion certificates' access counts): the chained
     * reads plus every coalesced range read, counted by a summary yet or not (the summaries themselves are
     * not counted again).
     */
    @Transactional
    public long contentReads(UUID materialId) {
        return contentReads(List.of(materialId)).get(materialId);
    }

    /** {@link #contentReads(UUID)} for several materials in two queries (a purge batch's certificates). */
    @Transactional
    public Map<UUID, Long> contentReads(Collection<UUID> materialIds) {
        Map<UUID, Long> chained = store.countEvents(Actions.MATERIAL_CONTENT_READ, materialIds, Outcome.OK.wire());
        Map<UUID, Long> ranges = store.countRangeReads(materialIds);
        Map<UUID, Long> reads = new HashMap<>();
        for (UUID id : materialIds) {
            reads.put(id, chained.getOrDefault(id, 0L) + ranges.getOrDefault(id, 0L));
        }
        return reads;
    }

    /**
     * The draft committed: by the group commit, unless the current transaction already holds the chain head
     * lock (it appended, or folded range reads, before) — then in that transaction, since the batch would
     * wait for that very lock. The caller's transaction is otherwise left alone: a read's event does not
     * wait for, or roll back with, the rest of the read.
     */
    private AppendedEvent committed(EventDraft d) {
        if (appender.holdsHeadLock()) {
            return appender.append(stored(d));
        }
        return batcher.appendAndWait(d);
    }

    private EventDraft draft(AuditEntry e) {
        Caller caller = e.caller != null ? e.caller : currentCaller();
        String requestId = null;
        String clientIp = null;
        String userAgent = null;
        if (Arc.container().requestContext().isActive()) {
            AuditContext context = Arc.container().instance(AuditContext.class).get();
            requestId = context.requestId();
            clientIp = context.clientIp();
            userAgent = context.userAgent();
        }
        return new EventDraft(Instant.now(clock), caller.subject(),
                String.join(",", new java.util.TreeSet<>(caller.roles())), caller.clientId().orElse(null), e.action,
                e.outcome.wire(), e.clientId, e.jobId, e.materialId, e.detail, e.bytes, requestId, clientIp, userAgent);
    }

    /**
     * The draft with its personal fields as stored (clear, or the client's pseudonyms). Inside the append's
     * try block, so that a failure to derive the pseudonym key refuses the action like a failed append:
     * an event must never fall back to clear values.
     */
    private EventDraft stored(EventDraft d) {
        return personalData.protect(d);
    }

    /**
     * The identity of the current request without ever starting an authentication: the one already
     * attached to the HTTP request, else (on a worker thread) the resolved {@link SecurityIdentity}.
     */
    private static Caller currentCaller() {
        if (!Arc.container().requestContext().isActive()) {
            return SYSTEM;
        }
        RoutingContext rc = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        if (rc != null && rc.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous()) {
            return Caller.of(user.getSecurityIdentity());
        }
        if (BlockingOperationControl.isBlockingAllowed()) {
            try {
                SecurityIdentity identity = Arc.container().instance(SecurityIdentity.class).get();
                if (!identity.isAnonymous()) {
                    return Caller.of(identity);
                }
            } catch (RuntimeException e) {
                // authentication failed: the refusal is recorded as anonymous
            }
        }
        return ANONYMOUS;
    }

    /** Whether the current HTTP request is a {@code HEAD}. */
    private static boolean isHead() {
        if (!Arc.container().requestContext().isActive()) {
            return false;
        }
        RoutingContext rc = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        return rc != null && HttpMethod.HEAD.equals(rc.request().method());
    }

    private static ProblemException unavailable(String action, RuntimeException cause) {
        Log.errorf("Audit: could not append %s, the action is refused (%s: %s)", action, cause.getClass().getSimpleName(),
                Causes.rootMessage(cause));
        return new ProblemException(503, "audit-unavailable", "Audit log unavailable",
                "The access could not be recorded in the audit log, so it was not performed. Retry later.");
    }

    private static String shortType(String type, int status) {
        if (type == null) {
            // a portal page, or an answer that is not problem+json
            return "http-" + status;
        }
        return type.startsWith(ProblemException.TYPE_BASE) ? type.substring(ProblemException.TYPE_BASE.length()) : type;
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The detail of the client's latest successful event of this action (e.g. the manifest digest of its
     * latest export), for features that state it again elsewhere.
     */
    @Transactional
    public Optional<String> latestDetail(String clientId, String action) {
        return store.latestDetail(clientId, action, Outcome.OK.wire());
    }
}
