package io.valv.security;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;

/**
 * Whether the identity provider answers its OpenID discovery document ({@link IdentityProviderProbe}). A wellness
 * check, not a readiness one, like the object store's: the provider is shared by every replica, and bearer tokens
 * are verified with the signing keys Valv already holds, so a provider restart must not take the replicas out of
 * service (docs/operations.md, "Health checks").
 */
@Wellness
@ApplicationScoped
class IdentityProviderHealth implements HealthCheck {

    private final IdentityProviderProbe probe;

    IdentityProviderHealth(IdentityProviderProbe probe) {
        this.probe = probe;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder check = HealthCheckResponse.named("identity-provider");
        try {
            IdentityProviderProbe.Answer answer = probe.answer().toCompletableFuture()
                    .get(IdentityProviderProbe.TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            check.status(answer.up());
            return answer.error() == null ? check.withData("status", answer.status()).build()
                    : check.withData("error", answer.error()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return check.down().withData("error", "interrupted").build();
        } catch (ExecutionException | TimeoutException e) {
            return check.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
