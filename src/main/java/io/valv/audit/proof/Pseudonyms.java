package io.valv.audit.proof;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stable pseudonyms for the processor's people as a client sees them:
 * {@code "p-" + hex(HMAC-SHA256(key, clientId ‖ 0x00 ‖ subject))[0..16]}. Stable within one client, so
 * a client can tell that the same person read twice; different between clients, so two clients cannot
 * match their pseudonyms; irreversible without the per-deployment key.
 */
public final class Pseudonyms {

    private final byte[] key;

    public Pseudonyms(byte[] key) {
        if (key.length < 16) {
            throw new IllegalStateException("the audit pseudonym key must have at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** Derives the pseudonym key from the checkpoint seed when none is configured (a separate PRF output). */
    public static byte[] derive(byte[] seed) {
        return hmac(seed, "valv-audit-pseudonym-key-v1".getBytes(StandardCharsets.UTF_8));
    }

    public String of(String clientId, String subject) {
        if (subject == null) {
            return null;
        }
        byte[] input = (clientId + "\0" + subject).getBytes(StandardCharsets.UTF_8);
        return "p-" + HexFormat.of().formatHex(hmac(key, input)).substring(0, 16);
    }

    private static byte[] hmac(byte[] key, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
