package io.valv.export;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.RestPath;


import io.quarkus.security.identity.SecurityIdentity;
import io.valv.certificate.CanonicalJson;
import io.valv.certificate.CertificateService;
import io.valv.material.Material;
import io.valv.material.MaterialContent;
import io.valv.security.Caller;
import io.valv.security.Roles;

/**
 * "Return or delete" at the end of the contract (Art. 28(3)(g)): the client admin downloads all of the
 * client's stored material as one ZIP, streamed (constant memory), opening with a manifest of every file's
 * SHA-256 and a CMS signature over it by the processor's certificate key. Deletion is then one
 * {@code DELETE} per job, or offboarding.
 */
@Path("/api/v1/clients/{clientId}/export")
public class ExportResource {

    private final MaterialContent content;
    private final CertificateService certificates;
    private final SecurityIdentity identity;

    ExportResource(MaterialContent content, CertificateService certificates, SecurityIdentity identity) {
        this.content = content;
        this.certificates = certificates;
        this.identity = identity;
    }

    @GET
    @Produces("application/zip")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response export(@RestPath String clientId) {
        Caller caller = Caller.of(identity);
        List<Material> stored = content.storedOfClient(caller, clientId);
        List<Map<String, Object>> files = new ArrayList<>();
        for (Material m : stored) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("materialId", m.id.toString());
            file.put("jobId", m.jobId.toString());
            file.put("path", entryName(m));
            file.put("filename", m.filename);
            file.put("sizeBytes", m.size);
            file.put("sha256", m.sha256);
            file.put("uploadedAt", m.uploadedAt.toString());
            files.add(file);
        }
        byte[] manifest = CanonicalJson.encode(Map.of("clientId", clientId, "files", files,
                "exportedAt", java.time.Instant.now().toString(), "exportedBy", caller.subject()));
        byte[] signature = certificates.signDocument(manifest);
        StreamingOutput body = (OutputStream out) -> {
            try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
                zip.putNextEntry(new ZipEntry("manifest.json"));
                zip.write(manifest);
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("manifest.json.p7s"));
                zip.write(signature);
                zip.closeEntry();
                for (Material m : stored) {
                    zip.putNextEntry(new ZipEntry(entryName(m)));
                    content.copyTo(caller, m.id, zip);
                    zip.closeEntry();
                }
            }
        };
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"valv-export-" + clientId + ".zip\"")
                .header("Cache-Control", "no-store").build();
    }

    /** Material ids keep entry names unique and free of path tricks; the filename is in the manifest. */
    private static String entryName(Material m) {
        return "files/" + m.id + "/" + m.filename.replaceAll("[^\\p{L}\\p{N}._ -]", "_");
    }
}
