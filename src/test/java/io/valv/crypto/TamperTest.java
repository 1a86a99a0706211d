package io.valv.crypto;

import static io.valv.crypto.CryptoTestSupport.CS;
import static io.valv.crypto.CryptoTestSupport.S;
import static io.valv.crypto.CryptoTestSupport.TAG;
import static io.valv.crypto.CryptoTestSupport.assertFailedAfterPrefix;
import static io.valv.crypto.CryptoTestSupport.concat;
import static io.valv.crypto.CryptoTestSupport.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

import io.valv.crypto.CryptoTestSupport.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Tampering with a stored object of 3.5 segments (segments 0-2 full, segment 3 half). Every tampered
 * variant must fail, and whatever was written before the failure must be a prefix of the true plaintext
 * made of whole, authenticated segments only.
 */
class TamperTest {

    static final int LENGTH = 3 * S + S / 2;
    static final byte[] KEY = CryptoTestSupport.key(1);
    static final StreamHeader HEADER = CryptoTestSupport.header(2);
    static final UUID OBJECT_ID = CryptoTestSupport.uuid(3);
    static final byte[] PLAINTEXT = CryptoTestSupport.bytes(LENGTH, 4);
    static final byte[] CIPHERTEXT;

    static {
        try {
            CIPHERTEXT = CryptoTestSupport.encrypt(new SegmentCipher(KEY, HEADER, OBJECT_ID), PLAINTEXT, 2)
                    .ciphertext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SegmentCipher cipher() {
        return new SegmentCipher(KEY, HEADER, OBJECT_ID);
    }

    private static Outcome decryptAll(byte[] ciphertext, long claimedLength) throws IOException {
        return CryptoTestSupport.decryptAll(cipher(), claimedLength, ciphertext);
    }

    private static byte[] segment(byte[] ciphertext, int index) {
        return slice(ciphertext, (long) index * CS, Math.min((long) (index + 1) * CS, ciphertext.length));
    }

    @Example
    void untamperedObjectDecrypts() throws IOException {
        assertEquals(SegmentCipher.ciphertextLength(LENGTH), CIPHERTEXT.length);
        assertEquals(3L * CS + S / 2 + TAG, CIPHERTEXT.length);
        Outcome outcome = decryptAll(CIPHERTEXT, LENGTH);
        assertNull(outcome.failure());
        assertArrayEquals(PLAINTEXT, outcome.written());
    }

    // ---- truncation --------------------------------------------------------------------------------

    @Example
    void droppingTheFinalSegmentFails() throws IOException {
        Outcome outcome = decryptAll(slice(CIPHERTEXT, 0, 3L * CS), LENGTH);
        assertFailedAfterPrefix(outcome, PLAINTEXT, 3 * S, EOFException.class);
    }

    @Example
    void droppingTheLastByteFails() throws IOException {
        Outcome outcome = decryptAll(slice(CIPHERTEXT, 0, CIPHERTEXT.length - 1), LENGTH);
        assertFailedAfterPrefix(outcome, PLAINTEXT, 3 * S, EOFException.class);
    }

    @Example
    void droppingPartOfTheFinalSegmentFails() throws IOException {
        for (int kept : new int[] { 0, 1, TAG - 1, TAG, 1000, S / 2 }) {
            Outcome outcome = decryptAll(slice(CIPHERTEXT, 0, 3L * CS + kept), LENGTH);
            assertFailedAfterPrefix(outcome, PLAINTEXT, 3 * S, EOFException.class);
        }
    }

    @Example
    void droppingPartOfTheFinalSegmentAndClaimingTheShorterLengthFails() throws IOException {
        // The stored length is tampered along with the ciphertext: the tag is then read from the wrong
        // place and the total length in the final segment's AAD no longer matches.
        for (int dropped : new int[] { 1, TAG, 1000, S / 2 - 1, S / 2 }) {
            byte[] truncated = slice(CIPHERTEXT, 0, CIPHERTEXT.length - dropped);
            long claimed = LENGTH - dropped;
            Outcome outcome = decryptAll(truncated, claimed);
            // fails on what is now the final segment: segment 3, or segment 2 once all of 3's body is gone
            int finalSegment = (int) (SegmentCipher.segmentCount(claimed) - 1);
            assertEquals(dropped == S / 2 ? 2 : 3, finalSegment);
            if (finalSegment == 3) {
                assertEquals(SegmentCipher.ciphertextLength(claimed), truncated.length, "consistent-looking pair");
            }
            assertFailedAfterPrefix(outcome, PLAINTEXT, finalSegment * S, CryptoException.class);
        }
    }

    @Example
    void droppingTheFinalSegmentAndClaimingThePreviousOneIsFinalFails() throws IOException {
        // segment 2 was sealed with last flag 0: opening it as the final segment must fail
        Outcome outcome = decryptAll(slice(CIPHERTEXT, 0, 3L * CS), 3L * S);
        assertFailedAfterPrefix(outcome, PLAINTEXT, 2 * S, CryptoException.class);
        // the same with only the first segment kept
        Outcome single = decryptAll(slice(CIPHERTEXT, 0, CS), S);
        assertFailedAfterPrefix(single, PLAINTEXT, 0, CryptoException.class);
        // and with nothing but an empty "final segment" claimed: the first 16 bytes are no valid tag
        Outcome empty = decryptAll(slice(CIPHERTEXT, 0, TAG), 0);
        assertFailedAfterPrefix(empty, PLAINTEXT, 0, CryptoException.class);
    }

    // ---- extension ---------------------------------------------------------------------------------

    /**
     * A whole valid-looking segment appended after the final one is never read: the decryptor reads exactly
     * the segments the recorded plaintext length implies, so no extra byte comes out. It does not notice
     * the surplus either; detecting it is the service's job, which compares the stored ciphertext length
     * with {@link SegmentCipher#ciphertextLength} of the recorded plaintext length.
     */
    @Example
    void appendedSegmentNeverYieldsExtraBytes() throws IOException {
        byte[] extended = concat(CIPHERTEXT, segment(CIPHERTEXT, 1));
        Outcome outcome = decryptAll(extended, LENGTH);
        assertNull(outcome.failure());
        assertArrayEquals(PLAINTEXT, outcome.written());
        assertEquals(CS, outcome.unreadCiphertext(), "the appended segment must stay unread");
        assertNotEquals(SegmentCipher.ciphertextLength(LENGTH), extended.length,
                "the stored-length check the service relies on must see the extension");
    }

    @Example
    void appendedSegmentWithALengthClaimingItFails() throws IOException {
        byte[] extended = concat(CIPHERTEXT, segment(CIPHERTEXT, 1));
        long claimed = extended.length - 5L * TAG; // a length that would explain the stored size
        assertEquals(SegmentCipher.ciphertextLength(claimed), extended.length);
        Outcome outcome = decryptAll(extended, claimed);
        assertFailedAfterPrefix(outcome, PLAINTEXT, 3 * S, CryptoException.class);
    }

    @Example
    void appendedSegmentAfterAFullFinalSegmentIsRefusedWhenClaimed() throws IOException {
        // Object of exactly 2 segments; segment 1 (final) appended again as segment 2.
        byte[] plain = slice(PLAINTEXT, 0, 2L * S);
        SegmentCipher c = new SegmentCipher(KEY, CryptoTestSupport.header(20), OBJECT_ID);
        byte[] ct = CryptoTestSupport.encrypt(c, plain, 1).ciphertext();
        byte[] extended = concat(ct, segment(ct, 1));
        Outcome outcome = CryptoTestSupport.decryptAll(new SegmentCipher(KEY, CryptoTestSupport.header(20), OBJECT_ID),
                3L * S, extended);
        // segment 1 was sealed as final: opening it as a middle segment fails
        assertFailedAfterPrefix(outcome, plain, S, CryptoException.class);
    }

    // ---- reordering and splicing -------------------------------------------------------------------

    private static byte[] swap(byte[] ciphertext, int a, int b) {
        byte[] copy = ciphertext.clone();
        System.arraycopy(ciphertext, b * CS, copy, a * CS, CS);
        System.arraycopy(ciphertext, a * CS, copy, b * CS, CS);
        return copy;
    }

    @Example
    void swappingSegmentsFails() throws IOException {
        assertFailedAfterPrefix(decryptAll(swap(CIPHERTEXT, 0, 1), LENGTH), PLAINTEXT, 0, CryptoException.class);
        assertFailedAfterPrefix(decryptAll(swap(CIPHERTEXT, 1, 2), LENGTH), PLAINTEXT, S, CryptoException.class);
        assertFailedAfterPrefix(decryptAll(swap(CIPHERTEXT, 0, 2), LENGTH), PLAINTEXT, 0, CryptoException.class);
    }

    @Example
    void duplicatingASegmentInPlaceOfAnotherFails() throws IOException {
        byte[] copy = CIPHERTEXT.clone();
        System.arraycopy(CIPHERTEXT, 0, copy, CS, CS); // segment 0 where segment 1 belongs
        assertFailedAfterPrefix(decryptAll(copy, LENGTH), PLAINTEXT, S, CryptoException.class);
    }

    private static byte[] splice(byte[] target, byte[] donor, int index) {
        byte[] copy = target.clone();
        int from = index * CS;
        int to = Math.min(from + CS, target.length);
        System.arraycopy(donor, from, copy, from, to - from);
        return copy;
    }

    private static void assertSpliceFails(StreamHeader donorHeader, UUID donorId) throws IOException {
        // same data key and the same plaintext: only the object id / header differ
        byte[] donor = CryptoTestSupport.encrypt(new SegmentCipher(KEY, donorHeader, donorId), PLAINTEXT, 1)
                .ciphertext();
        assertEquals(CIPHERTEXT.length, donor.length);
        for (int index = 0; index < 4; index++) {
            byte[] spliced = splice(CIPHERTEXT, donor, index);
            assertFailedAfterPrefix(decryptAll(spliced, LENGTH), PLAINTEXT, index * S, CryptoException.class);
        }
    }

    @Example
    void segmentFromAnotherObjectWithTheSameDataKeyAndHeaderFails() throws IOException {
        assertSpliceFails(HEADER, CryptoTestSupport.uuid(99));
    }

    @Example
    void segmentFromAnotherObjectWithTheSameDataKeyAndADifferentHeaderFails() throws IOException {
        assertSpliceFails(CryptoTestSupport.header(98), CryptoTestSupport.uuid(99));
    }

    @Example
    void segmentEncryptedUnderADifferentHeaderForTheSameObjectFails() throws IOException {
        // a re-upload of the same object id gets a fresh header; old segments must not fit the new one
        assertSpliceFails(CryptoTestSupport.header(98), OBJECT_ID);
        // differing only in the salt (same nonce prefix) ...
        assertSpliceFails(new StreamHeader(StreamHeader.VERSION_1, CryptoTestSupport.bytes(32, 97),
                HEADER.noncePrefix()), OBJECT_ID);
        // ... or only in the nonce prefix (same salt, so the same segment key)
        assertSpliceFails(new StreamHeader(StreamHeader.VERSION_1, HEADER.salt(), CryptoTestSupport.bytes(7, 96)),
                OBJECT_ID);
    }

    // ---- wrong recorded length ---------------------------------------------------------------------

    @Example
    void wrongTotalPlaintextLengthFailsOnTheFinalSegment() throws IOException {
        // one byte short: the tag is read one byte early
        assertFailedAfterPrefix(decryptAll(CIPHERTEXT, LENGTH - 1), PLAINTEXT, 3 * S, CryptoException.class);
        // one byte long: there is no byte left to read
        assertFailedAfterPrefix(decryptAll(CIPHERTEXT, LENGTH + 1), PLAINTEXT, 3 * S, EOFException.class);
        // one byte long with a junk byte appended to make the read succeed
        assertFailedAfterPrefix(decryptAll(concat(CIPHERTEXT, new byte[1]), LENGTH + 1), PLAINTEXT, 3 * S,
                CryptoException.class);
        // claiming a full final segment
        assertFailedAfterPrefix(decryptAll(CIPHERTEXT, 4L * S), PLAINTEXT, 3 * S, EOFException.class);
    }

    @Example
    void wrongTotalLengthFailsForARangeInTheFinalSegmentOnly() throws IOException {
        long claimed = LENGTH - 1;
        RangeDecryptor.CiphertextRange range = new RangeDecryptor(cipher(), claimed).ciphertextRange(3L * S,
                claimed - 1);
        byte[] slice = slice(CIPHERTEXT, range.first(), CIPHERTEXT.length);
        Outcome outcome = CryptoTestSupport.decrypt(cipher(), claimed, slice, 3L * S, claimed - 1);
        assertFailedAfterPrefix(outcome, new byte[0], 0, CryptoException.class);
    }

    /**
     * The total length is authenticated by the final segment only (by design): a range read that does not
     * reach the final segment neither needs nor checks it. Documented here so that a change is noticed.
     */
    @Example
    void rangeNotReachingTheFinalSegmentDoesNotCheckTheTotalLength() throws IOException {
        long claimed = LENGTH - 1;
        Outcome outcome = CryptoTestSupport.decrypt(cipher(), claimed, CIPHERTEXT, 0, S - 1);
        assertNull(outcome.failure());
        assertArrayEquals(slice(PLAINTEXT, 0, S), outcome.written());
    }

    /** Range reads authenticate the segments they fetch: damage elsewhere is neither seen nor needed. */
    @Example
    void rangeReadAuthenticatesOnlyTheSegmentsItFetches() throws IOException {
        byte[] damaged = CIPHERTEXT.clone();
        damaged[2 * CS + 10] ^= 1;
        Outcome clean = CryptoTestSupport.decrypt(cipher(), LENGTH, damaged, 0, 2L * S - 1);
        assertNull(clean.failure());
        assertArrayEquals(slice(PLAINTEXT, 0, 2L * S), clean.written());
        byte[] fromSegment2 = slice(damaged, 2L * CS, damaged.length);
        Outcome hit = CryptoTestSupport.decrypt(cipher(), LENGTH, fromSegment2, 2L * S, LENGTH - 1);
        assertFailedAfterPrefix(hit, new byte[0], 0, CryptoException.class);
    }

    // ---- single bit flips --------------------------------------------------------------------------

    enum Region {
        HEADER,
        TAG,
        BODY,
        ANYWHERE
    }

    /** A bit flip: in the encoded stream header, or at a ciphertext position. */
    record Flip(Region region, int position, int bit) {

        /** Segment whose authentication must fail (the header spoils segment 0 already). */
        int segment() {
            return region == Region.HEADER ? 0 : position / CS;
        }
    }

    @Provide
    Arbitrary<Flip> flips() {
        Arbitrary<Integer> bits = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> segments = Arbitraries.integers().between(0, 3);
        Arbitrary<Flip> header = Combinators.combine(Arbitraries.integers().between(0, StreamHeader.ENCODED_LENGTH - 1),
                bits).as((p, b) -> new Flip(Region.HEADER, p, b));
        Arbitrary<Flip> tag = Combinators.combine(segments, Arbitraries.integers().between(0, TAG - 1), bits)
                .as((s, o, b) -> new Flip(Region.TAG, segmentEnd(s) - TAG + o, b));
        Arbitrary<Flip> body = Combinators.combine(segments, Arbitraries.integers().between(0, S - 1), bits)
                .as((s, o, b) -> new Flip(Region.BODY, s * CS + o % (segmentEnd(s) - s * CS - TAG), b));
        Arbitrary<Flip> anywhere = Combinators.combine(Arbitraries.integers().between(0, CIPHERTEXT.length - 1), bits)
                .as((p, b) -> new Flip(Region.ANYWHERE, p, b));
        return Arbitraries.frequencyOf(Tuple.of(1, header), Tuple.of(1, tag), Tuple.of(1, body), Tuple.of(2, anywhere));
    }

    private static int segmentEnd(int segment) {
        return Math.min((segment + 1) * CS, CIPHERTEXT.length);
    }

    @Property(tries = 100)
    void anySingleBitFlipIsDetected(@ForAll("flips") Flip flip) throws IOException {
        Outcome outcome;
        if (flip.region() == Region.HEADER) {
            byte[] encoded = HEADER.encode();
            encoded[flip.position()] ^= (byte) (1 << flip.bit());
            if (flip.position() == 0) {
                // the version byte: the header itself is refused before any decryption
                assertThrows(CryptoException.class, () -> StreamHeader.decode(encoded));
                return;
            }
            SegmentCipher tampered = new SegmentCipher(KEY, StreamHeader.decode(encoded), OBJECT_ID);
            outcome = CryptoTestSupport.decryptAll(tampered, LENGTH, CIPHERTEXT);
        } else {
            byte[] ciphertext = CIPHERTEXT.clone();
            ciphertext[flip.position()] ^= (byte) (1 << flip.bit());
            outcome = decryptAll(ciphertext, LENGTH);
        }
        assertFailedAfterPrefix(outcome, PLAINTEXT, flip.segment() * S, CryptoException.class);
    }

    @Example
    void versionByteFlipsRefuseTheHeader() {
        byte[] encoded = HEADER.encode();
        for (int bit = 0; bit < 8; bit++) {
            byte[] tampered = encoded.clone();
            tampered[0] ^= (byte) (1 << bit);
            byte[] t = tampered;
            assertThrows(CryptoException.class, () -> StreamHeader.decode(t));
        }
    }

    @Example
    void otherObjectIdOrDataKeyFailsOnTheFirstSegment() throws IOException {
        Outcome otherId = CryptoTestSupport.decryptAll(new SegmentCipher(KEY, HEADER, CryptoTestSupport.uuid(5)),
                LENGTH, CIPHERTEXT);
        assertFailedAfterPrefix(otherId, PLAINTEXT, 0, CryptoException.class);
        byte[] otherKey = KEY.clone();
        otherKey[31] ^= 1;
        Outcome wrongKey = CryptoTestSupport.decryptAll(new SegmentCipher(otherKey, HEADER, OBJECT_ID), LENGTH,
                CIPHERTEXT);
        assertFailedAfterPrefix(wrongKey, PLAINTEXT, 0, CryptoException.class);
        assertTrue(wrongKey.written().length == 0);
    }
}
