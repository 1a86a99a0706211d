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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.audit.LogCoverage;
import io.valv.crypto.Digests;

/**
 * The public answer to "did Valv issue this certificate, and is this the document?" (issue 18). It needs the
 * certificate id and the SHA-256 of what the holder has: the signed JSON, or the CMS file ({@code .p7s}); the
 * PDF is rendered anew on each download, so its own digest is not stable and is not accepted. The answer is
 * yes (issue date and the client id, both printed on the certificate, and whether the purge event it names is
 * covered by a signed tree head of the audit log yet) or one and the same no for an unknown id,
 * a wrong digest or a malformed input, so that without the document nobody learns whether an id exists.
 */
@ApplicationScoped
class CertificateVerification {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeletionCertificateRepository certificates;
    private final AuditLog audit;
    private final LogCoverage coverage;

    CertificateVerification(DeletionCertificateRepository certificates, AuditLog audit, LogCoverage coverage) {
        this.certificates = certificates;
        this.audit = audit;
        this.coverage = coverage;
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
        Long purgeSeq = purgeSeq(c.document);
        return Optional.of(new Verified(c.id, c.issuedAt, c.clientId, purgeSeq,
                purgeSeq == null ? null : coverage.of(purgeSeq).orElse(null)));
    }

    /** The audit log position of the purge event a material certificate names (job and client ones name none). */
    private static Long purgeSeq(String document) {
        try {
            JsonNode seq = MAPPER.readTree(document).path("auditEvent").path("seq");
            return seq.canConvertToLong() ? seq.asLong() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
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

    /** {@code covered} is the signed tree head that covers the purge event ({@code purgeSeq}), null while none does. */
    record Verified(UUID id, Instant issuedAt, String clientId, Long purgeSeq, LogCoverage.Covered covered) {
    }
}
