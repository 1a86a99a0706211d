package io.valv.certificate;

import java.util.UUID;

/** Fired inside the transaction that issues a material's deletion certificate (the purge's last step). */
public record CertificateIssued(UUID certificateId, String clientId, UUID materialId, UUID jobId, String reason) {
}
