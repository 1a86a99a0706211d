package io.valv.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.valv.web.Causes;

/**
 * Whether the identity provider answers its OpenID discovery document (within 2 s), asked at most once every
 * 5 s whatever the number of callers: the health check and every sign-in share the answer, so a crowd of
 * browsers during an outage does not become a crowd of probes.
 */
@ApplicationScoped
public class IdentityProviderProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    /** What the last probe found: {@code status} of the discovery document, or {@code error} when none came. */
    public record Answer(boolean up, int status, String error) {
    }

    private final Optional<String> issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Asked last;

    private record Asked(long atNanos, CompletableFuture<Answer> answer) {
    }

    IdentityProviderProbe(@ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer) {
        this.issuer = issuer;
    }

    /** The provider's answer, probed now or reused from a probe less than 5 s old (or still running). */
    public CompletionStage<Answer> answer() {
        Asked asked = last;
        long now = System.nanoTime();
        if (asked == null || now - asked.atNanos() > FRESH_FOR.toNanos()) {
            asked = new Asked(now, probe());
            last = asked;
        }
        return asked.answer();
    }

    private CompletableFuture<Answer> probe() {
        if (issuer.isEmpty()) {
            return CompletableFuture.completedFuture(new Answer(false, 0, "no issuer configured"));
        }
        URI discovery = URI.create(issuer.get().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        return http.sendAsync(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> new Answer(response.statusCode() == 200, response.statusCode(), null))
                .exceptionally(e -> new Answer(false, 0, Causes.root(e).getClass().getSimpleName()));
    }
}
