package io.valv.crypto;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.crypto")
public interface CryptoConfig {

    /**
     * Master keys by version: base64 of 32 random bytes each ({@code openssl rand -base64 32}). They wrap
     * the per-client keys. Supply them from a secret (env {@code VALV_CRYPTO_MASTER_KEYS__1_}); there is no
     * default outside dev/test, so a missing key stops the start. Keep retired versions until every client
     * key has been re-wrapped.
     */
    Map<Integer, String> masterKeys();

    /** The master key version that wraps new client keys. */
    @WithDefault("1")
    int activeMasterKeyVersion();

    /**
     * Plaintext volume the start-up warm-up pushes through AES-GCM and SHA-256 so that the JIT has
     * compiled the bulk paths before the first upload arrives. 0 disables it.
     */
    @WithDefault("192")
    int warmUpMebibytes();
}
