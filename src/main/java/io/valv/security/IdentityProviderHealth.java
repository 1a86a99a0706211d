package io.valv.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.Wellness;

/**
 * Whether the identity provider answers its OpenID discovery document (at most 2 s). A wellness check, not a
 * readiness one, like the object store's: the provider is shared by every replica, and bearer tokens are verified
 * with the signing keys Valv already holds, so a provider restart must not take the replicas out of service
 * (docs/operations.md, "Health checks").
 */
@Wellness
@ApplicationScoped
class IdentityProviderHealth implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Optional<String> issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    IdentityProviderHealth(@ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer) {
        this.issuer = issuer;
    }

    @Override
    public HealthCheckResponse call() {
        if (issuer.isEmpty()) {
            return HealthCheckResponse.named("identity-provider").down().withData("error", "no issuer configured")
                    .build();
        }
        try {
            URI discovery = URI.create(issuer.get().replaceAll("/+$", "") + "/.well-known/openid-configuration");
            int status = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return HealthCheckResponse.named("identity-provider").status(status == 200).withData("status", status)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named("identity-provider").down().withData("error", "interrupted").build();
        } catch (Exception e) {
            return HealthCheckResponse.named("identity-provider").down().withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
