package io.valv.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) over AES-256-GCM, as documented
 * in docs/crypto.md:
 * <ul>
 * <li>segment key = HKDF-SHA256(data key, salt, "valv-stream-v1 segment key" ‖ object id);</li>
 * <li>nonce = 7-byte prefix ‖ 32-bit big-endian segment index ‖ last-segment flag (0 or 1);</li>
 * <li>AAD = header hash, and for the final segment also the 64-bit total plaintext length.</li>
 * </ul>
 * Segments are 1 MiB of plaintext followed by the 16-byte GCM tag; only the final segment may be
 * shorter (and may be empty). AES-GCM runs on the JDK provider (SunJCE, AES-NI intrinsics); input is fed
 * in 64 KiB {@code update()} chunks because a fresh JVM runs 1 MiB {@code doFinal} calls an order of
 * magnitude slower until the JIT has compiled them.
 */
public final class SegmentCipher {

    public static final int SEGMENT_SIZE = 1 << 20;
    public static final int TAG_LENGTH = 16;
    public static final int CIPHER_SEGMENT_SIZE = SEGMENT_SIZE + TAG_LENGTH;
    static final int CHUNK = 64 * 1024;
    private static final byte[] KEY_INFO = "valv-stream-v1 segment key".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec segmentKey;
    private final byte[] noncePrefix;
    private final byte[] headerHash;
    private final Cipher cipher;

    public SegmentCipher(byte[] dataKey, StreamHeader header, UUID objectId) {
        if (dataKey.length != 32) {
            throw new CryptoException("data key must be 256 bits");
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(dataKey, header.salt(), Bytes.concat(KEY_INFO, Bytes.uuid(objectId))));
        byte[] derived = new byte[32];
        hkdf.generateBytes(derived, 0, derived.length);
        this.segmentKey = new SecretKeySpec(derived, "AES");
        this.noncePrefix = header.noncePrefix();
        this.headerHash = header.hashFor(objectId);
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-GCM unavailable", e);
        }
    }

    /** Number of segments for a plaintext of this length: at least one, the final one possibly empty. */
    public static long segmentCount(long plaintextLength) {
        return Math.max(1, (plaintextLength + SEGMENT_SIZE - 1) / SEGMENT_SIZE);
    }

    public static long ciphertextLength(long plaintextLength) {
        return plaintextLength + segmentCount(plaintextLength) * TAG_LENGTH;
    }

    /** Encrypts one segment of {@code len} bytes; writes {@code len + 16} bytes to {@code out}. */
    public int encrypt(long index, boolean last, long totalPlaintextLength, byte[] in, int inOff, int len, byte[] out,
            int outOff) {
        checkSegment(index, last, len, totalPlaintextLength);
        try {
            init(Cipher.ENCRYPT_MODE, index, last, totalPlaintextLength);
            int written = 0;
            for (int pos = 0; pos < len; pos += CHUNK) {
                int n = Math.min(CHUNK, len - pos);
                written += cipher.update(in, inOff + pos, n, out, outOff + written);
            }
            written += cipher.doFinal(out, outOff + written);
            return written;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("segment encryption failed", e);
        }
    }

    /**
     * Decrypts and authenticates one segment of {@code len} ciphertext bytes; writes {@code len - 16}
     * bytes to {@code out}. Throws, and writes nothing usable, when the segment is not the one expected
     * at this index and position.
     */
    public int decrypt(long index, boolean last, long totalPlaintextLength, byte[] in, int inOff, int len, byte[] out,
            int outOff) {
        if (len < TAG_LENGTH) {
            throw new CryptoException("ciphertext segment truncated");
        }
        checkSegment(index, last, len - TAG_LENGTH, totalPlaintextLength);
        try {
            init(Cipher.DECRYPT_MODE, index, last, totalPlaintextLength);
            int written = 0;
            for (int pos = 0; pos < len; pos += CHUNK) {
                int n = Math.min(CHUNK, len - pos);
                written += cipher.update(in, inOff + pos, n, out, outOff + written);
            }
            written += cipher.doFinal(out, outOff + written);
            return written;
        } catch (AEADBadTagException e) {
            throw new CryptoException("ciphertext segment failed authentication");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("segment decryption failed", e);
        }
    }

    private static void checkSegment(long index, boolean last, int plaintextLen, long total) {
        if (index < 0 || index > 0xFFFF_FFFFL || plaintextLen > SEGMENT_SIZE || (!last && plaintextLen != SEGMENT_SIZE)) {
            throw new CryptoException("invalid segment");
        }
    }

    private void init(int mode, long index, boolean last, long totalPlaintextLength) throws GeneralSecurityException {
        byte[] nonce = ByteBuffer.allocate(12).put(noncePrefix).putInt((int) index).put((byte) (last ? 1 : 0)).array();
        cipher.init(mode, segmentKey, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        cipher.updateAAD(headerHash);
        if (last) {
            cipher.updateAAD(ByteBuffer.allocate(8).putLong(totalPlaintextLength).array());
        }
    }
}
