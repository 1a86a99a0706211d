package io.valv.certificate;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.Startup;
import io.valv.audit.AppendedEvent;
import io.valv.client.Client;
import io.valv.client.ClientService;
import io.valv.dpa.Dpa;
import io.valv.dpa.DpaService;
import io.valv.job.Job;
import io.valv.job.JobService;
import io.valv.material.Material;
import io.valv.material.MaterialService;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;

/**
 * Issues, stores and serves signed certificates of deletion. The facts follow the certificate of
 * sanitization of NIST SP 800-88 (Rev. 1's Appendix G sample; Rev. 2, September 2025, superseded it and
 * adds what a cryptographic erase states: which keys, how they were sanitized, whether externally managed
 * keys exist): what, when, how, verified how, by whom, and what may remain. The JSON's fields are a public
 * contract (docs/certificates.md): add fields, never rename or retype one.
 */
// Created at start so that a missing or unreadable signing key stops the service there and then, instead
// of every purge failing later (a purge must issue its certificate in the same transaction).
@Startup
@ApplicationScoped
public class CertificateService {

    static final String STANDARD = "NIST SP 800-88 Rev. 2 (certificate of sanitization); purge by cryptographic erase";

    /** The cryptographic-erase facts Rev. 2 asks for, in the signed JSON; the PDF words them per language. */
    static final String KEYS = "the material's AES-256 data key, stored only wrapped (AES-256-GCM) under the client's "
            + "key-encryption key";
    static final String KEY_SANITIZATION = "wrapped data key deleted from the key table in the purge's transaction; "
            + "unwrapped copies existed only in process memory and were overwritten with zeros after use";
    static final String EXTERNALLY_MANAGED_KEYS = "none: no KMS, HSM or party outside Valv holds a copy of the data key";
    private final DeletionCertificateRepository certificates;
    private final LocalCopyAttestationRepository attestations;
    private final ClientService clients;
    private final JobService jobs;
    private final DpaService dpas;
    private final MaterialService materials;
    private final CertificateConfig config;
    private final Clock clock;
    private final CmsSigner signer;
    private final PdfSigner pdfSigner;
    private final String version;
    private final ReturnedData returned;
    private final BatchSigner batchSigner;
    private final jakarta.enterprise.event.Event<CertificateIssued> issued;
    private final jakarta.enterprise.event.Event<CertificatesIssued> issuedTogether;

    CertificateService(ReturnedData returned, DeletionCertificateRepository certificates,
            LocalCopyAttestationRepository attestations,
            ClientService clients, JobService jobs, DpaService dpas, MaterialService materials, CertificateConfig config,
            Clock clock, @ConfigProperty(name = "quarkus.application.version") String version,
            jakarta.enterprise.event.Event<CertificateIssued> issued,
            jakarta.enterprise.event.Event<CertificatesIssued> issuedTogether) {
        this.issued = issued;
        this.issuedTogether = issuedTogether;
        this.returned = returned;
        this.certificates = certificates;
        this.attestations = attestations;
        this.clients = clients;
        this.jobs = jobs;
        this.dpas = dpas;
        this.materials = materials;
        this.config = config;
        this.clock = clock;
        this.signer = new CmsSigner(SigningKey.load(config));
        this.pdfSigner = new PdfSigner(signer, config.issuer());
        this.batchSigner = new BatchSigner(signer);
        this.version = version;
    }

    /** A material of a purge batch, destroyed in the batch's transaction, with what its certificate states. */
    public record Purged(Material material, long accesses, AppendedEvent purgeEvent) {
    }

    /**
     * Issued inside the purge transaction: the materials' destruction and their certificates commit
     * together, so a crash leaves either both or neither. A material that has its certificate already (the
     * batch is being run again) gets none. What a batch shares (its clients, jobs, DPAs, the jobs' local-copy
     * attestations, the clients' last export) is read once per batch, not once per material; the certificates
     * are signed on every core ({@link BatchSigner}) and announced in one {@link CertificatesIssued}.
     *
     * @return material id → the certificate issued for it now
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, UUID> issueForPurge(List<Purged> batch, Instant verifiedAbsentAt) {
        Set<UUID> certified = certificates.materialsCertified(batch.stream().map(p -> p.material().id).toList());
        Map<UUID, List<Map<String, String>>> attestationsByJob = new HashMap<>();
        Map<String, Optional<String>> manifestsByClient = new HashMap<>();
        Map<UUID, UUID> issuedNow = new LinkedHashMap<>();
        List<Unsigned> unsigned = new ArrayList<>(batch.size());
        for (Purged p : batch) {
            Material m = p.material();
            if (certified.contains(m.id)) {
                continue;
            }
            Client client = clients.require(m.clientId);
            Job job = jobs.require(m.jobId);
            Dpa dpa = dpas.require(m.dpaId);
            UUID id = UUID.randomUUID();
            Instant now = Instant.now(clock);

            Map<String, Object> media = new LinkedHashMap<>();
            media.put("materialId", m.id.toString());
            media.put("filename", m.filename);
            media.put("mediaType", m.mediaType);
            media.put("sizeBytes", m.size == null ? 0 : m.size);
            media.put("plaintextSha256", m.sha256 == null ? "" : m.sha256);
            media.put("personalDataDeclared", m.personalData);
            media.put("uploadedAt", m.uploadedAt.toString());
            media.put("uploadedBy", m.uploader);
            media.put("jobId", job.id.toString());
            media.put("jobTitle", job.title);

            Map<String, Object> document = header(id, "material", client, now);
            document.put("media", media);
            document.put("dpa", Map.of("id", dpa.id.toString(), "reference", dpa.reference, "version", dpa.version));
            document.put("reason", m.purgeReason);
            Map<String, Object> sanitization = sanitization();
            sanitization.put("description", "The AES-256 data key of this material (wrapped under the client's key) was "
                    + "deleted from the key table and the ciphertext object was deleted from the object store.");
            sanitization.put("destroyedAt", m.purgedAt.toString());
            document.put("sanitization", sanitization);
            document.put("verification", Map.of(
                    "method", "object store lookup of the ciphertext object returned 'not found'; data key row absent",
                    "verifiedAt", verifiedAbsentAt.toString()));
            document.put("accesses", p.accesses());
            // the purge as recorded in the access log: a client can have it proven in the signed Merkle tree
            // (docs/audit.md, "Tree heads and inclusion proofs")
            AppendedEvent purgeEvent = p.purgeEvent();
            document.put("auditEvent", Map.of("id", purgeEvent.id().toString(), "seq", purgeEvent.seq(), "hash",
                    purgeEvent.hash(), "inclusionProof", "/api/v1/audit/events/" + purgeEvent.id() + "/inclusion-proof"));
            document.put("localCopyAttestations", attestationsByJob.computeIfAbsent(job.id, this::attestationsOf));
            returnOfData(document, m.purgeReason,
                    () -> manifestsByClient.computeIfAbsent(client.id, returned::latestManifestDigest));
            residualCopies(document, m.purgedAt);
            unsigned.add(new Unsigned(certificate(id, client.id, "material", m.id, job.id, now, document),
                    new CertificateIssued(id, client.id, "material", m.id, job.id, m.purgeReason)));
            issuedNow.put(m.id, id);
        }
        List<byte[]> signed = batchSigner.signAll(unsigned.stream().map(u -> u.certificate().document.getBytes(UTF_8))
                .toList());
        for (int i = 0; i < unsigned.size(); i++) {
            unsigned.get(i).certificate().signedData = signed.get(i);
            certificates.persist(unsigned.get(i).certificate());
        }
        if (!unsigned.isEmpty()) {
            issuedTogether.fire(new CertificatesIssued(unsigned.stream().map(Unsigned::event).toList()));
        }
        return issuedNow;
    }

    /** A purge certificate built and not yet signed, with the event its issuing fires. */
    private record Unsigned(DeletionCertificate certificate, CertificateIssued event) {
    }

    /**
     * At the end of a contract (offboarding, DPA terminated) the controller chose return or deletion: the
     * certificate names the manifest of the export it took back, so that it can match the two, or states
     * that it took none.
     */
    private static void returnOfData(Map<String, Object> document, String reason,
            Supplier<Optional<String>> latestManifest) {
        if (!"offboarded".equals(reason) && !"dpa-terminated".equals(reason)) {
            return;
        }
        Map<String, Object> returnOfData = new LinkedHashMap<>();
        Optional<String> manifest = latestManifest.get();
        returnOfData.put("exported", manifest.isPresent());
        manifest.ifPresent(digest -> returnOfData.put("manifestSha256", digest));
        document.put("returnOfData", returnOfData);
    }

    /** A client admin's summary certificate for a job or the whole client, naming each purged material. */
    @Transactional
    public UUID issueSummary(Caller caller, String scope, UUID jobId, String clientId) {
        String client = "job".equals(scope) ? jobs.find(caller, jobId).clientId : clientId;
        if (client == null || !AccessPolicy.mayKnowOf(caller, client)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayRequestCertificate(caller, client)) {
            throw ProblemException.forbidden("Only the client's admin or the processor's admin can request certificates.");
        }
        List<Material> purged = "job".equals(scope) ? materials.purgedOfJob(jobId) : materials.purgedOfClient(client);
        Instant now = Instant.now(clock);
        UUID id = UUID.randomUUID();
        Map<String, Object> document = header(id, scope, clients.require(client), now);
        document.put("destroyedMaterials", purged.stream().map(m -> Map.of(
                "materialId", m.id.toString(), "filename", m.filename, "plaintextSha256", m.sha256 == null ? "" : m.sha256,
                "sizeBytes", m.size == null ? 0 : m.size, "destroyedAt", m.purgedAt.toString(),
                "reason", m.purgeReason)).toList());
        if ("job".equals(scope)) {
            Job job = jobs.require(jobId);
            Dpa dpa = dpas.require(job.dpaId);
            document.put("jobId", jobId.toString());
            document.put("jobTitle", job.title);
            document.put("dpa", Map.of("id", dpa.id.toString(), "reference", dpa.reference, "version", dpa.version));
            document.put("localCopyAttestations", attestationsOf(jobId));
        }
        document.put("sanitization", sanitization());
        residualCopies(document, now);
        store(id, client, scope, null, "job".equals(scope) ? jobId : null, now, document);
        issued.fire(new CertificateIssued(id, client, scope, null, "job".equals(scope) ? jobId : null, null));
        return id;
    }

    @Transactional
    public void attestLocalCopiesDeleted(Caller caller, UUID jobId) {
        Job job = jobs.find(caller, jobId);
        if (!AccessPolicy.mayAttestLocalCopies(caller, jobs.isAssigned(jobId, caller))) {
            throw ProblemException.forbidden("Only staff assigned to the job attest deletion of their local copies.");
        }
        LocalCopyAttestation.Key key = new LocalCopyAttestation.Key(job.id, caller.subject());
        if (attestations.findById(key) == null) {
            LocalCopyAttestation attestation = new LocalCopyAttestation();
            attestation.key = key;
            attestation.attestedAt = Instant.now(clock);
            attestations.persist(attestation);
        }
    }

    /** When this member of staff attested deleting their local copies of the job's material, if they did. */
    @Transactional
    public java.util.Optional<Instant> localCopiesAttestedAt(UUID jobId, String staff) {
        LocalCopyAttestation attestation = attestations.findById(new LocalCopyAttestation.Key(jobId, staff));
        return java.util.Optional.ofNullable(attestation).map(a -> a.attestedAt);
    }

    @Transactional
    public List<CertificateView> visibleTo(Caller caller, String clientId) {
        List<DeletionCertificate> found;
        String own = caller.clientId().orElse(null);
        if (AccessPolicy.maySeeEveryClient(caller)) {
            found = clientId == null ? certificates.all() : certificates.ofClient(clientId);
        } else if (own != null && (clientId == null || clientId.equals(own)) && AccessPolicy.mayReadCertificates(caller, own)) {
            found = certificates.ofClient(own);
        } else {
            throw ProblemException.notFound("Client");
        }
        return found.stream().map(CertificateView::of).toList();
    }

    @Transactional
    public StoredCertificate get(Caller caller, UUID id) {
        DeletionCertificate c = certificates.findById(id);
        boolean visible = c != null && AccessPolicy.mayReadCertificates(caller, c.clientId);
        if (!visible) {
            throw ProblemException.notFound("Certificate");
        }
        return new StoredCertificate(c.id, c.clientId, c.document, c.signedData);
    }

    /** Signs any canonical document with the processor's certificate key (export manifests). */
    public byte[] signDocument(byte[] canonicalJson) {
        return signer.sign(canonicalJson);
    }

    public String signingCertificatePem() {
        return signer.certificatePem();
    }

    /**
     * The certificate as a signed PDF in {@code locale} (English unless Swedish), rendered from the stored
     * JSON each time; {@code baseUrl} is the service's address as the caller reached it, for the
     * verification commands printed in it.
     */
    byte[] pdf(StoredCertificate c, java.util.Locale locale, String baseUrl) {
        Map<String, Object> document = parse(c.document());
        byte[] unsigned = CertificatePdf.render(document, c.signedData(), locale, pdfSignerInfo(), baseUrl);
        return pdfSigner.sign(unsigned, Instant.now(clock));
    }

    private CertificatePdf.Signer pdfSignerInfo() {
        java.security.cert.X509Certificate certificate = signer.certificate();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new CertificatePdf.Signer(certificate.getSubjectX500Principal().getName(),
                    java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> header(UUID id, String scope, Client client, Instant now) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("certificateId", id.toString());
        document.put("type", "certificate-of-deletion");
        document.put("scope", scope);
        document.put("standard", STANDARD);
        document.put("issuedAt", now.toString());
        document.put("processor", config.issuer());
        Map<String, Object> processor = new LinkedHashMap<>();
        processor.put("legalName", config.issuer());
        config.processorOrgNumber().ifPresent(v -> processor.put("orgNumber", v));
        config.processorAddress().ifPresent(v -> processor.put("address", v));
        config.processorContact().ifPresent(v -> processor.put("contact", v));
        document.put("processorIdentity", processor);
        Map<String, Object> controller = new LinkedHashMap<>();
        controller.put("clientId", client.id);
        controller.put("name", client.name);
        controller.put("orgNumber", client.orgNumber == null ? "" : client.orgNumber);
        document.put("controller", controller);
        return document;
    }

    private List<Map<String, String>> attestationsOf(UUID jobId) {
        return attestations.ofJob(jobId).stream()
                .map(a -> Map.of("staff", a.key.staff(), "attestedAt", a.attestedAt.toString())).toList();
    }

    private Map<String, Object> sanitization() {
        Map<String, Object> sanitization = new LinkedHashMap<>();
        sanitization.put("category", "purge");
        sanitization.put("technique", "cryptographic erase");
        sanitization.put("keysSanitized", KEYS);
        sanitization.put("keySanitization", KEY_SANITIZATION);
        sanitization.put("externallyManagedKeys", EXTERNALLY_MANAGED_KEYS);
        sanitization.put("tool", "Valv " + version);
        return sanitization;
    }

    /** The English sentence as before, and its two facts as fields so that the PDF can say them in Swedish. */
    private void residualCopies(Map<String, Object> document, Instant destroyedAt) {
        Instant until = destroyedAt.plus(Duration.ofDays(config.backupRetentionDays()));
        document.put("backupRetentionDays", config.backupRetentionDays());
        document.put("backupsUntil", until.toString());
        document.put("residualCopies", "No plaintext copy was ever written to disk by Valv. Database backups kept for up to "
                + config.backupRetentionDays() + " days (until " + until + ") may still hold the wrapped data key, "
                + "never the content; the object store keeps no versions of deleted objects.");
    }

    private void store(UUID id, String clientId, String scope, UUID materialId, UUID jobId, Instant now,
            Map<String, Object> document) {
        DeletionCertificate c = certificate(id, clientId, scope, materialId, jobId, now, document);
        c.signedData = signer.sign(c.document.getBytes(UTF_8));
        certificates.persist(c);
    }

    /** The certificate row with its canonical JSON, not signed yet. */
    private static DeletionCertificate certificate(UUID id, String clientId, String scope, UUID materialId, UUID jobId,
            Instant now, Map<String, Object> document) {
        DeletionCertificate c = new DeletionCertificate();
        c.id = id;
        c.clientId = clientId;
        c.scope = scope;
        c.materialId = materialId;
        c.jobId = jobId;
        c.issuedAt = now;
        c.document = new String(CanonicalJson.encode(document), UTF_8);
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record CertificateView(UUID id, String clientId, String scope, UUID materialId, UUID jobId, Instant issuedAt) {

        static CertificateView of(DeletionCertificate c) {
            return new CertificateView(c.id, c.clientId, c.scope, c.materialId, c.jobId, c.issuedAt);
        }
    }

    public record StoredCertificate(UUID id, String clientId, String document, byte[] signedData) {
    }
}
