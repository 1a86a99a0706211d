package io.valv.job;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class JobRepository implements PanacheRepositoryBase<Job, UUID> {

    List<Job> forClient(String clientId) {
        return list("clientId = ?1 order by createdAt desc", clientId);
    }

    List<Job> assignedTo(String staff) {
        return list("id in (select a.key.jobId from JobAssignment a where a.key.staff = ?1) order by createdAt desc", staff);
    }

    List<Job> all() {
        return list("order by createdAt desc");
    }
}
