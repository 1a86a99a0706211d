package io.valv.audit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.hibernate.Session;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import io.valv.audit.proof.AuditChain;

/**
 * Appends events to the chain (docs/audit.md, "Chain"). The only code that inserts events or moves the heads.
 *
 * <p>
 * An append locks the one {@code audit_head} row ({@code SELECT ... FOR UPDATE}), then the head rows of the
 * clients involved, always in that order and clients sorted, so appends are serialized across threads and
 * replicas, the chain cannot fork and two appenders cannot deadlock. The locks are held until the caller's
 * transaction ends, which is why an append belongs at the end of a short transaction.
 *
 * <p>
 * Plain JDBC on the transaction's connection rather than entities, because every append is on the path of
 * a request and holds the lock every other append waits for: the events of a call go to the database as
 * one batched INSERT, and the heads a transaction has locked are remembered for the rest of it (they
 * cannot move under its lock), so further appends in that transaction (a purge batch, a group commit after
 * {@link #lockHead}) take no lock and read no head again.
 */
@ApplicationScoped
class ChainAppender {

    /** Transaction resource: the {@link LockedHeads} of the transaction that holds the head lock. */
    private static final String LOCKED_HEADS = ChainAppender.class.getName() + ".lockedHeads";

    private static final String INSERT_EVENTS = "insert into audit_event (id, seq, client_seq, client_prev_hash,"
            + " occurred_at, actor_subject, actor_roles, actor_client, action, outcome, client_id, job_id, material_id,"
            + " detail, bytes, request_id, client_ip, user_agent, personal_salt, prev_hash, hash) values ";
    private static final int COLUMNS = 21;
    /** Events per INSERT statement: a statement may carry at most 32,767 parameters on PostgreSQL. */
    private static final int INSERT_ROWS = 500;

    private final EntityManager em;
    private final TransactionSynchronizationRegistry txRegistry;
    private final AuditConfig config;
    private final SecureRandom random = new SecureRandom();
    private volatile Boolean postgres;

    ChainAppender(EntityManager em, TransactionSynchronizationRegistry txRegistry, AuditConfig config) {
        this.em = em;
        this.txRegistry = txRegistry;
        this.config = config;
    }

    /** The chain heads as they stand in the transaction that holds their locks, its own appends included. */
    private static final class LockedHeads {
        long seq;
        String hash;
        /** client id → its head; {@code stored == false}: the client has no head row yet */
        final Map<String, ClientHead> clients = new HashMap<>();
        /** The transaction's own lock timeout, to be put back with the next write (PostgreSQL); null once done. */
        String lockTimeoutToRestore;
    }

    private static final class ClientHead {
        long seq;
        String hash;
        boolean stored;

        ClientHead(long seq, String hash, boolean stored) {
            this.seq = seq;
            this.hash = hash;
            this.stored = stored;
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    AppendedEvent append(EventDraft d) {
        return appendAll(List.of(d), UnaryOperator.identity()).get(0);
    }

    /**
     * Appends the drafts in list order in the caller's transaction, each passed through {@code protect} once
     * the head lock is held (so that pseudonyms are made with what an offboarding, which appends under the
     * same lock, has committed: never with a key it has just destroyed). The head rows are written once per
     * call, the events in one batch.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AppendedEvent> appendAll(List<EventDraft> drafts, UnaryOperator<EventDraft> protect) {
        // the caller's pending changes go first, so that the head lock is not held while they are written
        em.flush();
        return em.unwrap(Session.class).doReturningWork(c -> {
            // round trip 1: the locks (protect does not change an event's client)
            LockedHeads heads = lock(c, drafts.stream().map(EventDraft::clientId).filter(Objects::nonNull).toList());
            List<EventDraft> stored = drafts.stream().map(protect).toList();
            // round trip 2: the events and the heads
            return write(c, heads, stored);
        });
    }

    /**
     * Takes the chain head lock without appending yet, so that what is read next (pending range reads, the
     * pseudonym keys of a batch) is decided under the lock that every appender also takes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void lockHead() {
        em.flush();
        em.unwrap(Session.class).doWork(c -> lock(c, List.of()));
    }

    /**
     * Whether the current transaction holds the chain head lock (it appended, or locked the head). Such a
     * transaction must append its further events itself: handing them to the batcher would make the batcher
     * wait for a lock that this transaction releases only after the batcher has answered.
     */
    boolean holdsHeadLock() {
        return txRegistry.getTransactionKey() != null && txRegistry.getResource(LOCKED_HEADS) != null;
    }

    /**
     * Locks the chain head unless this transaction holds it already, then the heads of the given clients it
     * does not hold yet (sorted), in one round trip, and returns the heads as this transaction sees them.
     */
    @SuppressWarnings("unchecked")
    private LockedHeads lock(Connection c, List<String> clients) throws SQLException {
        LockedHeads held = (LockedHeads) txRegistry.getResource(LOCKED_HEADS);
        LockedHeads heads = held != null ? held : new LockedHeads();
        List<String> missing = clients.stream().filter(id -> !heads.clients.containsKey(id)).distinct().sorted().toList();
        RoundTrip locks = new RoundTrip();
        if (held == null) {
            if (isPostgres()) {
                // bound the wait to valv.audit.lock-timeout (set in the subquery, so before the row is locked),
                // after noting the transaction's own setting, which the next write puts back: the rest of the
                // caller's transaction keeps its own lock waits
                locks.add("select current_setting('lock_timeout')", List.of());
                locks.add("select h.seq, h.hash from (select set_config('lock_timeout', ?, true) as bound) b,"
                        + " audit_head h where h.id = 1 for update of h", List.of(config.lockTimeout().toMillis() + "ms"));
            } else {
                locks.add("select seq, hash from audit_head where id = 1 for update", List.of());
            }
        }
        if (!missing.isEmpty()) {
            locks.add("select client_id, client_seq, hash from audit_client_head where client_id in ("
                    + String.join(", ", Collections.nCopies(missing.size(), "?")) + ") order by client_id for update",
                    missing);
        }
        if (locks.isEmpty()) {
            return heads;
        }
        List<Object> results = locks.run(c, isPostgres());
        int next = 0;
        if (held == null) {
            if (isPostgres()) {
                heads.lockTimeoutToRestore = (String) ((List<Object[]>) results.get(next++)).get(0)[0];
            }
            Object[] head = ((List<Object[]>) results.get(next++)).get(0);
            heads.seq = ((Number) head[0]).longValue();
            heads.hash = (String) head[1];
            txRegistry.putResource(LOCKED_HEADS, heads);
        }
        if (!missing.isEmpty()) {
            for (Object[] row : (List<Object[]>) results.get(next)) {
                heads.clients.put((String) row[0], new ClientHead(((Number) row[1]).longValue(), (String) row[2], true));
            }
            for (String id : missing) {
                heads.clients.putIfAbsent(id, new ClientHead(0, AuditChain.GENESIS, false));
            }
        }
        return heads;
    }

    /** Inserts the drafts as the next events of the chain and moves the heads, in one round trip. */
    private List<AppendedEvent> write(Connection c, LockedHeads heads, List<EventDraft> drafts)
            throws SQLException {
        RoundTrip writes = new RoundTrip();
        List<AppendedEvent> appended = new ArrayList<>(drafts.size());
        Set<String> movedClients = new LinkedHashSet<>();
        List<Object> rows = new ArrayList<>();
        for (EventDraft d : drafts) {
            AuditEvent e = link(heads, d);
            rows.addAll(columns(e));
            if (rows.size() == INSERT_ROWS * COLUMNS) {
                writes.add(insertEvents(INSERT_ROWS), rows);
                rows = new ArrayList<>();
            }
            if (e.clientId != null) {
                movedClients.add(e.clientId);
            }
            appended.add(new AppendedEvent(e.id, e.seq, e.hash, e.clientSeq));
        }
        if (!rows.isEmpty()) {
            writes.add(insertEvents(rows.size() / COLUMNS), rows);
        }
        writes.add("update audit_head set seq = ?, hash = ? where id = 1", List.of(heads.seq, heads.hash));
        for (String id : movedClients) {
            ClientHead h = heads.clients.get(id);
            writes.add(h.stored ? "update audit_client_head set client_seq = ?, hash = ? where client_id = ?"
                    : "insert into audit_client_head (client_seq, hash, client_id) values (?, ?, ?)",
                    List.of(h.seq, h.hash, id));
        }
        if (heads.lockTimeoutToRestore != null) {
            // the locks are held: waiting for the client heads locked later in this transaction is impossible
            // (they are only ever locked under the head lock), so the bound is no longer needed
            writes.add("select set_config('lock_timeout', ?, true)", List.of(heads.lockTimeoutToRestore));
        }
        writes.run(c, isPostgres());
        heads.lockTimeoutToRestore = null;
        movedClients.forEach(id -> heads.clients.get(id).stored = true);
        return appended;
    }

    private static String insertEvents(int rows) {
        String row = "(" + String.join(", ", Collections.nCopies(COLUMNS, "?")) + ")";
        return INSERT_EVENTS + String.join(", ", Collections.nCopies(rows, row));
    }

    /** The next event of the chain for the draft; moves the heads past it. */
    private AuditEvent link(LockedHeads heads, EventDraft d) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        ClientHead clientHead = d.clientId() == null ? null : heads.clients.get(d.clientId());
        AuditEvent e = new AuditEvent();
        e.id = UUID.randomUUID();
        e.seq = heads.seq + 1;
        e.clientSeq = clientHead == null ? null : clientHead.seq + 1;
        e.clientPrevHash = clientHead == null ? null : clientHead.hash;
        e.occurredAt = AuditChain.truncate(d.occurredAt());
        e.actorSubject = d.actorSubject();
        e.actorRoles = d.actorRoles();
        e.actorClient = d.actorClient();
        e.action = d.action();
        e.outcome = d.outcome();
        e.clientId = d.clientId();
        e.jobId = d.jobId();
        e.materialId = d.materialId();
        e.detail = d.detail();
        e.bytes = d.bytes();
        e.requestId = d.requestId();
        e.clientIp = d.clientIp();
        e.userAgent = d.userAgent();
        e.personalSalt = HexFormat.of().formatHex(salt);
        e.prevHash = heads.hash;
        byte[] encoding = AuditChain.encode(e.fields());
        e.hash = AuditChain.link(heads.hash, encoding);
        heads.seq = e.seq;
        heads.hash = e.hash;
        if (clientHead != null) {
            clientHead.seq = e.clientSeq;
            clientHead.hash = AuditChain.link(e.clientPrevHash, encoding);
        }
        return e;
    }

    /** The columns of {@link #INSERT_EVENTS}, in order. */
    private static List<Object> columns(AuditEvent e) {
        return Arrays.asList(e.id, e.seq, e.clientSeq, e.clientPrevHash, OffsetDateTime.ofInstant(e.occurredAt, ZoneOffset.UTC),
                e.actorSubject, e.actorRoles, e.actorClient, e.action, e.outcome, e.clientId, e.jobId, e.materialId, e.detail,
                e.bytes, e.requestId, e.clientIp, e.userAgent, e.personalSalt, e.prevHash, e.hash);
    }

    boolean isPostgres() {
        Boolean pg = postgres;
        if (pg == null) {
            pg = em.getEntityManagerFactory().unwrap(SessionFactoryImplementor.class).getJdbcServices()
                    .getDialect() instanceof PostgreSQLDialect;
            postgres = pg;
        }
        return pg;
    }
}
