package io.valv.certificate;

import java.util.Optional;

/**
 * What the controller took back before the end of its contract (Art. 28(3)(g): return, then delete). Owned
 * here, implemented by the export feature, so that a certificate can name the export without
 * {@code certificate} depending on {@code export} (which signs its manifests with this feature's key).
 */
public interface ReturnedData {

    /** The SHA-256 (hex) of the manifest of the client's latest delivered whole-client export, if any. */
    Optional<String> latestManifestDigest(String clientId);
}
