package io.valv.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The sealed tail of an unfinished part: opens only as itself, for its material and part, and hides its bytes. */
class ResumeSecretsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PART_START = 16L << 20;

    @Test
    void aTailOpensAsItWasSealed() {
        byte[] key = random(32);
        UUID material = UUID.randomUUID();
        byte[] buffer = random(5000);
        ResumeSecrets secrets = new ResumeSecrets(key, material);
        byte[] sealed = secrets.sealTail(buffer, 3000, PART_START);
        assertArrayEquals(Arrays.copyOf(buffer, 3000), new ResumeSecrets(key, material).openTail(sealed, PART_START));
        assertFalse(Arrays.equals(sealed, secrets.sealTail(buffer, 3000, PART_START)), "a fresh nonce every time");
    }

    @Test
    void aTailCannotBeMovedToAnotherPartMaterialOrKeyNorAltered() {
        byte[] key = random(32);
        UUID material = UUID.randomUUID();
        byte[] sealed = new ResumeSecrets(key, material).sealTail(random(100), 100, PART_START);
        assertThrows(CryptoException.class, () -> new ResumeSecrets(key, material).openTail(sealed, PART_START + (8 << 20)));
        assertThrows(CryptoException.class, () -> new ResumeSecrets(key, UUID.randomUUID()).openTail(sealed, PART_START));
        assertThrows(CryptoException.class, () -> new ResumeSecrets(random(32), material).openTail(sealed, PART_START));
        for (int i : new int[] { 0, 12, sealed.length - 1 }) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 1;
            assertThrows(CryptoException.class, () -> new ResumeSecrets(key, material).openTail(tampered, PART_START));
        }
        byte[] truncated = Arrays.copyOf(sealed, sealed.length - 1);
        assertThrows(CryptoException.class, () -> new ResumeSecrets(key, material).openTail(truncated, PART_START));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
