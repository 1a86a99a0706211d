package io.valv.certificate;

import java.util.List;

/**
 * Fired once inside a purge batch's transaction for all the material certificates it issued, in order, so that
 * whoever announces them reads what they share (a client's endpoints and settings) once per batch.
 */
public record CertificatesIssued(List<CertificateIssued> certificates) {
}
