package io.valv.dpa;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class SubProcessorChangeRepository implements PanacheRepositoryBase<SubProcessorChange, UUID> {

    List<SubProcessorChange> newestFirst() {
        return list("order by announcedAt desc");
    }
}
