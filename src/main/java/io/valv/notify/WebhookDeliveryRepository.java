package io.valv.notify;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
class WebhookDeliveryRepository implements PanacheRepositoryBase<WebhookDelivery, UUID> {

    List<WebhookDelivery> ofEndpoint(UUID key) {
        return list("endpointId", Sort.by("createdAt").and("id"), key);
    }
}
