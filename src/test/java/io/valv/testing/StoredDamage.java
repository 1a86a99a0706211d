package io.valv.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Damages a material's stored ciphertext in S3Proxy directly (bypassing Valv), as corruption in the store or
 * an attacker with write access to the bucket would. Segments are 1 MiB of plaintext plus a 16-byte tag.
 */
public final class StoredDamage {

    public static final int CIPHER_SEGMENT = (1 << 20) + 16;

    private StoredDamage() {
    }

    public static String objectKey(String materialId) {
        try (Connection c = Database.connect();
                PreparedStatement s = c.prepareStatement("select object_key from material where id = ?::uuid")) {
            s.setString(1, materialId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no material " + materialId);
                }
                return r.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] ciphertext(String materialId) {
        try (S3Client s3 = S3ProxyResource.client()) {
            return s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(objectKey(materialId))).asByteArray();
        }
    }

    public static void replace(String materialId, byte[] ciphertext) {
        try (S3Client s3 = S3ProxyResource.client()) {
            s3.putObject(b -> b.bucket(S3ProxyResource.BUCKET).key(objectKey(materialId)), RequestBody.fromBytes(ciphertext));
        }
    }

    public static void flipByte(String materialId, long offset) {
        byte[] c = ciphertext(materialId);
        c[(int) offset] ^= 0x01;
        replace(materialId, c);
    }

    public static void truncate(String materialId, int length) {
        replace(materialId, Arrays.copyOf(ciphertext(materialId), length));
    }

    /** Swaps two whole (non-final) segments: each still authentic on its own, but in the wrong place. */
    public static void swapSegments(String materialId, int a, int b) {
        byte[] c = ciphertext(materialId);
        byte[] tmp = Arrays.copyOfRange(c, a * CIPHER_SEGMENT, (a + 1) * CIPHER_SEGMENT);
        System.arraycopy(c, b * CIPHER_SEGMENT, c, a * CIPHER_SEGMENT, CIPHER_SEGMENT);
        System.arraycopy(tmp, 0, c, b * CIPHER_SEGMENT, CIPHER_SEGMENT);
        replace(materialId, c);
    }
}
