package io.valv.audit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    private static final String INSERT_EVENT = "insert into audit_event (id, seq, client_seq, client_prev_hash,"
            + " occurred_at, actor_subject, actor_roles, actor_client, action, outcome, client_id, job_id, material_id,"
            + " detail, bytes, request_id, client_ip, user_agent, personal_salt, prev_hash, hash)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
    AppendedEvent append(AuditStore.Draft d) {
        return appendAll(List.of(d), UnaryOperator.identity()).get(0);
    }

    /**
     * Appends the drafts in list order in the caller's transaction, each passed through {@code protect} once
     * the head lock is held (so that pseudonyms are made with what an offboarding, which appends under the
     * same lock, has committed: never with a key it has just destroyed). The head rows are written once per
     * call, the events in one batch.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AppendedEvent> appendAll(List<AuditStore.Draft> drafts, UnaryOperator<AuditStore.Draft> protect) {
        // the caller's pending changes go first, so that the head lock is not held while they are written
        em.flush();
        return em.unwrap(Session.class).doReturningWork(c -> {
            LockedHeads heads = lockHeads(c);
            List<AuditStore.Draft> stored = new ArrayList<>(drafts.size());
            Set<String> clients = new LinkedHashSet<>();
            for (AuditStore.Draft d : drafts) {
                AuditStore.Draft p = protect.apply(d);
                stored.add(p);
                if (p.clientId() != null) {
                    clients.add(p.clientId());
                }
            }
            lockClientHeads(c, heads, clients);
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
        em.unwrap(Session.class).doWork(this::lockHeads);
    }

    /**
     * Whether the current transaction holds the chain head lock (it appended, or locked the head). Such a
     * transaction must append its further events itself: handing them to the batcher would make the batcher
     * wait for a lock that this transaction releases only after the batcher has answered.
     */
    boolean holdsHeadLock() {
        return txRegistry.getTransactionKey() != null && txRegistry.getResource(LOCKED_HEADS) != null;
    }

    private LockedHeads lockHeads(Connection c) throws SQLException {
        LockedHeads heads = (LockedHeads) txRegistry.getResource(LOCKED_HEADS);
        if (heads != null) {
            return heads;
        }
        heads = new LockedHeads();
        if (isPostgres()) {
            // One round trip: bound the wait to valv.audit.lock-timeout (set in the subquery, so before the
            // row is locked) and lock. The bound stays for the rest of the transaction, which from here on
            // waits for no lock that matters: the client heads are only ever locked under this one.
            try (PreparedStatement s = c.prepareStatement("select h.seq, h.hash from (select set_config('lock_timeout',"
                    + " ?, true) as bound) b, audit_head h where h.id = 1 for update of h")) {
                s.setString(1, config.lockTimeout().toMillis() + "ms");
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    heads.seq = r.getLong(1);
                    heads.hash = r.getString(2);
                }
            }
        } else {
            try (PreparedStatement s = c.prepareStatement("select seq, hash from audit_head where id = 1 for update");
                    ResultSet r = s.executeQuery()) {
                r.next();
                heads.seq = r.getLong(1);
                heads.hash = r.getString(2);
            }
        }
        txRegistry.putResource(LOCKED_HEADS, heads);
        return heads;
    }

    /** Locks the head rows of the clients not locked yet in this transaction, in client id order. */
    private void lockClientHeads(Connection c, LockedHeads heads, Set<String> clients) throws SQLException {
        List<String> missing = clients.stream().filter(id -> !heads.clients.containsKey(id)).sorted().toList();
        if (!missing.isEmpty()) {
            String placeholders = String.join(", ", Collections.nCopies(missing.size(), "?"));
            try (PreparedStatement s = c.prepareStatement("select client_id, client_seq, hash from audit_client_head"
                    + " where client_id in (" + placeholders + ") order by client_id for update")) {
                for (int i = 0; i < missing.size(); i++) {
                    s.setString(i + 1, missing.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        heads.clients.put(r.getString(1), new ClientHead(r.getLong(2), r.getString(3), true));
                    }
                }
            }
            for (String id : missing) {
                heads.clients.putIfAbsent(id, new ClientHead(0, AuditChain.GENESIS, false));
            }
        }
    }

    private List<AppendedEvent> write(Connection c, LockedHeads heads, List<AuditStore.Draft> drafts)
            throws SQLException {
        List<AppendedEvent> appended = new ArrayList<>(drafts.size());
        Set<String> movedClients = new LinkedHashSet<>();
        try (PreparedStatement insert = c.prepareStatement(INSERT_EVENT)) {
            for (AuditStore.Draft d : drafts) {
                AuditEvent e = link(heads, d);
                bind(insert, e);
                insert.addBatch();
                if (e.clientId != null) {
                    movedClients.add(e.clientId);
                }
                appended.add(new AppendedEvent(e.id, e.seq, e.hash, e.clientSeq));
            }
            insert.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("update audit_head set seq = ?, hash = ? where id = 1")) {
            s.setLong(1, heads.seq);
            s.setString(2, heads.hash);
            s.executeUpdate();
        }
        for (String id : movedClients) {
            ClientHead h = heads.clients.get(id);
            try (PreparedStatement s = c.prepareStatement(h.stored
                    ? "update audit_client_head set client_seq = ?, hash = ? where client_id = ?"
                    : "insert into audit_client_head (client_seq, hash, client_id) values (?, ?, ?)")) {
                s.setLong(1, h.seq);
                s.setString(2, h.hash);
                s.setString(3, id);
                s.executeUpdate();
            }
            h.stored = true;
        }
        return appended;
    }

    /** The next event of the chain for the draft; moves the heads past it. */
    private AuditEvent link(LockedHeads heads, AuditStore.Draft d) {
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

    private static void bind(PreparedStatement s, AuditEvent e) throws SQLException {
        s.setObject(1, e.id);
        s.setLong(2, e.seq);
        setLong(s, 3, e.clientSeq);
        setString(s, 4, e.clientPrevHash);
        s.setObject(5, OffsetDateTime.ofInstant(e.occurredAt, ZoneOffset.UTC));
        setString(s, 6, e.actorSubject);
        s.setString(7, e.actorRoles);
        setString(s, 8, e.actorClient);
        s.setString(9, e.action);
        s.setString(10, e.outcome);
        setString(s, 11, e.clientId);
        setUuid(s, 12, e.jobId);
        setUuid(s, 13, e.materialId);
        setString(s, 14, e.detail);
        setLong(s, 15, e.bytes);
        setString(s, 16, e.requestId);
        setString(s, 17, e.clientIp);
        setString(s, 18, e.userAgent);
        s.setString(19, e.personalSalt);
        s.setString(20, e.prevHash);
        s.setString(21, e.hash);
    }

    private static void setString(PreparedStatement s, int i, String v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.VARCHAR);
        } else {
            s.setString(i, v);
        }
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v);
        }
    }

    private static void setUuid(PreparedStatement s, int i, UUID v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.OTHER);
        } else {
            s.setObject(i, v);
        }
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
