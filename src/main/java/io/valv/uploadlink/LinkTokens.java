package io.valv.uploadlink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An upload link's secret: 192 random bits from {@link SecureRandom}, base64url (32 characters). Stored only as
 * its SHA-256 and found by that hash.
 * <p>
 * Why a plain SHA-256 and not a password hash (Argon2, bcrypt): those slow down guessing a low-entropy secret.
 * This secret has 192 bits of entropy, so no dictionary exists and a brute-force search of the hash is as hopeless
 * as one of the link itself; a salt is not needed either (no two links share a secret). A fast, deterministic hash
 * is what lets the token be looked up by its hash (a unique index) rather than compared with every row, and a
 * database dump alone gives no usable link.
 */
final class LinkTokens {

    static final int BYTES = 24;
    /** base64url without padding, exactly as {@link #newToken()} makes them: anything else is no token. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private LinkTokens() {
    }

    static String newToken() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean wellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
