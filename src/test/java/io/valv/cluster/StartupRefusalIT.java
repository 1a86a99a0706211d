package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged service in the production profile refuses to start — rather than run and fail later — when a
 * key it cannot work without is missing: the master key (nothing could be encrypted), the audit checkpoint
 * key (unsigned checkpoints) or the certificate signing key (every purge would fail, since a purge commits
 * with its certificate). The log names the missing setting and never prints a key.
 */
@ExtendWith(ClusterServices.class)
class StartupRefusalIT {

    private Cluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "VALV_CRYPTO_MASTER_KEYS_1", "VALV_AUDIT_CHECKPOINT_KEY", "VALV_CERTIFICATES_SIGNING_KEY_STORE" })
    void refusesToStartWithoutTheKey(String missing) {
        cluster = Cluster.create("refusal");
        // an empty value is "not set" for Quarkus configuration, the same as leaving the variable out
        ValvProcess valv = cluster.replica("refusal", Map.of(missing, "")).start();
        int exit = valv.awaitExit(Duration.ofMinutes(3));
        String log = valv.logTail(200);
        assertNotEquals(-1, exit, "still running without " + missing + ":\n" + log);
        assertNotEquals(0, exit, "a refused start exits with an error");
        String property = missing.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        String named = property.startsWith("valv.crypto.master.keys") ? "master-key"
                : property.startsWith("valv.audit.checkpoint") ? "valv.audit.checkpoint-key"
                        : "valv.certificates.signing-key-store";
        assertTrue(log.contains(named), "the log names what is missing (" + named + "):\n" + log);
        assertFalse(log.contains("BEGIN PRIVATE KEY") || log.contains(cluster.masterKey()), "no key in the log");
    }
}
