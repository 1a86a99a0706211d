package io.valv.audit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * The only code that touches the audit tables. It inserts events and checkpoints and reads them; there
 * is deliberately no update or delete of an event or checkpoint anywhere (only the head rows move).
 *
 * <p>
 * An append locks the one {@code audit_head} row ({@code SELECT ... FOR UPDATE}), then the client's head
 * row, always in that order, so appends are serialized across threads and replicas and the chain cannot
 * fork; the locks are held until the caller's transaction ends, which is why an append belongs at the end
 * of a short transaction.
 */
@ApplicationScoped
class AuditStore {

    /** Key of the transaction-scoped marker "this transaction holds the chain head lock". */
    private static final String HEAD_LOCKED = AuditStore.class.getName() + ".headLocked";

    private final EntityManager em;
    private final TransactionSynchronizationRegistry txRegistry;
    private final AuditConfig config;
    private final PersonalData personalData;
    private final SecureRandom random = new SecureRandom();
    private volatile Boolean postgres;

    AuditStore(EntityManager em, TransactionSynchronizationRegistry txRegistry, AuditConfig config,
            PersonalData personalData) {
        this.em = em;
        this.txRegistry = txRegistry;
        this.config = config;
        this.personalData = personalData;
    }

    /** Everything about an event except its place in the chain. */
    record Draft(Instant occurredAt, String actorSubject, String actorRoles, String actorClient, String action,
            String outcome, String clientId, UUID jobId, UUID materialId, String detail, Long bytes, String requestId,
            String clientIp, String userAgent) {

        Draft withClient(String client) {
            return new Draft(occurredAt, actorSubject, actorRoles, actorClient, action, outcome, client, jobId,
                    materialId, detail, bytes, requestId, clientIp, userAgent);
        }

        Draft withPersonal(String subject, String ip, String agent) {
            return new Draft(occurredAt, subject, actorRoles, actorClient, action, outcome, clientId, jobId,
                    materialId, detail, bytes, requestId, ip, agent);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    AppendedEvent append(Draft d) {
        return appendAll(List.of(d)).get(0);
    }

    /**
     * Appends the drafts in list order in the caller's transaction: the head lock is taken once, then the
     * head rows of the clients involved (always after the head, so two appenders cannot deadlock), and each
     * head row is written once at the end. This is what makes a batch of reads one commit instead of one
     * each ({@link AuditBatcher}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AppendedEvent> appendAll(List<Draft> drafts) {
        String previousTimeout = boundLockWait();
        Object[] head = (Object[]) em.createNativeQuery("select seq, hash from audit_head where id = 1 for update")
                .getSingleResult();
        markHeadLocked();
        long seq = ((Number) head[0]).longValue();
        String prevHash = (String) head[1];

        // client id -> {client_seq, hash} of its chain as it moves through the batch; new: no row yet
        Map<String, Object[]> clientHeads = new LinkedHashMap<>();
        Set<String> newClients = new HashSet<>();
        for (Draft d : drafts) {
            if (d.clientId() != null && !clientHeads.containsKey(d.clientId())) {
                @SuppressWarnings("unchecked")
                List<Object[]> clientHead = em
                        .createNativeQuery("select client_seq, hash from audit_client_head where client_id = ?1 for update")
                        .setParameter(1, d.clientId()).getResultList();
                if (clientHead.isEmpty()) {
                    newClients.add(d.clientId());
                    clientHeads.put(d.clientId(), new Object[] { 0L, AuditChain.GENESIS });
                } else {
                    clientHeads.put(d.clientId(), new Object[] { ((Number) clientHead.get(0)[0]).longValue(),
                            clientHead.get(0)[1] });
                }
            }
        }
        restoreLockWait(previousTimeout);

        List<AppendedEvent> appended = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            seq++;
            Long clientSeq = null;
            String clientPrevHash = null;
            Object[] clientHead = d.clientId() == null ? null : clientHeads.get(d.clientId());
            if (clientHead != null) {
                clientSeq = (Long) clientHead[0] + 1;
                clientPrevHash = (String) clientHead[1];
            }
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            AuditEvent e = new AuditEvent();
            e.id = UUID.randomUUID();
            e.seq = seq;
            e.clientSeq = clientSeq;
            e.clientPrevHash = clientPrevHash;
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
            e.prevHash = prevHash;
            byte[] encoding = AuditChain.encode(e.fields());
            e.hash = AuditChain.link(prevHash, encoding);
            em.persist(e);
            prevHash = e.hash;
            if (clientHead != null) {
                clientHead[0] = clientSeq;
                clientHead[1] = AuditChain.link(clientPrevHash, encoding);
            }
            appended.add(new AppendedEvent(e.id, seq, e.hash, clientSeq));
        }
        em.createNativeQuery("update audit_head set seq = ?1, hash = ?2 where id = 1").setParameter(1, seq)
                .setParameter(2, prevHash).executeUpdate();
        for (Map.Entry<String, Object[]> c : clientHeads.entrySet()) {
            em.createNativeQuery(newClients.contains(c.getKey())
                    ? "insert into audit_client_head (client_seq, hash, client_id) values (?1, ?2, ?3)"
                    : "update audit_client_head set client_seq = ?1, hash = ?2 where client_id = ?3")
                    .setParameter(1, c.getValue()[0]).setParameter(2, c.getValue()[1]).setParameter(3, c.getKey())
                    .executeUpdate();
        }
        // the INSERTs reach the database now, inside the caller's transaction, before it goes on
        em.flush();
        return appended;
    }

    /**
     * Whether the current transaction holds the chain head lock (it appended, or a flush locked the head).
     * Such a transaction must append its further events itself: handing them to the batcher would make the
     * batcher wait for a lock that this transaction releases only after the batcher has answered.
     */
    boolean holdsHeadLock() {
        return txRegistry.getTransactionKey() != null && txRegistry.getResource(HEAD_LOCKED) != null;
    }

    private void markHeadLocked() {
        txRegistry.putResource(HEAD_LOCKED, Boolean.TRUE);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    AppendedEvent appendSeparately(Draft d) {
        return append(d);
    }

    /**
     * A refusal, in its own transaction. Its client is the owner of the material or job named in the path
     * when that exists, else the named client when it exists, else the caller's own.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    AppendedEvent appendRefusal(Draft d, Optional<String> pathClient) {
        String owner = null;
        if (d.materialId() != null) {
            owner = single("select m.clientId from Material m where m.id = ?1", d.materialId());
        }
        if (owner == null && d.jobId() != null) {
            owner = single("select j.clientId from Job j where j.id = ?1", d.jobId());
        }
        if (owner == null && pathClient.isPresent()) {
            owner = single("select c.id from Client c where c.id = ?1", pathClient.get());
        }
        // the client is known only now, so only now can the personal fields take its pseudonyms
        return append(personalData.protect(d.withClient(owner != null ? owner : d.actorClient())));
    }

    private String single(String jpql, Object id) {
        List<String> found = em.createQuery(jpql, String.class).setParameter(1, id).setMaxResults(1).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /** PostgreSQL only: bound the wait for the head locks to valv.audit.lock-timeout, for this transaction. */
    private String boundLockWait() {
        if (!isPostgres()) {
            return null;
        }
        Object[] r = (Object[]) em.createNativeQuery("select current_setting('lock_timeout'), set_config('lock_timeout', ?1, true)")
                .setParameter(1, config.lockTimeout().toMillis() + "ms").getSingleResult();
        return (String) r[0];
    }

    private void restoreLockWait(String previous) {
        if (previous != null) {
            em.createNativeQuery("select set_config('lock_timeout', ?1, true)").setParameter(1, previous).getSingleResult();
        }
    }

    private boolean isPostgres() {
        Boolean pg = postgres;
        if (pg == null) {
            pg = em.getEntityManagerFactory().unwrap(SessionFactoryImplementor.class).getJdbcServices()
                    .getDialect() instanceof PostgreSQLDialect;
            postgres = pg;
        }
        return pg;
    }

    // ---- coalesced range reads (docs/audit.md, "Coalescing range reads") -------------------------

    /** The window a range read may join: the chained range read that opened it, and when. */
    record RangeWindow(UUID eventId, Instant start) {
    }

    /**
     * Takes the chain head lock without appending yet, so that what is read next (pending range reads) is
     * decided under the lock that every appender and every other flusher also takes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void lockHead() {
        String previousTimeout = boundLockWait();
        em.createNativeQuery("select seq from audit_head where id = 1 for update").getSingleResult();
        markHeadLocked();
        restoreLockWait(previousTimeout);
    }

    /** The latest chained range read of this person on this material after {@code openedAfter}, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<RangeWindow> openRangeWindow(String subject, UUID materialId, Instant openedAfter) {
        return em.createQuery("select e.id, e.occurredAt from AuditEvent e where e.materialId = ?1 and e.actorSubject = ?2"
                + " and e.action = ?3 and e.outcome = ?4 and e.detail like 'bytes %' and e.occurredAt > ?5"
                + " order by e.seq desc", Object[].class).setParameter(1, materialId).setParameter(2, subject)
                .setParameter(3, Actions.MATERIAL_CONTENT_READ).setParameter(4, Outcome.OK.wire())
                .setParameter(5, openedAfter).setMaxResults(1).getResultStream()
                .map(r -> new RangeWindow((UUID) r[0], (Instant) r[1])).findFirst();
    }

    /** Records a coalesced range read and flushes the INSERT now: it is durable before a byte is served. */
    @Transactional(Transactional.TxType.MANDATORY)
    void recordRangeRead(Draft d, RangeWindow window, long first, long last) {
        AuditRangeRead r = new AuditRangeRead();
        r.id = UUID.randomUUID();
        r.windowEventId = window.eventId();
        r.windowStart = window.start();
        r.occurredAt = AuditChain.truncate(d.occurredAt());
        r.actorSubject = d.actorSubject();
        r.actorRoles = d.actorRoles();
        r.actorClient = d.actorClient();
        r.clientId = d.clientId();
        r.jobId = d.jobId();
        r.materialId = d.materialId();
        r.firstByte = first;
        r.lastByte = last;
        r.bytes = last - first + 1;
        r.requestId = d.requestId();
        r.clientIp = d.clientIp();
        r.userAgent = d.userAgent();
        em.persist(r);
        em.flush();
    }

    /**
     * Range reads not yet counted by a summary event, of windows opened before {@code windowStartBefore}
     * (null: any), optionally of one person and material; in window order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AuditRangeRead> pendingRangeReads(Instant windowStartBefore, String subject, UUID materialId, int limit) {
        StringBuilder q = new StringBuilder("from AuditRangeRead r where not exists"
                + " (select f.readId from AuditRangeFlush f where f.readId = r.id)");
        if (windowStartBefore != null) {
            q.append(" and r.windowStart < :before");
        }
        if (subject != null) {
            q.append(" and r.actorSubject = :subject and r.materialId = :material");
        }
        TypedQuery<AuditRangeRead> query = em.createQuery(q.append(" order by r.windowEventId, r.occurredAt, r.id")
                .toString(), AuditRangeRead.class);
        if (windowStartBefore != null) {
            query.setParameter("before", windowStartBefore);
        }
        if (subject != null) {
            query.setParameter("subject", subject).setParameter("material", materialId);
        }
        return query.setMaxResults(limit).getResultList();
    }

    /** Marks reads as counted by the summary event {@code eventId}; in the summary's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    void markCounted(List<AuditRangeRead> reads, UUID eventId) {
        for (AuditRangeRead r : reads) {
            AuditRangeFlush f = new AuditRangeFlush();
            f.readId = r.id;
            f.eventId = eventId;
            em.persist(f);
        }
        em.flush();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    long countRangeReads(UUID materialId) {
        return em.createQuery("select count(r) from AuditRangeRead r where r.materialId = ?1", Long.class)
                .setParameter(1, materialId).getSingleResult();
    }

    // ---- reads ----------------------------------------------------------------------------------

    record Head(long seq, String hash) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Head head() {
        Object[] head = (Object[]) em.createNativeQuery("select seq, hash from audit_head where id = 1").getSingleResult();
        return new Head(((Number) head[0]).longValue(), (String) head[1]);
    }

    /** A batch of events in seq order, detached so that a long walk stays in constant memory. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AuditEvent> batchAfter(long afterSeq, long maxSeq, int limit) {
        em.clear();
        return em.createQuery("from AuditEvent where seq > ?1 and seq <= ?2 order by seq", AuditEvent.class)
                .setParameter(1, afterSeq).setParameter(2, maxSeq).setMaxResults(limit).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<AuditCheckpoint> checkpointsUpTo(long maxSeq) {
        return em.createQuery("from AuditCheckpoint where seq <= ?1 order by seq", AuditCheckpoint.class)
                .setParameter(1, maxSeq).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    long lastCheckpointSeq() {
        Long max = em.createQuery("select max(c.seq) from AuditCheckpoint c where c.clientId is null", Long.class)
                .getSingleResult();
        return max == null ? 0 : max;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<AuditCheckpoint> checkpointsBeyond(long seq) {
        return em.createQuery("from AuditCheckpoint where seq > ?1", AuditCheckpoint.class).setParameter(1, seq)
                .getResultList();
    }

    /** Client heads that moved since their latest checkpoint. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<Object[]> clientHeadsToSign() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select h.client_id, h.client_seq, h.hash from audit_client_head h"
                + " where h.client_seq > coalesce((select max(c.client_seq) from audit_checkpoint c"
                + " where c.client_id = h.client_id), 0) order by h.client_id").getResultList();
        return rows;
    }

    /** Serializes checkpoint writers across replicas (not appends: that is the head lock's job). */
    @Transactional(Transactional.TxType.MANDATORY)
    void lockCheckpointing() {
        String previous = boundLockWait();
        em.createNativeQuery("select id from audit_checkpoint_lock where id = 1 for update").getSingleResult();
        restoreLockWait(previous);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void insert(AuditCheckpoint checkpoint) {
        em.persist(checkpoint);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<AuditCheckpoint> latestCheckpoint(String clientId) {
        TypedQuery<AuditCheckpoint> q = clientId == null
                ? em.createQuery("from AuditCheckpoint where clientId is null order by seq desc", AuditCheckpoint.class)
                : em.createQuery("from AuditCheckpoint where clientId = ?1 order by clientSeq desc", AuditCheckpoint.class)
                        .setParameter(1, clientId);
        return q.setMaxResults(1).getResultStream().findFirst();
    }

    /** Filtered page, newest first. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AuditEvent> page(Filter f, int page, int size) {
        TypedQuery<AuditEvent> q = em.createQuery("from AuditEvent e" + f.where() + " order by e.seq desc", AuditEvent.class);
        f.bind(q);
        return q.setFirstResult(page * size).setMaxResults(size).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    long count(Filter f) {
        TypedQuery<Long> q = em.createQuery("select count(e) from AuditEvent e" + f.where(), Long.class);
        f.bind(q);
        return q.getSingleResult();
    }

    /** A client's stream in client_seq order, from {@code fromClientSeq}. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AuditEvent> clientStream(String clientId, long fromClientSeq, int limit) {
        return em.createQuery("from AuditEvent where clientId = ?1 and clientSeq >= ?2 order by clientSeq", AuditEvent.class)
                .setParameter(1, clientId).setParameter(2, fromClientSeq).setMaxResults(limit).getResultList();
    }

    /** Events in a time window that touched material or were refused, for the incident report. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<AuditEvent> accessesBetween(Instant from, Instant to, int limit) {
        return em.createQuery("from AuditEvent where occurredAt >= ?1 and occurredAt < ?2 and clientId is not null"
                + " and (materialId is not null or outcome = 'denied') order by seq", AuditEvent.class)
                .setParameter(1, from).setParameter(2, to).setMaxResults(limit).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    long countEvents(String action, UUID materialId, String outcome) {
        return em.createQuery("select count(e) from AuditEvent e where e.action = ?1 and e.materialId = ?2"
                + " and e.outcome = ?3", Long.class).setParameter(1, action).setParameter(2, materialId)
                .setParameter(3, outcome).getSingleResult();
    }

    /** Facts about materials named in events: id → (jobId, dpaId, personalData, filename). Read-only. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<Object[]> materialFacts(java.util.Collection<UUID> ids) {
        return ids.isEmpty() ? List.of()
                : em.createQuery("select m.id, m.jobId, m.dpaId, m.personalData, m.filename from Material m"
                        + " where m.id in ?1",
                        Object[].class).setParameter(1, ids).getResultList();
    }

    /** id, reference, data categories, special categories allowed, client of the DPAs named. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<Object[]> dpaFacts(java.util.Collection<UUID> ids) {
        return ids.isEmpty() ? List.of()
                : em.createQuery("select d.id, d.reference, d.dataCategories, d.specialCategoriesAllowed, d.clientId"
                        + " from Dpa d where d.id in ?1", Object[].class).setParameter(1, ids).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<Object[]> clientNames(java.util.Collection<String> ids) {
        return ids.isEmpty() ? List.of()
                : em.createQuery("select c.id, c.name from Client c where c.id in ?1", Object[].class)
                        .setParameter(1, ids).getResultList();
    }

    /** Query filters of the list endpoint; null fields do not filter. */
    record Filter(String clientId, UUID materialId, UUID jobId, Instant from, Instant to,
            java.util.Collection<String> actors) {

        String where() {
            StringBuilder w = new StringBuilder();
            int i = 0;
            for (String clause : new String[] { clientId != null ? "e.clientId = :client" : null,
                    materialId != null ? "e.materialId = :material" : null, jobId != null ? "e.jobId = :job" : null,
                    from != null ? "e.occurredAt >= :from" : null, to != null ? "e.occurredAt < :to" : null,
                    actors != null ? "e.actorSubject in :actors" : null }) {
                if (clause != null) {
                    w.append(i++ == 0 ? " where " : " and ").append(clause);
                }
            }
            return w.toString();
        }

        void bind(TypedQuery<?> q) {
            if (clientId != null) {
                q.setParameter("client", clientId);
            }
            if (materialId != null) {
                q.setParameter("material", materialId);
            }
            if (jobId != null) {
                q.setParameter("job", jobId);
            }
            if (from != null) {
                q.setParameter("from", from);
            }
            if (to != null) {
                q.setParameter("to", to);
            }
            if (actors != null) {
                q.setParameter("actors", actors);
            }
        }
    }
}
