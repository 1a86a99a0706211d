package io.valv.export;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;

import io.valv.audit.Actions;
import io.valv.audit.AuditLog;
import io.valv.certificate.CertificateService;
import io.valv.certificate.ReturnedData;
import io.valv.material.Material;
import io.valv.material.MaterialContent;
import io.valv.security.Caller;
import io.valv.web.Transfers;

/**
 * Return of data (GDPR Art. 28(3)(g)): the client admin takes back its stored material as one signed ZIP
 * (docs/export.md), of the whole client or of one job.
 */
@ApplicationScoped
public class ExportService implements ReturnedData {

    private static final Pattern DIGEST = Pattern.compile("^manifest sha-256 ([0-9a-f]{64});");

    private final MaterialContent content;
    private final CertificateService certificates;
    private final AuditLog audit;

    ExportService(MaterialContent content, CertificateService certificates, AuditLog audit) {
        this.content = content;
        this.certificates = certificates;
        this.audit = audit;
    }

    /**
     * Authorizes the export now (404 for another client's or an unknown job, 403 for roles other than the
     * client's admin) and answers the archive to stream. The set of materials is fixed here; one purged or
     * erased before it is written aborts the export rather than leave it silently out.
     */
    StreamingOutput archive(Caller caller, String clientId, UUID jobId) {
        List<Material> stored = jobId == null ? content.storedOfClient(caller, clientId)
                : content.storedOfJob(caller, clientId, jobId);
        return new ExportArchive(caller, clientId, jobId, stored, content, certificates, audit,
                Transfers.abortOfCurrentRequest());
    }

    /**
     * The SHA-256 (hex) of the {@code manifest.json} of the client's latest whole-client export that was
     * delivered to the end (its manifest written; per-job exports do not count), as recorded in the audit log
     * (event {@code client.export}). The certificate of deletion at the end of the contract names it, so that
     * the controller can match it against the manifest it received. Empty when the client never completed
     * such an export. Whether the client's download then succeeded is not known to the server: the client
     * checks the archive with the published commands.
     */
    @Override
    public Optional<String> latestManifestDigest(String clientId) {
        return audit.latestDetail(clientId, Actions.CLIENT_EXPORT).map(DIGEST::matcher).filter(Matcher::find)
                .map(m -> m.group(1));
    }
}
