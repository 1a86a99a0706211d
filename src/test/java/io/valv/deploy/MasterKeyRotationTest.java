package io.valv.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.TemplateCommand;

import io.valv.crypto.CryptoConfig;
import io.valv.crypto.CryptoException;
import io.valv.crypto.EnvelopeCrypto;
import io.valv.crypto.EnvelopeCrypto.DataKey;

/**
 * The master-key rotation of docs/operations.md, step by step, with the configuration each step's chart
 * values give a pod: every pod of a rolling restart — old or new — can read everything, and retiring the
 * old version after re-wrapping makes copies of old wrapped keys (database backups) undecryptable.
 */
class MasterKeyRotationTest {

    private static final String CLIENT = "acme";
    private final Map<String, String> secret = Map.of("v1", randomKey(), "v2", randomKey());

    @Test
    void rotateWithoutDowntimeThenRetireTheOldVersion() {
        // Step 0: one master key.
        EnvelopeCrypto before = crypto(chart(1, 1));
        byte[] clientKey = before.newWrappedClientKey(CLIENT);
        UUID material = UUID.randomUUID();
        DataKey dataKey = before.newDataKey(CLIENT, clientKey, material);
        assertEquals(1, EnvelopeCrypto.masterKeyVersionOf(clientKey));

        // Step 1: add v2 to the secret and the values, make it active, roll the pods.
        EnvelopeCrypto during = crypto(chart(2, 1, 2));
        assertArrayEquals(dataKey.plaintext(), during.unwrapDataKey(CLIENT, clientKey, material, dataKey.wrapped()),
                "a new pod reads what an old pod wrote");
        byte[] newClient = during.newWrappedClientKey("globex");
        assertEquals(2, EnvelopeCrypto.masterKeyVersionOf(newClient), "new client keys are wrapped under v2");
        DataKey newData = during.newDataKey("globex", newClient, material);
        assertThrows(CryptoException.class, () -> before.unwrapDataKey("globex", newClient, material, newData.wrapped()),
                "an old pod (v1 only) cannot read v2 — so add v2 everywhere before making it active");

        // Step 2: re-wrap every client key under v2 (EnvelopeCrypto.rewrapClientKey; the admin job is planned).
        byte[] rewrapped = during.rewrapClientKey(CLIENT, clientKey);
        assertEquals(2, EnvelopeCrypto.masterKeyVersionOf(rewrapped));

        // Step 3: drop v1 from the values, roll the pods, then destroy the v1 secret and every copy of it.
        EnvelopeCrypto after = crypto(chart(2, 2));
        assertArrayEquals(dataKey.plaintext(), after.unwrapDataKey(CLIENT, rewrapped, material, dataKey.wrapped()),
                "material uploaded before the rotation is still readable");
        assertThrows(CryptoException.class, () -> after.unwrapDataKey(CLIENT, clientKey, material, dataKey.wrapped()),
                "a database backup taken before the re-wrap holds the v1-wrapped client key: dead without v1");
    }

    @Test
    void activeVersionMustBeConfigured() {
        assertThrows(IllegalStateException.class, () -> RenderedChart.render(chart(2, 1)));
    }

    /** Chart values with the given active version and master key versions (secret "valv-master-key", key vN). */
    private static TemplateCommand chart(int active, int... versions) {
        TemplateCommand command = RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                .set("crypto.activeVersion", active);
        for (int i = 0; i < versions.length; i++) {
            command.set("crypto.masterKeys[" + i + "].version", versions[i])
                    .set("crypto.masterKeys[" + i + "].existingSecret", "valv-master-key")
                    .set("crypto.masterKeys[" + i + "].key", "v" + versions[i]);
        }
        return command;
    }

    private EnvelopeCrypto crypto(TemplateCommand chart) {
        Map<String, String> env = PodEnvironment.of(RenderedChart.render(chart),
                (name, key) -> "valv-master-key".equals(name) ? secret.get(key) : "unused");
        return new EnvelopeCrypto(PodEnvironment.config(env).getConfigMapping(CryptoConfig.class));
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
