package io.valv.material;

import java.time.Instant;
import java.util.UUID;

/** Fired inside the transaction that marks an upload {@code stored}; no content, no keys. */
public record MaterialStored(UUID materialId, String clientId, UUID jobId, String filename, long size, String sha256,
        Instant expiresAt) {
}
