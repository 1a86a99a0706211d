package io.valv.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme"): HMAC-SHA256 over
 * {@code msgId.timestamp.body} keyed with the base64-decoded part of a {@code whsec_} secret, sent as
 * {@code v1,<base64>}; several signatures are separated by a space, which is how both secrets sign during
 * a rotation's overlap. Pure: no clock, no database.
 */
final class WebhookSigner {

    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A fresh signing key: 24 random bytes (the spec asks for 24 to 64). */
    static byte[] newKey() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The {@code whsec_} form of a key, as the receiver configures it. */
    static String secretOf(byte[] key) {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static String newSecret() {
        return secretOf(newKey());
    }

    /** The {@code webhook-signature} header value for these keys. */
    static String signature(List<byte[]> keys, String msgId, long timestampSeconds, String body) {
        StringJoiner header = new StringJoiner(" ");
        for (byte[] key : keys) {
            header.add("v1," + sign(key, msgId, timestampSeconds, body));
        }
        return header.toString();
    }

    static String sign(byte[] key, String msgId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal((msgId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
