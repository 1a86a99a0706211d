package io.valv.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.ws.rs.core.StreamingOutput;

import io.quarkus.logging.Log;
import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.audit.Outcome;
import io.valv.certificate.CanonicalJson;
import io.valv.certificate.CertificateService;
import io.valv.crypto.Digests;
import io.valv.material.Material;
import io.valv.material.MaterialContent;
import io.valv.security.Caller;
import io.valv.web.Transfers;

/**
 * One export as a streamed ZIP (docs/export.md): the files, then {@code SHA256SUMS}, {@code manifest.json},
 * and CMS signatures of both ({@code manifest.json.p7s}, {@code SHA256SUMS.p7s}) — last, so that they describe
 * what the archive actually holds.
 *
 * <p>
 * Two kinds of failure, two answers:
 * <ul>
 * <li>One material's content fails its integrity check: the others go on. Its entry is only started with
 * the first authenticated byte, so a material that fails before any byte (wrong length, first segment,
 * recorded digest of an empty file) is absent. One that fails in a later segment has written authenticated
 * bytes that a streamed ZIP cannot take back: that entry stays, cut short, and the manifest names its path
 * under {@code failed} with the reason; it is never in {@code files} nor in {@code SHA256SUMS}.</li>
 * <li>Anything else (the store unreachable, a material purged or no longer readable during the export, the
 * audit log down, the client gone): the transfer is aborted. The ZIP's central directory is written only by
 * {@link ZipOutputStream#finish()} on the success path — never by a {@code close()} on the way out of a
 * failure — so a partial download never opens as a complete archive — and the connection is closed, so that
 * the client's download fails too ({@link Transfers}).</li>
 * </ul>
 */
final class ExportArchive implements StreamingOutput {

    static final String SUMS = "SHA256SUMS";
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.json.p7s";
    static final String SUMS_SIGNATURE = "SHA256SUMS.p7s";

    private final Caller caller;
    private final String clientId;
    private final UUID jobId;
    private final List<Material> materials;
    private final MaterialContent content;
    private final CertificateService certificates;
    private final AuditLog audit;
    private final Transfers.Abort abort;

    ExportArchive(Caller caller, String clientId, UUID jobId, List<Material> materials, MaterialContent content,
            CertificateService certificates, AuditLog audit, Transfers.Abort abort) {
        this.abort = abort;
        this.caller = caller;
        this.clientId = clientId;
        this.jobId = jobId;
        this.materials = materials;
        this.content = content;
        this.certificates = certificates;
        this.audit = audit;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        // Deliberately not try-with-resources: see the class comment.
        Counted body = new Counted(out);
        ZipOutputStream zip = new ZipOutputStream(body, StandardCharsets.UTF_8);
        // Recordings and videos are compressed already; the fastest level keeps the CPU for AES-GCM.
        zip.setLevel(Deflater.BEST_SPEED);
        List<Map<String, Object>> files = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        StringBuilder sums = new StringBuilder();
        try {
            for (Material m : materials) {
                String path = entryName(m);
                Entry entry = new Entry(zip, path);
                try {
                    content.copyTo(caller, m.id, entry);
                    entry.finish();
                    files.add(fileRecord(m, path));
                    sums.append(m.sha256).append("  ").append(path).append('\n');
                } catch (MaterialContent.IntegrityException e) {
                    entry.abandon();
                    failed.add(failedRecord(m, e.getMessage(), entry));
                }
            }
            byte[] sha256sums = sums.toString().getBytes(StandardCharsets.UTF_8);
            byte[] manifest = manifest(files, failed, sha256sums);
            byte[] signature = certificates.signDocument(manifest);
            // SHA256SUMS is covered twice: by its digest in the manifest, and by a signature of its own so that
            // openssl alone recovers the signed list that sha256sum -c then checks.
            byte[] sumsSignature = certificates.signDocument(sha256sums);
            String digest = sha256Hex(manifest);
            // Fail-closed: the digest is on record before the client holds a manifest bearing it.
            audit.appendSeparately(exportEvent().detail("manifest sha-256 " + digest + "; " + files.size() + " files; "
                    + failed.size() + " failed"));
            put(zip, SUMS, sha256sums);
            put(zip, MANIFEST, manifest);
            put(zip, SIGNATURE, signature);
            put(zip, SUMS_SIGNATURE, sumsSignature);
            zip.finish();
            zip.flush();
        } catch (IOException | RuntimeException e) {
            Log.errorf("Export of client %s%s aborted after %d of %d materials (%s: %s)", clientId,
                    jobId == null ? "" : " job " + jobId, files.size() + failed.size(), materials.size(),
                    e.getClass().getSimpleName(), e.getMessage());
            recordAborted(files.size() + failed.size());
            // once bytes are out, only a closed connection tells the client that its download failed
            abort.abortIfStarted(body.count > 0);
            throw new IOException("export aborted", e);
        }
    }

    private AuditEntry exportEvent() {
        return AuditEntry.of(jobId == null ? Actions.CLIENT_EXPORT : Actions.JOB_EXPORT)
                .by(caller).client(clientId).job(jobId);
    }

    private void recordAborted(int done) {
        try {
            audit.appendSeparately(exportEvent().outcome(Outcome.ERROR)
                    .detail("aborted after " + done + " of " + materials.size() + " materials"));
        } catch (RuntimeException e) {
            Log.errorf("Aborted export of client %s could not be audited (%s)", clientId, e.getClass().getSimpleName());
        }
    }

    private byte[] manifest(List<Map<String, Object>> files, List<Map<String, Object>> failed, byte[] sha256sums) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "valv-export/1");
        doc.put("clientId", clientId);
        if (jobId != null) {
            doc.put("jobId", jobId.toString());
        }
        doc.put("exportedAt", Instant.now().toString());
        doc.put("exportedBy", caller.subject());
        doc.put("complete", failed.isEmpty());
        doc.put("files", files);
        doc.put("failed", failed);
        doc.put("sha256sums", Map.of("path", SUMS, "sha256", sha256Hex(sha256sums)));
        return CanonicalJson.encode(doc);
    }

    private static Map<String, Object> fileRecord(Material m, String path) {
        Map<String, Object> file = common(m);
        file.put("path", path);
        return file;
    }

    private static Map<String, Object> failedRecord(Material m, String reason, Entry entry) {
        Map<String, Object> file = common(m);
        file.put("reason", reason);
        if (entry.started()) {
            // authenticated bytes already streamed cannot be taken back: name the cut-short entry
            file.put("incompleteEntry", entry.path);
            file.put("incompleteBytes", entry.written);
        }
        return file;
    }

    private static Map<String, Object> common(Material m) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("materialId", m.id.toString());
        file.put("jobId", m.jobId.toString());
        file.put("filename", m.filename);
        file.put("mediaType", m.mediaType);
        file.put("sizeBytes", m.size);
        file.put("sha256", m.sha256);
        file.put("uploadedAt", m.uploadedAt.toString());
        // where a client fetches one file again (Range works there) instead of the whole export
        file.put("contentUrl", "/api/v1/materials/" + m.id + "/content");
        return file;
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(Digests.sha256().digest(bytes));
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /**
     * Material ids keep entry names unique and free of path tricks; the display filename is in the manifest.
     * The name keeps letters, digits and {@code ._ -} only (so a SHA256SUMS line is one line), never starts
     * with a dot (no {@code ..}) and is bounded.
     */
    static String entryName(Material m) {
        String name = m.filename.replaceAll("[^\\p{L}\\p{N}._ -]", "_").strip();
        if (name.length() > 120) {
            name = name.substring(name.length() - 120); // the end keeps the extension
        }
        if (name.isEmpty() || name.startsWith(".")) {
            name = "_" + name;
        }
        return "files/" + m.id + "/" + name;
    }

    /** A ZIP entry that is only started with its first byte, so that a failure before it leaves nothing. */
    private static final class Entry extends OutputStream {

        private final ZipOutputStream zip;
        private final String path;
        private long written;
        private boolean started;

        Entry(ZipOutputStream zip, String path) {
            this.zip = zip;
            this.path = path;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            start();
            zip.write(b, off, len);
            written += len;
        }

        boolean started() {
            return started;
        }

        void finish() throws IOException {
            start(); // an empty file is an entry too
            zip.closeEntry();
        }

        void abandon() throws IOException {
            if (started) {
                zip.closeEntry();
            }
        }

        private void start() throws IOException {
            if (!started) {
                zip.putNextEntry(new ZipEntry(path));
                started = true;
            }
        }

        @Override
        public void close() {
            // the archive is not this entry's to close
        }
    }

    /** Counts what has been handed to the response. */
    private static final class Counted extends java.io.FilterOutputStream {

        private long count;

        Counted(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
