package io.valv.material;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.security.Caller;

/**
 * Plaintext content for other features (export bundles): the same authorization, access record and
 * streaming path as the content endpoint, written to a caller-supplied stream.
 */
@ApplicationScoped
public class MaterialContent {

    private final MaterialService materials;
    private final MaterialDownload downloads;

    MaterialContent(MaterialService materials, MaterialDownload downloads) {
        this.materials = materials;
        this.downloads = downloads;
    }

    /** Stored material of a client, oldest first, for the client's own admin. */
    public List<Material> storedOfClient(Caller caller, String clientId) {
        return materials.storedOfClient(caller, clientId);
    }

    public void copyTo(Caller caller, UUID materialId, OutputStream out) throws IOException {
        MaterialService.ReadableMaterial m = materials.openForRead(caller, materialId);
        downloads.open(m, null).write(out);
    }
}
