package io.valv.crypto;

import static io.valv.crypto.CryptoTestSupport.CS;
import static io.valv.crypto.CryptoTestSupport.S;
import static io.valv.crypto.CryptoTestSupport.bytes;
import static io.valv.crypto.CryptoTestSupport.header;
import static io.valv.crypto.CryptoTestSupport.key;
import static io.valv.crypto.CryptoTestSupport.uuid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.valv.crypto.CryptoTestSupport.Encrypted;
import io.valv.crypto.CryptoTestSupport.Outcome;
import io.valv.crypto.CryptoTestSupport.ShortReads;

class StreamRoundTripTest {

    static Stream<Arguments> cases() {
        int[] sizes = { 0, 1, S - 1, S, S + 1, 2 * S, 3 * S + 17 };
        List<Arguments> cases = new ArrayList<>();
        for (int segmentsPerPart : new int[] { 1, 3 }) {
            for (boolean shortReads : new boolean[] { false, true }) {
                for (int size : sizes) {
                    cases.add(Arguments.of(size, segmentsPerPart, shortReads));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} bytes, {1} segment(s) per part, short reads: {2}")
    @MethodSource("cases")
    void roundTrip(int size, int segmentsPerPart, boolean shortReads) throws Exception {
        byte[] plaintext = bytes(size, size * 31L + segmentsPerPart);
        byte[] dataKey = key(size);
        StreamHeader header = header(size + 1000L);
        var objectId = uuid(size);

        InputStream source = new ByteArrayInputStream(plaintext);
        if (shortReads) {
            source = new ShortReads(source, 1000);
        }
        Encrypted enc = CryptoTestSupport.encrypt(new SegmentCipher(dataKey, header, objectId), source,
                segmentsPerPart, Long.MAX_VALUE);

        // sizes and hash
        long expectedCiphertextLength = SegmentCipher.ciphertextLength(size);
        assertEquals(size + SegmentCipher.segmentCount(size) * SegmentCipher.TAG_LENGTH, expectedCiphertextLength);
        assertEquals(expectedCiphertextLength, enc.ciphertext().length);
        assertEquals(expectedCiphertextLength, enc.result().ciphertextSize());
        assertEquals(size, enc.result().plaintextSize());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(plaintext), enc.result().sha256());

        // parts: whole segments, at most segmentsPerPart of them, all but the last exactly full
        long segments = SegmentCipher.segmentCount(size);
        List<Integer> lengths = enc.partLengths();
        assertEquals((segments + segmentsPerPart - 1) / segmentsPerPart, lengths.size(), "number of parts");
        for (int i = 0; i < lengths.size() - 1; i++) {
            int length = lengths.get(i);
            assertEquals(0, length % CS, "part " + i + " is not a whole number of cipher segments");
            assertEquals((long) segmentsPerPart * CS, length, "non-final part " + i + " is not full");
        }
        int lastPart = lengths.get(lengths.size() - 1);
        assertTrue(lastPart >= SegmentCipher.TAG_LENGTH && lastPart <= segmentsPerPart * CS,
                "final part length " + lastPart);

        // decrypt the whole range, from a short-reading stream when asked
        SegmentCipher decryptCipher = new SegmentCipher(dataKey, header, objectId);
        RangeDecryptor decryptor = new RangeDecryptor(decryptCipher, size);
        RangeDecryptor.CiphertextRange range = decryptor.ciphertextRange(0, size - 1);
        assertEquals(0, range.first());
        assertEquals(expectedCiphertextLength - 1, range.last());
        ByteArrayInputStream cipherIn = new ByteArrayInputStream(enc.ciphertext());
        InputStream in = shortReads ? new ShortReads(cipherIn, 1000) : cipherIn;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        decryptor.decrypt(in, 0, size - 1, out);
        assertArrayEquals(plaintext, out.toByteArray());
        assertEquals(0, cipherIn.available(), "decryptor left ciphertext unread");
    }

    @Test
    void ciphertextIsNotThePlaintext() throws IOException {
        byte[] plaintext = bytes(S + 100, 7);
        Encrypted enc = CryptoTestSupport.encrypt(new SegmentCipher(key(1), header(2), uuid(3)), plaintext, 1);
        // the first segment body must not contain the plaintext (ciphertext = plaintext XOR keystream)
        int equal = 0;
        for (int i = 0; i < S; i++) {
            if (enc.ciphertext()[i] == plaintext[i]) {
                equal++;
            }
        }
        assertTrue(equal < S / 128, equal + " of " + S + " bytes unchanged by encryption");
    }

    @Test
    void emptyStreamIsOneEmptyFinalSegment() throws IOException {
        Encrypted enc = CryptoTestSupport.encrypt(new SegmentCipher(key(1), header(2), uuid(3)), new byte[0], 3);
        assertEquals(SegmentCipher.TAG_LENGTH, enc.ciphertext().length);
        assertEquals(List.of(SegmentCipher.TAG_LENGTH), enc.partLengths());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(enc.result().sha256()));
        Outcome outcome = CryptoTestSupport.decryptAll(new SegmentCipher(key(1), header(2), uuid(3)), 0,
                enc.ciphertext());
        assertEquals(null, outcome.failure());
        assertEquals(0, outcome.written().length);
        // the empty final segment is still authenticated: another key's empty segment is refused
        Outcome wrongKey = CryptoTestSupport.decryptAll(new SegmentCipher(key(9), header(2), uuid(3)), 0,
                enc.ciphertext());
        assertTrue(wrongKey.failure() instanceof CryptoException);
    }

    @Test
    void encryptionResultDefendsItsHash() throws IOException {
        Encrypted enc = CryptoTestSupport.encrypt(new SegmentCipher(key(1), header(2), uuid(3)), bytes(10, 1), 1);
        byte[] hash = enc.result().sha256();
        hash[0] ^= 1;
        assertTrue(hash[0] != enc.result().sha256()[0], "EncryptionResult exposes its internal hash array");
    }

    @Test
    void exactlyMaxSizeIsAccepted() throws IOException {
        for (int max : new int[] { 0, 1000, S }) {
            Encrypted enc = CryptoTestSupport.encrypt(new SegmentCipher(key(max), header(2), uuid(3)),
                    new ByteArrayInputStream(bytes(max, max)), 1, max);
            assertEquals(max, enc.result().plaintextSize());
        }
    }

    @Test
    void oneByteOverMaxSizeIsRefused() {
        for (int max : new int[] { 0, 1000, S - 1, S, 2 * S + 5 }) {
            SegmentCipher cipher = new SegmentCipher(key(max), header(2), uuid(3));
            ByteArrayInputStream in = new ByteArrayInputStream(bytes(max + 1, max));
            assertThrows(PlaintextTooLargeException.class,
                    () -> new StreamEncryptor(cipher, 1, max).encrypt(in, (part, length) -> {
                    }), "max " + max);
        }
    }

    @Test
    void endlessStreamStopsShortlyAfterMaxSize() {
        long max = 2L * S + 5;
        CountingEndless endless = new CountingEndless();
        SegmentCipher cipher = new SegmentCipher(key(1), header(2), uuid(3));
        List<Integer> parts = new ArrayList<>();
        assertThrows(PlaintextTooLargeException.class,
                () -> new StreamEncryptor(cipher, 1, max).encrypt(endless, (part, length) -> parts.add(length)));
        // reads at most one segment (plus the one read-ahead byte) past the limit
        assertTrue(endless.count <= max + S + 1, "read " + endless.count + " bytes for a max of " + max);
        // whatever reached the sink stays within the allowance (the caller must discard it anyway)
        assertTrue(parts.stream().mapToLong(Integer::longValue).sum() <= SegmentCipher.ciphertextLength(max));
    }

    @Test
    void segmentsPerPartMustBePositive() {
        SegmentCipher cipher = new SegmentCipher(key(1), header(2), uuid(3));
        assertThrows(IllegalArgumentException.class, () -> new StreamEncryptor(cipher, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new StreamEncryptor(cipher, -1, 10));
    }

    @Test
    void sinkFailurePropagates() {
        SegmentCipher cipher = new SegmentCipher(key(1), header(2), uuid(3));
        IOException boom = new IOException("sink down");
        IOException thrown = assertThrows(IOException.class, () -> new StreamEncryptor(cipher, 1, Long.MAX_VALUE)
                .encrypt(new ByteArrayInputStream(bytes(3 * S, 1)), (part, length) -> {
                    throw boom;
                }));
        assertSame(boom, thrown);
    }

    /** An endless stream of zeros that counts what it hands out. */
    private static final class CountingEndless extends InputStream {

        long count;

        @Override
        public int read() {
            count++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = Math.min(len, 8192);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            count += n;
            return n;
        }
    }
}
