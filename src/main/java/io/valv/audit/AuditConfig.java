package io.valv.audit;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.audit")
public interface AuditConfig {

    /**
     * Base64 of the 32-byte Ed25519 seed that signs checkpoints ({@code openssl rand -base64 32}). Required:
     * there is no default outside dev/test, so a missing key stops the start. Supply it from a secret (env
     * {@code VALV_AUDIT_CHECKPOINT_KEY}). Its public key is served at {@code GET /api/v1/audit/checkpoint-key}.
     */
    String checkpointKey();

    /** How often the chain heads are signed. A client's export is provable up to its latest checkpoint. */
    @WithDefault("5m")
    Duration checkpointEvery();

    /**
     * Base64 of a key (at least 16 bytes) for the staff pseudonyms shown to clients. When unset it is
     * derived from the checkpoint key; set it separately to rotate one without the other.
     */
    Optional<String> pseudonymKey();

    /** Show the processor's staff to clients by name instead of by pseudonym. */
    @WithDefault("false")
    boolean revealStaffToClients();

    /**
     * Longest wait for the chain head lock. When it passes, the append fails and so does the audited
     * action (503): a stuck writer must not hang every request.
     */
    @WithDefault("5s")
    Duration lockTimeout();
}
