package io.valv.dpa;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class DpaRepository implements PanacheRepositoryBase<Dpa, UUID> {

    List<Dpa> forClient(String clientId) {
        return list("clientId = ?1 order by createdAt", clientId);
    }

    /** Hibernate's "skip locked" lock timeout: replicas executing due terminations take disjoint rows. */
    private static final int SKIP_LOCKED = -2;

    Dpa lockedForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The DPA row, shared-locked: a termination waits until this transaction ends. */
    Dpa lockedShared(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_READ);
    }

    /** Terminations whose waiting period is over, for this replica alone. */
    List<Dpa> dueTerminations(Instant now, int limit) {
        return find("status = ?1 and terminationScheduledFor <= ?2 order by terminationScheduledFor", Dpa.Status.ACTIVE, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }

    List<Dpa> activeForClient(String clientId) {
        return list("clientId = ?1 and status = ?2 order by effectiveFrom desc", clientId, Dpa.Status.ACTIVE);
    }
}
