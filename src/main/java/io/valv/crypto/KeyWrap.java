package io.valv.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM key wrapping with a random 96-bit nonce and an AAD naming the key's owner. {@link #seal} and
 * {@link #open} are the same construction for secrets of any length (webhook signing keys).
 */
final class KeyWrap {

    static final int NONCE_LENGTH = 12;
    static final int KEY_LENGTH = 32;
    static final int WRAPPED_LENGTH = NONCE_LENGTH + KEY_LENGTH + 16;

    private KeyWrap() {
    }

    static byte[] wrap(byte[] kek, byte[] key, byte[] aad, SecureRandom random) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return ByteBuffer.allocate(WRAPPED_LENGTH).put(nonce).put(cipher.doFinal(key)).array();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("key wrap failed", e);
        }
    }

    static byte[] unwrap(byte[] kek, byte[] wrapped, byte[] aad) {
        if (wrapped == null || wrapped.length != WRAPPED_LENGTH) {
            throw new CryptoException("wrapped key malformed");
        }
        return open(kek, wrapped, aad);
    }

    /** nonce (12) ‖ AES-256-GCM(secret) ‖ tag (16), under a fresh random nonce every time. */
    static byte[] seal(byte[] kek, byte[] secret, byte[] aad, SecureRandom random) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return Bytes.concat(nonce, cipher.doFinal(secret));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("sealing failed", e);
        }
    }

    static byte[] open(byte[] kek, byte[] wrapped, byte[] aad) {
        if (wrapped == null || wrapped.length < NONCE_LENGTH + 16) {
            throw new CryptoException("sealed secret malformed");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"),
                    new GCMParameterSpec(128, Arrays.copyOfRange(wrapped, 0, NONCE_LENGTH)));
            cipher.updateAAD(aad);
            return cipher.doFinal(wrapped, NONCE_LENGTH, wrapped.length - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new CryptoException("wrapped key failed authentication");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("key unwrap failed", e);
        }
    }
}
