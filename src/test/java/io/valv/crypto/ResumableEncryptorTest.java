package io.valv.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * A resumable upload, sent in pieces and resumed from the digest state at its last whole part (or without one, as
 * on a replica that does not have it), writes exactly the ciphertext a one-shot upload writes, and the standard
 * SHA-256.
 */
class ResumableEncryptorTest {

    private static final int MIB = SegmentCipher.SEGMENT_SIZE;
    private static final int SEGMENTS_PER_PART = 2;

    @Test
    void resumedPiecesEqualTheOneShotCiphertextAtEverySize() throws IOException {
        for (int size : new int[] { 0, 1, MIB - 1, MIB, MIB + 1, 2 * MIB, 2 * MIB + 1, 4 * MIB, 5 * MIB + 17 }) {
            byte[] plaintext = new byte[size];
            new Random(size).nextBytes(plaintext);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            StreamHeader header = StreamHeader.random(new SecureRandom());
            UUID id = UUID.randomUUID();

            ByteArrayOutputStream oneShot = new ByteArrayOutputStream();
            EncryptionResult result = new StreamEncryptor(new SegmentCipher(key, header, id), SEGMENTS_PER_PART, size)
                    .encrypt(new ByteArrayInputStream(plaintext), (part, length) -> oneShot.write(part, 0, length));

            ResumeSecrets secrets = new ResumeSecrets(key, id);
            ByteArrayOutputStream resumed = new ByteArrayOutputStream();
            List<byte[]> tags = new ArrayList<>();
            long offset = 0;
            MessageDigest kept = Digests.sha256();
            int request = 0;
            // each request carries one and a half parts: it keeps one, the client resends the rest; the second
            // request has no digest (it came to another replica), so the ciphertext must not depend on one
            do {
                int end = (int) Math.min(size, offset + 3L * MIB);
                MessageDigest digest = request++ == 1 ? null : kept;
                // a fresh cipher per request, as each PATCH has (the JDK refuses one GCM instance the same nonce twice)
                ResumableEncryptor encryptor = new ResumableEncryptor(new SegmentCipher(key, header, id),
                        SEGMENTS_PER_PART, size, secrets.partTag());
                long start = offset;
                long[] reached = { start };
                MessageDigest[] state = { digest };
                offset = encryptor.encrypt(new ByteArrayInputStream(Arrays.copyOfRange(plaintext, (int) start, end)), start,
                        digest, (number, from, to, tag, ciphertext, length) -> {
                            resumed.write(ciphertext, 0, length);
                            tags.add(tag);
                            state[0] = digest == null ? null : copy(digest);
                            reached[0] = to;
                        });
                assertEquals(reached[0], offset);
                kept = state[0];
                if (offset == size && kept != null) {
                    assertArrayEquals(result.sha256(), kept.digest(), "sha256 at size " + size);
                }
            } while (offset < size);
            assertArrayEquals(oneShot.toByteArray(), resumed.toByteArray(), "ciphertext at size " + size);
            assertEquals(SegmentCipher.segmentCount(size) == 0 ? 1 : (SegmentCipher.segmentCount(size) + 1) / 2,
                    tags.size());
        }
    }

    @Test
    void aPartTagCommitsToItsPlaintext() throws IOException {
        byte[] key = new byte[32];
        UUID id = UUID.randomUUID();
        ResumeSecrets secrets = new ResumeSecrets(key, id);
        StreamHeader header = StreamHeader.random(new SecureRandom());
        byte[] a = new byte[2 * MIB];
        byte[] b = a.clone();
        b[12345] ^= 1;
        byte[] tagA = firstTag(secrets, header, id, a);
        byte[] tagB = firstTag(secrets, header, id, b);
        assertEquals(false, MessageDigest.isEqual(tagA, tagB));
        assertArrayEquals(tagA, firstTag(secrets, header, id, a.clone()));
        assertEquals(false, MessageDigest.isEqual(tagA, firstTag(new ResumeSecrets(key, UUID.randomUUID()), header, id, a)),
                "the tag key is the material's own");
    }

    @Test
    void tooManyBytesAreRefusedBeforeTheLastPartIsHandedOver() {
        byte[] key = new byte[32];
        UUID id = UUID.randomUUID();
        ResumeSecrets secrets = new ResumeSecrets(key, id);
        ResumableEncryptor encryptor = new ResumableEncryptor(
                new SegmentCipher(key, StreamHeader.random(new SecureRandom()), id), SEGMENTS_PER_PART, 10,
                secrets.partTag());
        List<Integer> parts = new ArrayList<>();
        assertThrows(PlaintextTooLargeException.class, () -> encryptor.encrypt(new ByteArrayInputStream(new byte[11]), 0,
                Digests.sha256(), (n, from, to, tag, c, l) -> parts.add(n)));
        assertEquals(List.of(), parts);
    }

    private static byte[] firstTag(ResumeSecrets secrets, StreamHeader header, UUID id, byte[] plaintext)
            throws IOException {
        byte[][] tag = new byte[1][];
        new ResumableEncryptor(new SegmentCipher(new byte[32], header, id), SEGMENTS_PER_PART, plaintext.length,
                secrets.partTag()).encrypt(new ByteArrayInputStream(plaintext), 0, Digests.sha256(),
                        (n, from, to, t, c, l) -> tag[0] = t);
        return tag[0];
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
