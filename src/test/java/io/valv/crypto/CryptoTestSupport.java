package io.valv.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Shared fixtures for the crypto unit tests (plain JUnit/jqwik, no Quarkus). */
final class CryptoTestSupport {

    static final int S = SegmentCipher.SEGMENT_SIZE;
    static final int CS = SegmentCipher.CIPHER_SEGMENT_SIZE;
    static final int TAG = SegmentCipher.TAG_LENGTH;

    private CryptoTestSupport() {
    }

    /** Deterministic pseudo-random bytes, so that a failing case can be reproduced. */
    static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] key(long seed) {
        return bytes(32, seed);
    }

    static StreamHeader header(long seed) {
        return new StreamHeader(StreamHeader.VERSION_1, bytes(StreamHeader.SALT_LENGTH, seed),
                bytes(StreamHeader.NONCE_PREFIX_LENGTH, ~seed));
    }

    static UUID uuid(long seed) {
        Random r = new Random(seed);
        return new UUID(r.nextLong(), r.nextLong());
    }

    /** The result of streaming a plaintext through {@link StreamEncryptor}. */
    record Encrypted(byte[] ciphertext, EncryptionResult result, List<byte[]> parts, List<Integer> partLengths) {
    }

    static Encrypted encrypt(SegmentCipher cipher, byte[] plaintext, int segmentsPerPart) throws IOException {
        return encrypt(cipher, new ByteArrayInputStream(plaintext), segmentsPerPart, Long.MAX_VALUE);
    }

    /**
     * Encrypts and concatenates the parts. The parts are collected by reference (the sink "owns" them), and
     * a copy is taken at hand-over time: the two must still agree at the end, i.e. the encryptor never
     * writes into a part it has already handed over.
     */
    static Encrypted encrypt(SegmentCipher cipher, InputStream plaintext, int segmentsPerPart, long max)
            throws IOException {
        List<byte[]> parts = new ArrayList<>();
        List<byte[]> copiesAtHandOver = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        EncryptionResult result = new StreamEncryptor(cipher, segmentsPerPart, max).encrypt(plaintext,
                (part, length) -> {
                    parts.add(part);
                    lengths.add(length);
                    copiesAtHandOver.add(Arrays.copyOf(part, length));
                });
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            byte[] now = Arrays.copyOf(parts.get(i), lengths.get(i));
            assertArrayEquals(copiesAtHandOver.get(i), now, "part " + i + " was modified after hand-over");
            for (int j = 0; j < i; j++) {
                assertTrue(parts.get(i) != parts.get(j), "part buffer " + i + " reuses buffer " + j);
            }
            all.write(now);
        }
        return new Encrypted(all.toByteArray(), result, parts, lengths);
    }

    /** Returns at most {@code max} bytes per read call. */
    static final class ShortReads extends FilterInputStream {

        private final int max;

        ShortReads(InputStream in, int max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, max));
        }
    }

    /** What a decryption wrote before it ended, and how it ended (null = success). */
    record Outcome(byte[] written, Exception failure, int unreadCiphertext) {
    }

    /**
     * Decrypts {@code [first, last]}; only {@link CryptoException} and {@link EOFException} are treated as an
     * expected failure, anything else propagates and fails the calling test.
     */
    static Outcome decrypt(SegmentCipher cipher, long claimedPlaintextLength, byte[] ciphertext, long first,
            long last) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayInputStream in = new ByteArrayInputStream(ciphertext);
        Exception failure = null;
        try {
            new RangeDecryptor(cipher, claimedPlaintextLength).decrypt(in, first, last, out);
        } catch (CryptoException | EOFException e) {
            failure = e;
        }
        return new Outcome(out.toByteArray(), failure, in.available());
    }

    static Outcome decryptAll(SegmentCipher cipher, long claimedPlaintextLength, byte[] ciphertext)
            throws IOException {
        return decrypt(cipher, claimedPlaintextLength, ciphertext, 0, claimedPlaintextLength - 1);
    }

    /**
     * The decryption failed, and what it wrote before failing is exactly the first
     * {@code authenticatedBytes} bytes of the true plaintext (whole segments that authenticated).
     */
    static void assertFailedAfterPrefix(Outcome outcome, byte[] truePlaintext, int authenticatedBytes,
            Class<? extends Exception> expectedFailure) {
        assertNotNull(outcome.failure(), "tampered ciphertext decrypted without error");
        if (expectedFailure != null) {
            assertTrue(expectedFailure.isInstance(outcome.failure()),
                    "expected " + expectedFailure.getSimpleName() + " but got " + outcome.failure());
        }
        assertPrefix(truePlaintext, outcome.written());
        assertEquals(authenticatedBytes, outcome.written().length, "bytes written before the failure");
    }

    static void assertPrefix(byte[] truePlaintext, byte[] written) {
        if (written.length > truePlaintext.length) {
            fail("wrote " + written.length + " bytes, more than the " + truePlaintext.length + " of the plaintext");
        }
        int mismatch = Arrays.mismatch(written, 0, written.length, truePlaintext, 0, written.length);
        assertEquals(-1, mismatch, "output differs from the true plaintext at offset " + mismatch);
    }

    static byte[] concat(byte[]... parts) {
        return Bytes.concat(parts);
    }

    static byte[] slice(byte[] b, long from, long toExclusive) {
        return Arrays.copyOfRange(b, Math.toIntExact(from), Math.toIntExact(toExclusive));
    }

    /** An in-test {@link CryptoConfig}. */
    record TestConfig(Map<Integer, String> masterKeys, int activeMasterKeyVersion, int warmUpMebibytes)
            implements
                CryptoConfig {

        TestConfig(Map<Integer, String> masterKeys, int activeMasterKeyVersion) {
            this(masterKeys, activeMasterKeyVersion, 0);
        }
    }
}
