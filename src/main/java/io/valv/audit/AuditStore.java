package io.valv.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import io.valv.audit.proof.AuditChain;
import io.valv.audit.proof.ChainVerifier;
import io.valv.audit.proof.SummaryEvents;

/**
 * The audit tables apart from the chain's own writes ({@link ChainAppender}): refusals, coalesced range
 * reads, checkpoints, and every read of the log. There is deliberately no update or delete of an event or
 * checkpoint anywhere.
 */
@ApplicationScoped
class AuditStore {

    private final EntityManager em;
    private final ChainAppender appender;
    private final AuditConfig config;
    private final PersonalData personalData;

    AuditStore(EntityManager em, ChainAppender appender, AuditConfig config, PersonalData personalData) {
        this.em = em;
        this.appender = appender;
        this.config = config;
        this.personalData = personalData;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    AppendedEvent appendSeparately(EventDraft d) {
        return appender.append(d);
    }

    /**
     * A refusal, in its own transaction, filed where no caller can learn from it what it could not know
     * (docs/audit.md, "Refusals"):
     * <ul>
     * <li>a caller of a client: that client's own chain, whatever the request named, so that whether a
     * named id exists, and whose it is, changes nothing the caller can read, and no other client's log
     * names it;</li>
     * <li>the processor's own people (authenticated, no client; they read no client's log): the chain of
     * the client that owns the material, job or client named, so that the controller sees attempts on its
     * material; nothing when none exists;</li>
     * <li>no caller at all: no client's chain (the processor's stream, which only the auditor reads), so
     * that nobody can write into a client's log without a token.</li>
     * </ul>
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    AppendedEvent appendRefusal(EventDraft d, Optional<String> pathClient) {
        String client = existingClient(d.actorClient());
        if (d.actorClient() == null && d.actorSubject() != null) {
            if (d.materialId() != null) {
                client = single("select m.clientId from Material m where m.id = ?1", d.materialId());
            }
            if (client == null && d.jobId() != null) {
                client = single("select j.clientId from Job j where j.id = ?1", d.jobId());
            }
            if (client == null && pathClient.isPresent()) {
                client = single("select c.id from Client c where c.id = ?1", pathClient.get());
            }
        }
        // the client is known only now, so only now can the personal fields take its pseudonyms
        return appender.append(personalData.protect(d.withClient(client)));
    }

    /** A source's counted refusals as one event, in the caller's own chain or the processor's stream. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    AppendedEvent appendRefusalSummary(EventDraft d) {
        return appender.append(personalData.protect(d.withClient(existingClient(d.actorClient()))));
    }

    /**
     * The caller's client when it exists, else null: a token whose client claim names no client (a
     * misconfigured identity provider) must not start a chain for a client that does not exist.
     */
    private String existingClient(String claimed) {
        return claimed == null ? null : single("select c.id from Client c where c.id = ?1", claimed);
    }

    private String single(String jpql, Object id) {
        List<String> found = em.createQuery(jpql, String.class).setParameter(1, id).setMaxResults(1).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /** PostgreSQL only: bound the wait for the head locks to valv.audit.lock-timeout, for this transaction. */
    private String boundLockWait() {
        if (!appender.isPostgres()) {
            return null;
        }
        Object[] r = (Object[]) em
                .createNativeQuery("select current_setting('lock_timeout'), set_config('lock_timeout', ?1, true)")
                .setParameter(1, config.lockTimeout().toMillis() + "ms").getSingleResult();
        return (String) r[0];
    }

    private void restoreLockWait(String previous) {
        if (previous != null) {
            em.createNativeQuery("select set_config('lock_timeout', ?1, true)").setParameter(1, previous).getSingleResult();
        }
    }

    // ---- coalesced range reads (docs/audit.md, "Coalescing range reads") -------------------------

    /** The window a range read may join: the chained range read that opened it, and when. */
    record RangeWindow(UUID eventId, Instant start) {
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
    void recordRangeRead(EventDraft d, RangeWindow window, long first, long last) {
        RangeReadRow r = new RangeReadRow();
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
    List<RangeReadRow> pendingRangeReads(Instant windowStartBefore, String subject, UUID materialId, int limit) {
        StringBuilder q = new StringBuilder("from RangeReadRow r where not exists"
                + " (select f.readId from RangeFlushRow f where f.readId = r.id)");
        if (windowStartBefore != null) {
            q.append(" and r.windowStart < :before");
        }
        if (subject != null) {
            q.append(" and r.actorSubject = :subject and r.materialId = :material");
        }
        TypedQuery<RangeReadRow> query = em.createQuery(q.append(" order by r.windowEventId, r.occurredAt, r.id")
                .toString(), RangeReadRow.class);
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
    void markCounted(List<RangeReadRow> reads, UUID eventId) {
        for (RangeReadRow r : reads) {
            RangeFlushRow f = new RangeFlushRow();
            f.readId = r.id;
            f.eventId = eventId;
            em.persist(f);
        }
        em.flush();
    }

    /** Per summary event: the coalesced reads {@code audit_range_flush} says it counts that still exist. */
    @Transactional(Transactional.TxType.MANDATORY)
    Map<UUID, ChainVerifier.Counted> countedRangeReads(Collection<UUID> summaryIds) {
        if (summaryIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, ChainVerifier.Counted> counted = new HashMap<>();
        em.createQuery("select f.eventId, count(r.id), coalesce(sum(r.bytes), 0) from RangeFlushRow f"
                + " left join RangeReadRow r on r.id = f.readId where f.eventId in ?1 group by f.eventId", Object[].class)
                .setParameter(1, summaryIds).getResultStream()
                .forEach(row -> counted.put((UUID) row[0], new ChainVerifier.Counted(((Number) row[1]).longValue(),
                        ((Number) row[2]).longValue())));
        return counted;
    }

    /** Range reads recorded per material, for those of {@code materialIds} that have any. */
    @Transactional(Transactional.TxType.MANDATORY)
    Map<UUID, Long> countRangeReads(Collection<UUID> materialIds) {
        Map<UUID, Long> counts = new HashMap<>();
        em.createQuery("select r.materialId, count(r) from RangeReadRow r where r.materialId in ?1 group by r.materialId",
                Object[].class).setParameter(1, materialIds).getResultStream()
                .forEach(row -> counts.put((UUID) row[0], ((Number) row[1]).longValue()));
        return counts;
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
    List<CheckpointRow> checkpointsUpTo(long maxSeq) {
        return em.createQuery("from CheckpointRow where seq <= ?1 order by seq", CheckpointRow.class)
                .setParameter(1, maxSeq).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    long lastCheckpointSeq() {
        Long max = em.createQuery("select max(c.seq) from CheckpointRow c where c.clientId is null", Long.class)
                .getSingleResult();
        return max == null ? 0 : max;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<CheckpointRow> checkpointsBeyond(long seq) {
        return em.createQuery("from CheckpointRow where seq > ?1", CheckpointRow.class).setParameter(1, seq)
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
    void insert(CheckpointRow checkpoint) {
        em.persist(checkpoint);
    }

    // ---- Merkle tree heads (docs/audit.md, "Tree heads and inclusion proofs") -----------------------

    @Transactional(Transactional.TxType.MANDATORY)
    void insert(TreeHeadRow treeHead) {
        em.persist(treeHead);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<TreeHeadRow> latestTreeHead() {
        return em.createQuery("from TreeHeadRow order by treeSize desc", TreeHeadRow.class).setMaxResults(1)
                .getResultStream().findFirst();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<TreeHeadRow> treeHeads() {
        return em.createQuery("from TreeHeadRow order by treeSize", TreeHeadRow.class).getResultList();
    }

    /** The chain hashes of the events after {@code afterSeq} up to {@code maxSeq}, in seq order: tree leaves. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<String> eventHashes(long afterSeq, long maxSeq, int limit) {
        return em.createQuery("select e.hash from AuditEvent e where e.seq > ?1 and e.seq <= ?2 order by e.seq",
                String.class).setParameter(1, afterSeq).setParameter(2, maxSeq).setMaxResults(limit).getResultList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<AuditEvent> eventAt(long seq) {
        return em.createQuery("from AuditEvent where seq = ?1", AuditEvent.class).setParameter(1, seq).getResultStream()
                .findFirst();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<AuditEvent> event(UUID id) {
        return Optional.ofNullable(em.find(AuditEvent.class, id));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<CheckpointRow> latestCheckpoint(String clientId) {
        TypedQuery<CheckpointRow> q = clientId == null
                ? em.createQuery("from CheckpointRow where clientId is null order by seq desc", CheckpointRow.class)
                : em.createQuery("from CheckpointRow where clientId = ?1 order by clientSeq desc", CheckpointRow.class)
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
    List<AuditEvent> accessesBetween(Instant from, Instant to, Collection<String> onlyClients, int limit) {
        if (onlyClients != null && onlyClients.isEmpty()) {
            return List.of();
        }
        var query = em.createQuery("from AuditEvent where occurredAt >= ?1 and occurredAt < ?2 and clientId is not null"
                + (onlyClients == null ? "" : " and clientId in ?3")
                + " and (materialId is not null or outcome = 'denied') order by seq", AuditEvent.class)
                .setParameter(1, from).setParameter(2, to).setMaxResults(limit);
        if (onlyClients != null) {
            query.setParameter(3, onlyClients);
        }
        return query.getResultList();
    }

    /** Events of {@code action} with {@code outcome} per material, for those of {@code materialIds} that have any. */
    @Transactional(Transactional.TxType.MANDATORY)
    Map<UUID, Long> countEvents(String action, Collection<UUID> materialIds, String outcome) {
        Map<UUID, Long> counts = new HashMap<>();
        em.createQuery("select e.materialId, count(e) from AuditEvent e where e.action = ?1 and e.materialId in ?2"
                + " and e.outcome = ?3 group by e.materialId", Object[].class).setParameter(1, action)
                .setParameter(2, materialIds).setParameter(3, outcome).getResultStream()
                .forEach(row -> counts.put((UUID) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    /**
     * Refused requests in a window that no client's chain holds (no caller, or the processor's people
     * naming nothing that exists): each {@code access.denied} is one, each {@code access.denied.repeated}
     * the count in its detail.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    long refusalsWithoutClient(Instant from, Instant to) {
        return em.createQuery("select e.action, e.detail from AuditEvent e where e.occurredAt >= ?1 and e.occurredAt < ?2"
                + " and e.clientId is null and e.outcome = ?3", Object[].class).setParameter(1, from).setParameter(2, to)
                .setParameter(3, Outcome.DENIED.wire()).getResultStream()
                .mapToLong(r -> Actions.ACCESS_DENIED_REPEATED.equals(r[0]) ? SummaryEvents.countOf((String) r[1]) : 1).sum();
    }

    // ---- a read model of other features' rows, for the incident report and the client check -------------
    // The report names what an event's ids point at; these read-only projections are all the audit feature
    // reads of the material, DPA and client tables, and it never writes them.

    /** What the incident report shows of a material an event names. */
    record MaterialFacts(UUID id, UUID jobId, UUID dpaId, Boolean personalData, String filename, String clientId) {
    }

    /** What the incident report shows of the DPA a material was stored under. */
    record DpaFacts(UUID id, String reference, String dataCategories, Boolean specialCategoriesAllowed,
            String clientId) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<MaterialFacts> materialFacts(Collection<UUID> ids) {
        return ids.isEmpty() ? List.of()
                : em.createQuery("select m.id, m.jobId, m.dpaId, m.personalData, m.filename, m.clientId from Material m"
                        + " where m.id in ?1", Object[].class).setParameter(1, ids).getResultStream()
                        .map(r -> new MaterialFacts((UUID) r[0], (UUID) r[1], (UUID) r[2], (Boolean) r[3], (String) r[4],
                                (String) r[5]))
                        .toList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<DpaFacts> dpaFacts(Collection<UUID> ids) {
        return ids.isEmpty() ? List.of()
                : em.createQuery("select d.id, d.reference, d.dataCategories, d.specialCategoriesAllowed, d.clientId"
                        + " from Dpa d where d.id in ?1", Object[].class).setParameter(1, ids).getResultStream()
                        .map(r -> new DpaFacts((UUID) r[0], (String) r[1], (String) r[2], (Boolean) r[3], (String) r[4]))
                        .toList();
    }

    /** Client id to display name, for the clients named (an unknown id is absent). */
    @Transactional(Transactional.TxType.MANDATORY)
    Map<String, String> clientNames(Collection<String> ids) {
        Map<String, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            em.createQuery("select c.id, c.name from Client c where c.id in ?1", Object[].class).setParameter(1, ids)
                    .getResultStream().forEach(r -> names.put((String) r[0], (String) r[1]));
        }
        return names;
    }

    /** Query filters of the list endpoint; null fields do not filter. */
    record Filter(String clientId, UUID materialId, UUID jobId, Instant from, Instant to,
            Collection<String> actors, String action, String outcome) {

        String where() {
            StringBuilder w = new StringBuilder();
            int i = 0;
            for (String clause : new String[] { clientId != null ? "e.clientId = :client" : null,
                    materialId != null ? "e.materialId = :material" : null, jobId != null ? "e.jobId = :job" : null,
                    from != null ? "e.occurredAt >= :from" : null, to != null ? "e.occurredAt < :to" : null,
                    actors != null ? "e.actorSubject in :actors" : null, action != null ? "e.action = :action" : null,
                    outcome != null ? "e.outcome = :outcome" : null }) {
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
            if (action != null) {
                q.setParameter("action", action);
            }
            if (outcome != null) {
                q.setParameter("outcome", outcome);
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<String> latestDetail(String clientId, String action, String outcome) {
        return em.createQuery("select e.detail from AuditEvent e where e.clientId = ?1 and e.action = ?2"
                + " and e.outcome = ?3 order by e.seq desc", String.class).setParameter(1, clientId)
                .setParameter(2, action).setParameter(3, outcome).setMaxResults(1).getResultStream().findFirst();
    }
}
