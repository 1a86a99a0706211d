package io.valv.audit;

import java.util.Arrays;
import java.util.Base64;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.valv.audit.proof.CheckpointSigner;
import io.valv.audit.proof.Pseudonyms;

/**
 * The audit keys, checked at start: a missing or malformed checkpoint key stops the service rather than
 * letting it run with unsigned checkpoints.
 */
@Startup
@Singleton
class AuditKeys {

    private final CheckpointSigner signer;
    private final Pseudonyms pseudonyms;

    AuditKeys(AuditConfig config) {
        this.signer = CheckpointSigner.fromBase64Seed(config.checkpointKey());
        byte[] pseudonymKey;
        if (config.pseudonymKey().isPresent()) {
            try {
                pseudonymKey = Base64.getDecoder().decode(config.pseudonymKey().get().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("valv.audit.pseudonym-key is not base64");
            }
        } else {
            byte[] seed = Base64.getDecoder().decode(config.checkpointKey().trim());
            pseudonymKey = Pseudonyms.derive(seed);
            Arrays.fill(seed, (byte) 0);
        }
        this.pseudonyms = new Pseudonyms(pseudonymKey);
        Arrays.fill(pseudonymKey, (byte) 0);
    }

    CheckpointSigner signer() {
        return signer;
    }

    Pseudonyms pseudonyms() {
        return pseudonyms;
    }
}
