package io.valv.dpa;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class DpaRepository implements PanacheRepositoryBase<Dpa, UUID> {

    List<Dpa> forClient(String clientId) {
        return list("clientId = ?1 order by createdAt", clientId);
    }

    List<Dpa> activeForClient(String clientId) {
        return list("clientId = ?1 and status = ?2 order by effectiveFrom desc", clientId, Dpa.Status.ACTIVE);
    }
}
