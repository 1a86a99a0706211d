package io.valv.client;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class ClientRepository implements PanacheRepositoryBase<Client, String> {

    /** Hibernate's "skip locked" lock timeout: replicas executing due offboardings take disjoint rows. */
    private static final int SKIP_LOCKED = -2;

    /** The client row locked against uploads becoming stored until this transaction ends. */
    Client lockedForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The client row, shared-locked: an offboarding waits until this transaction ends. */
    Client lockedShared(String id) {
        return findById(id, LockModeType.PESSIMISTIC_READ);
    }

    /** Offboardings whose waiting period is over, for this replica alone. */
    List<Client> dueOffboardings(Instant now, int limit) {
        return find("status = ?1 and offboardScheduledFor <= ?2 order by offboardScheduledFor", Client.Status.ACTIVE, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }
}
