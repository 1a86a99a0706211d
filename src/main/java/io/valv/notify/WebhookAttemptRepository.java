package io.valv.notify;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
class WebhookAttemptRepository implements PanacheRepositoryBase<WebhookAttempt, UUID> {

    List<WebhookAttempt> ofDelivery(UUID key) {
        return list("deliveryId", Sort.by("attemptedAt").and("id"), key);
    }
}
