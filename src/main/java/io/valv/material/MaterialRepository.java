package io.valv.material;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class MaterialRepository implements PanacheRepositoryBase<Material, UUID> {

    /** Hibernate's "skip locked" lock timeout: replicas sweeping at once take disjoint rows. */
    private static final int SKIP_LOCKED = -2;

    List<Material> inJob(UUID jobId) {
        return list("jobId = ?1 and state not in ?2 order by uploadedAt", jobId,
                List.of(Material.State.UPLOADING, Material.State.FAILED));
    }

    /** Failed uploads, and uploads that started before {@code cutoff} and never finished (a crashed replica). */
    List<Material> abandonedUploads(Instant cutoff, int limit) {
        return find("state = ?1 or (state = ?2 and uploadedAt < ?3)", Material.State.FAILED, Material.State.UPLOADING,
                cutoff)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }
}
