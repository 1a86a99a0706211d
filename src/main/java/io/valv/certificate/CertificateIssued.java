package io.valv.certificate;

import java.util.UUID;

/**
 * Fired inside the transaction that issues a deletion certificate: a material's (the purge's last step; then
 * {@code materialId} and {@code reason} are set) or a job's or client's summary ({@code scope} {@code job} or
 * {@code client}; {@code jobId} set for a job's).
 */
public record CertificateIssued(UUID certificateId, String clientId, String scope, UUID materialId, UUID jobId,
        String reason) {

    public boolean ofMaterial() {
        return materialId != null;
    }
}
