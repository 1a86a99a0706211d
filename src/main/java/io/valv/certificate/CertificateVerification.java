package io.valv.certificate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.crypto.Digests;

/**
 * The public answer to "did Valv issue this certificate, and is this the document?" (issue 18). It needs the
 * certificate id and the SHA-256 of what the holder has: the signed JSON, or the CMS file ({@code .p7s}); the
 * PDF is rendered anew on each download, so its own digest is not stable and is not accepted. The answer is
 * yes (issue date and the client id, both printed on the certificate) or one and the same no for an unknown id,
 * a wrong digest or a malformed input, so that without the document nobody learns whether an id exists.
 */
@ApplicationScoped
class CertificateVerification {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final DeletionCertificateRepository certificates;
    private final AuditLog audit;

    CertificateVerification(DeletionCertificateRepository certificates, AuditLog audit) {
        this.certificates = certificates;
        this.audit = audit;
    }

    /** Issued when, for which client — only when both the id and the digest match. Audited either way. */
    @Transactional
    Optional<Verified> verify(String certificateId, String sha256) {
        Optional<DeletionCertificate> match = find(certificateId, sha256);
        if (match.isEmpty()) {
            // no client: an unmatched id is not known to belong to anyone
            audit.append(AuditEntry.of(Actions.CERTIFICATE_VERIFY).detail("no match"));
            return Optional.empty();
        }
        DeletionCertificate c = match.get();
        audit.append(AuditEntry.of(Actions.CERTIFICATE_VERIFY).client(c.clientId).detail("certificate " + c.id + " matched"));
        return Optional.of(new Verified(c.id, c.issuedAt, c.clientId));
    }

    private Optional<DeletionCertificate> find(String certificateId, String sha256) {
        if (certificateId == null || sha256 == null) {
            return Optional.empty();
        }
        String digest = sha256.strip().toLowerCase(Locale.ROOT);
        UUID id;
        try {
            id = UUID.fromString(certificateId.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!SHA256_HEX.matcher(digest).matches()) {
            return Optional.empty();
        }
        DeletionCertificate c = certificates.findById(id);
        if (c == null) {
            return Optional.empty();
        }
        byte[] given = HexFormat.of().parseHex(digest);
        boolean json = MessageDigest.isEqual(given, Digests.sha256().digest(c.document.getBytes(StandardCharsets.UTF_8)));
        boolean cms = MessageDigest.isEqual(given, Digests.sha256().digest(c.signedData));
        return json || cms ? Optional.of(c) : Optional.empty();
    }

    record Verified(UUID id, Instant issuedAt, String clientId) {
    }
}
