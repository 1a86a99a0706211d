package io.valv.storage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.Wellness;

/**
 * Whether the object store answers: a HEAD of a key that never exists, one round trip per probe. A wellness check
 * ({@code /q/health/well}, and in {@code /q/health}), not a readiness one: every replica shares the store, so an
 * outage would take them all out of the load balancer, and callers would get the proxy's bare error instead of
 * Valv's own {@code 503 storage-unavailable} with {@code Retry-After} (docs/operations.md, "Health checks").
 */
@Wellness
@ApplicationScoped
class ObjectStoreHealth implements HealthCheck {

    /** Outside Valv's own key space ({@code m/...}): no object is ever stored under it. */
    static final String PROBE_KEY = "health/probe";

    private final BlobStore blobs;

    ObjectStoreHealth(BlobStore blobs) {
        this.blobs = blobs;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            blobs.exists(PROBE_KEY);
            return HealthCheckResponse.named("object-store").up().build();
        } catch (Exception e) {
            // the exception's class only: a message could name the endpoint's credentials or bucket
            return HealthCheckResponse.named("object-store").down().withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
