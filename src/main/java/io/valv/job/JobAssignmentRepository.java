package io.valv.job;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class JobAssignmentRepository implements PanacheRepositoryBase<JobAssignment, JobAssignment.Key> {

    boolean isAssigned(UUID jobId, String staff) {
        return count("key.jobId = ?1 and key.staff = ?2", jobId, staff) > 0;
    }

    List<String> staffOf(UUID jobId) {
        return find("key.jobId = ?1 order by key.staff", jobId).stream().map(a -> a.key.staff()).toList();
    }
}
