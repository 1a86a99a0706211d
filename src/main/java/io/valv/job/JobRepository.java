package io.valv.job;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class JobRepository implements PanacheRepositoryBase<Job, UUID> {

    List<Job> forClient(String clientId) {
        return list("clientId = ?1 order by createdAt desc", clientId);
    }

    List<Job> assignedTo(String staff) {
        return list("id in (select a.key.jobId from JobAssignment a where a.key.staff = ?1) order by createdAt desc", staff);
    }

    /** The job row locked against closing operations until this transaction ends (lifecycle rule 1). */
    Job lockedForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The job row, shared-locked: closing operations wait until this transaction ends. */
    Job lockedShared(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_READ);
    }

    List<Job> all() {
        return list("order by createdAt desc");
    }
}
