package io.valv.crypto;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The versioned master keys from configuration. Validated once at start so that a missing or malformed
 * key stops the service before it accepts a request.
 */
final class MasterKeys {

    private final Map<Integer, byte[]> keys = new HashMap<>();
    private final int activeVersion;

    MasterKeys(Map<Integer, String> base64Keys, int activeVersion) {
        base64Keys.forEach((version, encoded) -> {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(encoded.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("valv.crypto.master-keys." + version + " is not base64");
            }
            if (key.length != KeyWrap.KEY_LENGTH) {
                throw new IllegalStateException("valv.crypto.master-keys." + version + " must be 32 bytes");
            }
            keys.put(version, key);
        });
        if (!keys.containsKey(activeVersion)) {
            throw new IllegalStateException("valv.crypto.active-master-key-version names no configured master key");
        }
        this.activeVersion = activeVersion;
    }

    int activeVersion() {
        return activeVersion;
    }

    byte[] key(int version) {
        byte[] key = keys.get(version);
        if (key == null) {
            throw new CryptoException("master key version unavailable");
        }
        return key;
    }
}
