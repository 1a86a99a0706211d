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

    /**
     * How events that belong to a client store the personal fields (actor subject, client address, user
     * agent): {@code clear}, or {@code per-client-pseudonyms}, HMAC-SHA256 pseudonyms under a key derived
     * from the client key, so that offboarding, which destroys the client key, shreds them (docs/audit.md,
     * "Personal data in events"). Applies to events written from then on; stored events never change.
     */
    @WithDefault("clear")
    PersonalDataMode personalData();

    enum PersonalDataMode {
        CLEAR,
        PER_CLIENT_PSEUDONYMS
    }

    /** Show the processor's staff to clients by name instead of by pseudonym. */
    @WithDefault("false")
    boolean revealStaffToClients();

    /**
     * Longest wait for the chain head lock. When it passes, the append fails and so does the audited
     * action (503): a stuck writer must not hang every request.
     */
    @WithDefault("5s")
    Duration lockTimeout();

    /**
     * Range reads of one material by one person within this window after the first are coalesced: the
     * first is an ordinary chained event, each later one is recorded durably (before it is served) in
     * {@code audit_range_read} and counted into one chained summary event when the window has passed.
     * A media player seeking through a recording thus adds two events, not hundreds. {@code 0} turns it
     * off (every range read its own chained event). Whole reads are never coalesced.
     */
    @WithDefault("60s")
    Duration rangeCoalesceWindow();

    /**
     * How often closed windows are folded into their summary events. Bounds how long a coalesced read is
     * on the chain only through its window's opening event.
     */
    @WithDefault("15s")
    Duration rangeFlushEvery();

    /**
     * Longest wait of a read for its event to be committed by the batch writer ({@link AuditBatcher}). When
     * it passes, the read is refused (503) and nothing is served: fail-closed as for a direct append.
     */
    @WithDefault("5s")
    Duration batchWait();

    /** Most events one batch commits together. */
    @WithDefault("256")
    int batchMax();

    /**
     * The window over which refused requests are counted per source (subject and client address) and per
     * client address (docs/audit.md, "Refusals"). Fixed windows, in this replica's memory.
     */
    @WithDefault("60s")
    Duration refusalWindow();

    /**
     * Refusals of one source per window that are chained events of their own; later ones are counted and
     * chained as one {@code access.denied.repeated} event when the window has passed. Bounds what a flood
     * adds to the log.
     */
    @WithDefault("5")
    int refusalChainedPerWindow();

    /**
     * Refusals of one client address per window after which its requests to {@code /api} and
     * {@code /portal} are answered 429 until the window ends, in this replica.
     */
    @WithDefault("300")
    int refusalLimit();
}
