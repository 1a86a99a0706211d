package io.valv.dpa;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class SubProcessorRepository implements PanacheRepositoryBase<SubProcessor, UUID> {

    Optional<SubProcessor> byName(String name) {
        return find("name", name).firstResultOptional();
    }

    List<SubProcessor> permittedBy(UUID dpaId) {
        return list("id in (select p.key.subProcessorId from DpaSubProcessor p where p.key.dpaId = ?1) order by name",
                dpaId);
    }
}
