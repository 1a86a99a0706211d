package io.valv.material;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.valv.client.Client;
import io.valv.job.Job;

@ApplicationScoped
class MaterialRepository implements PanacheRepositoryBase<Material, UUID> {

    /** Hibernate's "skip locked" lock timeout: replicas sweeping at once take disjoint rows. */
    private static final int SKIP_LOCKED = -2;

    List<Material> inJob(UUID jobId) {
        return list("jobId = ?1 and state not in ?2 order by uploadedAt", jobId,
                List.of(Material.State.UPLOADING, Material.State.FAILED));
    }

    /**
     * What a read of one material decides on, in one round trip: the material, its job, its client (for the
     * wrapped client key), its wrapped data key (absent once purged) and whether {@code subject} is assigned to
     * the job. The job's, assignment's and client's rows are read by entity name here, not through their
     * services, because a read pays every round trip in its latency: one query where the services would make
     * five. Empty when there is no such material.
     */
    Optional<ReadRow> readRow(UUID materialId, String subject) {
        List<Object[]> rows = getEntityManager().createQuery("select m, j, c, k.wrappedKey, (select count(a) from"
                + " JobAssignment a where a.key.jobId = m.jobId and a.key.staff = :subject) from Material m"
                + " join Job j on j.id = m.jobId join Client c on c.id = m.clientId"
                + " left join MaterialKey k on k.materialId = m.id where m.id = :id", Object[].class)
                .setParameter("id", materialId).setParameter("subject", subject == null ? "" : subject).getResultList();
        return rows.stream().findFirst().map(r -> new ReadRow((Material) r[0], (Job) r[1], (Client) r[2], (byte[]) r[3],
                ((Number) r[4]).longValue() > 0));
    }

    record ReadRow(Material material, Job job, Client client, byte[] wrappedDataKey, boolean subjectAssigned) {
    }

    /** Failed uploads, and uploads that started before {@code cutoff} and never finished (a crashed replica). */
    List<Material> abandonedUploads(Instant cutoff, int limit) {
        // a resumable upload has its own expiry (TusSweeper): its row is not abandoned while it may resume
        return find("from Material m where (m.state = ?1 or (m.state = ?2 and m.uploadedAt < ?3))"
                + " and not exists (select 1 from TusUpload t where t.materialId = m.id)", Material.State.FAILED,
                Material.State.UPLOADING, cutoff)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }

    /** Stored material matching {@code where} becomes purge-pending with a reason; returns how many. */
    int markForPurge(String where, String reason, Object scope) {
        return update("state = ?1, purgeReason = ?2 where state = ?3 and " + where + " = ?4",
                Material.State.PURGE_PENDING, reason, Material.State.STORED, scope);
    }

    /** One stored material becomes purge-pending; a no-op when it is no longer stored (marked or purged meanwhile). */
    int markErased(UUID id, String reason) {
        return update("state = ?1, purgeReason = ?2 where id = ?3 and state = ?4", Material.State.PURGE_PENDING, reason, id,
                Material.State.STORED);
    }

    int markExpired(Instant now) {
        return update("state = ?1, purgeReason = ?2 where state = ?3 and expiresAt <= ?4",
                Material.State.PURGE_PENDING, "retention-expired", Material.State.STORED, now);
    }

    /** Purge-pending rows for this replica alone: rows another replica holds are skipped, not waited for. */
    List<Material> claimPurgeBatch(int limit) {
        return find("state = ?1 order by expiresAt", Material.State.PURGE_PENDING)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }

    long countPending() {
        return count("state", Material.State.PURGE_PENDING);
    }

    /** Oldest promise broken: the earliest expiry among material still not purged. */
    Instant oldestOverdue(Instant now) {
        return find("state in ?1 and expiresAt <= ?2 order by expiresAt",
                List.of(Material.State.STORED, Material.State.PURGE_PENDING), now)
                .firstResultOptional().map(m -> m.expiresAt).orElse(null);
    }
}
