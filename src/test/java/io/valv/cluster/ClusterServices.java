package io.valv.cluster;

import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;

/**
 * The real services every cluster IT shares: Keycloak 26.5.6 with the shipped realm (real tokens) and
 * S3Proxy behind its cuttable link. Started once per test JVM by the first IT that needs them, stopped when
 * the whole test plan ends (JUnit closes the root store). Each IT still gets its own database and bucket.
 */
final class ClusterServices implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(Running.class,
                k -> Running.start(), Running.class);
    }

    private static volatile Running running;

    static Running get() {
        if (running == null) {
            throw new IllegalStateException("annotate the IT with @ExtendWith(ClusterServices.class)");
        }
        return running;
    }

    /** Keycloak's settings for Valv, and the endpoint Valv reaches S3Proxy through (cuttable). */
    record Running(Map<String, String> oidc, String s3Endpoint, KeycloakResource keycloak, S3ProxyResource s3)
            implements
                AutoCloseable {

        static Running start() {
            S3ProxyResource s3 = new S3ProxyResource();
            String endpoint = s3.start().get("valv.storage.s3.endpoint");
            KeycloakResource keycloak = new KeycloakResource();
            try {
                return new Running(keycloak.start(), endpoint, keycloak, s3);
            } catch (RuntimeException e) {
                s3.stop();
                throw e;
            }
        }

        @Override
        public void close() {
            ValvProcess.killAll();
            try {
                keycloak.stop();
            } finally {
                s3.stop();
            }
        }
    }
}
