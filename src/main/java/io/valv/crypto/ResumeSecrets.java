package io.valv.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * What a resumable upload keeps between requests that is derived from plaintext, kept under keys of that
 * material (HKDF from its data key, so crypto-erasing the material erases these too):
 * <ul>
 * <li>the key of the per-part plaintext tag (HMAC-SHA256), which commits to a part's plaintext without
 * revealing anything about it;</li>
 * <li>the plaintext received of a part that is not complete yet (the "tail"), sealed per part.</li>
 * </ul>
 */
public final class ResumeSecrets {

    private static final byte[] TAG_INFO = "valv-resume-part-tag-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL_INFO = "valv-resume-tail-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] tagKey;
    private final byte[] tailKeyMaterial;
    private final UUID materialId;

    public ResumeSecrets(byte[] dataKey, UUID materialId) {
        this.materialId = materialId;
        this.tailKeyMaterial = derive(dataKey, TAIL_INFO, materialId);
        this.tagKey = derive(dataKey, TAG_INFO, materialId);
    }

    public Mac partTag() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tagKey, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HMAC unavailable", e);
        }
    }

    /**
     * Seals the plaintext of a part that is not complete yet (the first {@code length} bytes of {@code plaintext},
     * which start at plaintext offset {@code partStart}), so that a request ending mid-part keeps its bytes without
     * any plaintext at rest. AES-256-GCM with a random nonce under a key of its own for each part (HKDF from the
     * tail key with the part's start), so a key seals at most one tail per byte of its part (2^23, far below GCM's
     * 2^32 limit for random nonces) however small the client's chunks; AAD = material id ‖ part start ‖ length, so
     * a tail cannot be moved to another upload, part or length.
     */
    public byte[] sealTail(byte[] plaintext, int length, long partStart) {
        byte[] key = tailKey(partStart);
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(tailAad(partStart, length));
            byte[] sealed = new byte[NONCE + length + 16];
            System.arraycopy(nonce, 0, sealed, 0, NONCE);
            gcm.doFinal(plaintext, 0, length, sealed, NONCE);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("tail sealing failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The plaintext {@link #sealTail} sealed for this part start; fails unless it is exactly that tail. */
    public byte[] openTail(byte[] sealed, long partStart) {
        if (sealed == null || sealed.length < NONCE + 16) {
            throw new CryptoException("tail malformed");
        }
        byte[] key = tailKey(partStart);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, NONCE));
            gcm.updateAAD(tailAad(partStart, sealed.length - NONCE - 16));
            return gcm.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("tail failed authentication", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public void destroy() {
        Arrays.fill(tagKey, (byte) 0);
        Arrays.fill(tailKeyMaterial, (byte) 0);
    }

    private byte[] tailKey(long partStart) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(tailKeyMaterial, null, ByteBuffer.allocate(8).putLong(partStart).array()));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    private byte[] tailAad(long partStart, int length) {
        return Bytes.concat(Bytes.uuid(materialId), ByteBuffer.allocate(12).putLong(partStart).putInt(length).array());
    }

    private static byte[] derive(byte[] dataKey, byte[] info, UUID materialId) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(dataKey, null, Bytes.concat(info, Bytes.uuid(materialId))));
        byte[] derived = new byte[32];
        hkdf.generateBytes(derived, 0, derived.length);
        return derived;
    }
}
