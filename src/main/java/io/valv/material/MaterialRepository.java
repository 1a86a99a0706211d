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
        return list("jobId = ?1 and state <> ?2 order by uploadedAt", jobId, Material.State.UPLOADING);
    }

    /** Uploads that started before {@code cutoff} and never finished (a crashed or stuck replica). */
    List<Material> staleUploads(Instant cutoff, int limit) {
        return find("state = ?1 and uploadedAt < ?2", Material.State.UPLOADING, cutoff)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }
}
