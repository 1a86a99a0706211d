package io.valv.notify;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, UUID> {

    List<WebhookEndpoint> ofClient(String key) {
        return list("clientId", Sort.by("createdAt").and("id"), key);
    }
}
