package io.valv.material;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.crypto.Digests;
import io.valv.security.Caller;

/**
 * Plaintext content for other features (export bundles): the same authorization, access record and
 * streaming path as the content endpoint, written to a caller-supplied stream.
 */
@ApplicationScoped
public class MaterialContent {

    private final MaterialService materials;
    private final MaterialDownload downloads;
    private final IntegrityFailures integrity;

    MaterialContent(MaterialService materials, MaterialDownload downloads, IntegrityFailures integrity) {
        this.materials = materials;
        this.downloads = downloads;
        this.integrity = integrity;
    }

    /** Stored material of a client, oldest first, for the client's own admin. */
    public List<Material> storedOfClient(Caller caller, String clientId) {
        return materials.storedOfClient(caller, clientId);
    }

    /** Stored material of one job of the client, oldest first, for the client's own admin. */
    public List<Material> storedOfJob(Caller caller, String clientId, UUID jobId) {
        return materials.storedOfJob(caller, clientId, jobId);
    }

    /**
     * Writes the whole plaintext, each segment authenticated before it is written. An integrity failure is
     * recorded (log, metric with {@code where=export}, audit) and thrown as {@link IntegrityException}, after
     * which the stream must be treated as unfinished: bytes already written stay written. Any other
     * IOException (store down, material purged meanwhile) or problem (no longer readable) is thrown as is.
     */
    public void copyTo(Caller caller, UUID materialId, OutputStream out) throws IOException {
        MaterialService.ReadableMaterial m = materials.openForRead(caller, materialId);
        try {
            DigestOutputStream digesting = new DigestOutputStream(out, Digests.sha256());
            downloads.start(m).writeTo(digesting);
            // Authenticated segments cannot differ from what was encrypted; this also catches an upload path
            // that recorded the wrong digest, since the manifest states the recorded one.
            if (!HexFormat.of().formatHex(digesting.getMessageDigest().digest()).equals(m.sha256())) {
                throw new MaterialDownload.IntegrityFailure("plaintext differs from its recorded SHA-256");
            }
        } catch (MaterialDownload.IntegrityFailure e) {
            integrity.record(caller, materialId, "export", e.getMessage());
            throw new IntegrityException(e.getMessage());
        }
    }

    /** The stored content of one material is not what was uploaded; the reason carries no content or key. */
    public static final class IntegrityException extends IOException {

        IntegrityException(String reason) {
            super(reason);
        }
    }
}
