package io.valv.incident;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class IncidentRepository implements PanacheRepositoryBase<Incident, UUID> {

    List<Incident> newestFirst() {
        return list("order by notifiedAt desc, id");
    }

    List<Incident> ofClientNewestFirst(String clientId) {
        return list("?1 member of clients order by notifiedAt desc, id", clientId);
    }
}
