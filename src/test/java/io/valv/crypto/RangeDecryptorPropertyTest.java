package io.valv.crypto;

import static io.valv.crypto.CryptoTestSupport.CS;
import static io.valv.crypto.CryptoTestSupport.S;
import static io.valv.crypto.CryptoTestSupport.TAG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.valv.crypto.CryptoTestSupport.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

class RangeDecryptorPropertyTest {

    /** Largest plaintext tried: four and a half segments and a bit. */
    static final int MAX_SIZE = 4 * S + S / 2 + 3;
    private static final byte[] PLAINTEXT = CryptoTestSupport.bytes(MAX_SIZE, 42);
    private static final byte[] KEY = CryptoTestSupport.key(43);
    private static final UUID OBJECT_ID = CryptoTestSupport.uuid(44);

    /** Encrypted objects by plaintext size (a few kept, as jqwik repeats edge sizes). */
    private static final Map<Integer, byte[]> CIPHERTEXTS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > 6;
        }
    };

    record Case(int size, long first, long last) {
    }

    /** Each size gets its own header, so that no (key, header, object) triple encrypts two plaintexts. */
    private static SegmentCipher cipher(int size) {
        return new SegmentCipher(KEY, CryptoTestSupport.header(size), OBJECT_ID);
    }

    private static synchronized byte[] ciphertext(int size) throws IOException {
        byte[] ct = CIPHERTEXTS.get(size);
        if (ct == null) {
            ct = CryptoTestSupport.encrypt(cipher(size), CryptoTestSupport.slice(PLAINTEXT, 0, size), 2)
                    .ciphertext();
            CIPHERTEXTS.put(size, ct);
        }
        return ct;
    }

    @Provide
    Arbitrary<Case> ranges() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, MAX_SIZE)),
                Tuple.of(2, nearBoundary(0, MAX_SIZE).map(Math::toIntExact)));
        return sizes.flatMap(size -> {
            if (size == 0) {
                return Arbitraries.just(new Case(0, 0, -1));
            }
            return position(0, size - 1)
                    .flatMap(first -> position(first, size - 1).map(last -> new Case(size, first, last)));
        });
    }

    /** A position in [lo, hi]: uniform, or just around a segment boundary. */
    private static Arbitrary<Long> position(long lo, long hi) {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.longs().between(lo, hi)), Tuple.of(1, nearBoundary(lo, hi)));
    }

    private static Arbitrary<Long> nearBoundary(long lo, long hi) {
        return Arbitraries.longs().between(lo / S, hi / S + 1)
                .flatMap(k -> Arbitraries.of(-1L, 0L, 1L).map(d -> Math.max(lo, Math.min(hi, k * S + d))));
    }

    @Property(tries = 60)
    void rangeDecryptsExactlyThePlaintextSliceFromItsCiphertextRange(@ForAll("ranges") Case c) throws IOException {
        byte[] ciphertext = ciphertext(c.size());
        RangeDecryptor decryptor = new RangeDecryptor(cipher(c.size()), c.size());
        RangeDecryptor.CiphertextRange range = decryptor.ciphertextRange(c.first(), c.last());

        // the range covers exactly the segments holding first..last, never more
        long firstSegment = c.first() / S;
        long lastSegment = c.size() == 0 ? 0 : c.last() / S;
        long firstSegmentStart = firstSegment * CS;
        long lastSegmentEnd = Math.min((lastSegment + 1) * CS, ciphertext.length) - 1;
        assertTrue(range.first() >= firstSegmentStart, "range starts before the segment holding first");
        assertTrue(range.last() <= lastSegmentEnd, "range extends past the segment holding last");
        assertEquals(firstSegmentStart, range.first(), "range misses the start of the first segment");
        assertEquals(lastSegmentEnd, range.last(), "range misses the end of the last segment");
        assertEquals(range.last() - range.first() + 1, range.length());
        assertEquals(RangeDecryptor.ciphertextOffset(c.first()), range.first());
        assertTrue(range.last() < ciphertext.length);

        // decrypting only that slice yields exactly the plaintext slice, and consumes the whole slice
        byte[] slice = CryptoTestSupport.slice(ciphertext, range.first(), range.last() + 1);
        Outcome outcome = CryptoTestSupport.decrypt(cipher(c.size()), c.size(), slice, c.first(), c.last());
        assertNull(outcome.failure(), () -> "valid range failed: " + outcome.failure());
        assertArrayEquals(CryptoTestSupport.slice(PLAINTEXT, c.first(), c.last() + 1), outcome.written());
        assertEquals(0, outcome.unreadCiphertext(), "decryptor did not read the whole ciphertext range");
    }

    @Property(tries = 30)
    void ciphertextRangeHoldsExactlyTheWholeSegmentsNeeded(@ForAll @IntRange(min = 1, max = MAX_SIZE) int size,
            @ForAll @IntRange(min = 0, max = MAX_SIZE) int a, @ForAll @IntRange(min = 0, max = MAX_SIZE) int b) {
        long first = Math.min(a, b) % size;
        long last = Math.max(first, Math.max(a, b) % size);
        RangeDecryptor.CiphertextRange range = new RangeDecryptor(cipher(size), size).ciphertextRange(first, last);
        long ciphertextLength = SegmentCipher.ciphertextLength(size);
        // the range holds whole segments: it starts on a segment boundary and ends on one or at the end
        assertEquals(0, range.first() % CS);
        assertTrue((range.last() + 1) % CS == 0 || range.last() == ciphertextLength - 1);
        // ... and its plaintext counterpart contains [first, last]
        long plainFrom = range.first() / CS * S;
        long plainTo = range.last() == ciphertextLength - 1 ? size - 1 : (range.last() + 1) / CS * S - 1;
        assertTrue(plainFrom <= first && last <= plainTo);
        assertTrue(first - plainFrom < S && plainTo - last < S, "range holds a segment it does not need");
    }

    @Example
    void sliceMissingItsLastByteFails() throws IOException {
        int size = 2 * S + 100;
        byte[] ciphertext = ciphertext(size);
        RangeDecryptor.CiphertextRange range = new RangeDecryptor(cipher(size), size).ciphertextRange(S + 5, S + 10);
        assertEquals(CS, range.first());
        assertEquals(2L * CS - 1, range.last());
        byte[] shortSlice = CryptoTestSupport.slice(ciphertext, range.first(), range.last());
        Outcome outcome = CryptoTestSupport.decrypt(cipher(size), size, shortSlice, S + 5, S + 10);
        assertTrue(outcome.failure() instanceof EOFException, () -> "got " + outcome.failure());
        assertEquals(0, outcome.written().length);
    }

    @Example
    void sliceStartingAtTheWrongSegmentFails() throws IOException {
        int size = 3 * S;
        byte[] ciphertext = ciphertext(size);
        // the caller positions the stream one segment too early: segment 0 is decrypted as segment 1
        byte[] wrongSlice = CryptoTestSupport.slice(ciphertext, 0, 2L * CS);
        Outcome outcome = CryptoTestSupport.decrypt(cipher(size), size, wrongSlice, S, 2L * S - 1);
        assertTrue(outcome.failure() instanceof CryptoException, () -> "got " + outcome.failure());
        assertEquals(0, outcome.written().length);
    }

    @Example
    void emptyObjectHasOneTagOnlySegment() throws IOException {
        RangeDecryptor decryptor = new RangeDecryptor(cipher(0), 0);
        RangeDecryptor.CiphertextRange range = decryptor.ciphertextRange(0, -1);
        assertEquals(0, range.first());
        assertEquals(TAG - 1, range.last());
        assertThrows(IllegalArgumentException.class, () -> decryptor.ciphertextRange(0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> decryptor.decrypt(new ByteArrayInputStream(ciphertext(0)), 0, 0, new ByteArrayOutputStream()));
    }

    @Example
    void rangesOutsideThePlaintextAreRejected() {
        int size = S + 10;
        RangeDecryptor decryptor = new RangeDecryptor(cipher(size), size);
        long[][] bad = { { -1, 0 }, { 5, 4 }, { 0, size }, { size, size }, { 0, -1 }, { -5, -1 } };
        for (long[] r : bad) {
            assertThrows(IllegalArgumentException.class, () -> decryptor.ciphertextRange(r[0], r[1]),
                    () -> "ciphertextRange(" + r[0] + ", " + r[1] + ")");
            assertThrows(IllegalArgumentException.class,
                    () -> decryptor.decrypt(new ByteArrayInputStream(new byte[0]), r[0], r[1],
                            new ByteArrayOutputStream()),
                    () -> "decrypt(" + r[0] + ", " + r[1] + ")");
        }
    }

    @Example
    void ciphertextOffsetIsTheStartOfTheHoldingSegment() {
        assertEquals(0, RangeDecryptor.ciphertextOffset(0));
        assertEquals(0, RangeDecryptor.ciphertextOffset(S - 1));
        assertEquals(CS, RangeDecryptor.ciphertextOffset(S));
        assertEquals(3L * CS, RangeDecryptor.ciphertextOffset(3L * S + 17));
        // large objects: no int overflow
        assertEquals(5000L * CS, RangeDecryptor.ciphertextOffset(5000L * S));
    }
}
