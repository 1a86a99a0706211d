package io.valv.dpa;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class SubProcessorObjectionRepository implements PanacheRepositoryBase<SubProcessorObjection, UUID> {

    Optional<SubProcessorObjection> of(String clientId, UUID changeId) {
        return find("clientId = ?1 and changeId = ?2", clientId, changeId).firstResultOptional();
    }

    List<SubProcessorObjection> toChange(UUID changeId) {
        return list("changeId = ?1 order by objectedAt", changeId);
    }

    List<SubProcessorObjection> all() {
        return list("order by objectedAt");
    }

    List<SubProcessorObjection> ofClient(String clientId) {
        return list("clientId = ?1 order by objectedAt", clientId);
    }
}
