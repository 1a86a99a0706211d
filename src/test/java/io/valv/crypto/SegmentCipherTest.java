package io.valv.crypto;

import static io.valv.crypto.CryptoTestSupport.CS;
import static io.valv.crypto.CryptoTestSupport.S;
import static io.valv.crypto.CryptoTestSupport.TAG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class SegmentCipherTest {

    static final byte[] KEY = CryptoTestSupport.key(1);
    static final StreamHeader HEADER = CryptoTestSupport.header(2);
    static final UUID ID = CryptoTestSupport.uuid(3);

    /** Seals one segment and returns exactly the bytes written. */
    private static byte[] seal(SegmentCipher cipher, long index, boolean last, long total, byte[] plain) {
        byte[] out = new byte[plain.length + TAG];
        int n = cipher.encrypt(index, last, total, plain, 0, plain.length, out, 0);
        assertEquals(plain.length + TAG, n);
        return out;
    }

    private static byte[] open(SegmentCipher cipher, long index, boolean last, long total, byte[] sealed) {
        byte[] out = new byte[sealed.length];
        int n = cipher.decrypt(index, last, total, sealed, 0, sealed.length, out, 0);
        assertEquals(sealed.length - TAG, n);
        return Arrays.copyOf(out, n);
    }

    private static byte[] body(byte[] sealed) {
        return Arrays.copyOf(sealed, sealed.length - TAG);
    }

    // ---- conformance with the documented construction ----------------------------------------------

    /** HKDF-SHA256 (RFC 5869) for one output block, written against the JDK's HMAC only. */
    private static byte[] hkdf32(byte[] ikm, byte[] salt, byte[] info) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return mac.doFinal();
    }

    private static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    /** An independent implementation of docs/crypto.md's segment format. */
    private static byte[] referenceSeal(byte[] dataKey, StreamHeader header, UUID id, long index, boolean last,
            long total, byte[] plain) throws Exception {
        byte[] info = CryptoTestSupport.concat("valv-stream-v1 segment key".getBytes(StandardCharsets.US_ASCII),
                uuidBytes(id));
        byte[] segmentKey = hkdf32(dataKey, header.salt(), info);
        byte[] headerHash = MessageDigest.getInstance("SHA-256").digest(CryptoTestSupport.concat(
                "valv-stream-header-v1".getBytes(StandardCharsets.US_ASCII), header.encode(), uuidBytes(id)));
        byte[] nonce = ByteBuffer.allocate(12).put(header.noncePrefix()).putInt((int) index)
                .put((byte) (last ? 1 : 0)).array();
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(segmentKey, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(headerHash);
        if (last) {
            gcm.updateAAD(ByteBuffer.allocate(8).putLong(total).array());
        }
        return gcm.doFinal(plain);
    }

    @Test
    void matchesAnIndependentImplementationOfTheDocumentedFormat() throws Exception {
        byte[] full = CryptoTestSupport.bytes(S, 5);
        byte[] small = CryptoTestSupport.bytes(100, 6);
        assertArrayEquals(referenceSeal(KEY, HEADER, ID, 0, false, 0, full),
                seal(new SegmentCipher(KEY, HEADER, ID), 0, false, 0, full));
        assertArrayEquals(referenceSeal(KEY, HEADER, ID, 5, true, 5L * S + 100, small),
                seal(new SegmentCipher(KEY, HEADER, ID), 5, true, 5L * S + 100, small));
        assertArrayEquals(referenceSeal(KEY, HEADER, ID, 0xFFFF_FFFFL, true, 0xFFFF_FFFFL * S, new byte[0]),
                seal(new SegmentCipher(KEY, HEADER, ID), 0xFFFF_FFFFL, true, 0xFFFF_FFFFL * S, new byte[0]));
        assertArrayEquals(referenceSeal(KEY, HEADER, ID, 0x0102_0304L, false, 0, full),
                seal(new SegmentCipher(KEY, HEADER, ID), 0x0102_0304L, false, 0, full));
    }

    /**
     * Decryption (AES-CTR keystream from J0+1 plus a recomputed GCM tag) must open exactly what a plain
     * JDK AES-GCM encryption of the documented format produced: lengths around the 16-byte block and the
     * update-chunk size, a full segment, the largest index, and non-zero buffer offsets on both sides.
     */
    @Test
    void opensWhatAnIndependentGcmImplementationSealed() throws Exception {
        int chunk = SegmentCipher.CHUNK;
        int[] lengths = { 0, 1, 15, 16, 17, chunk - 1, chunk, chunk + 1, 3 * chunk + 5, S - 1, S };
        long[] indices = { 0, 1, 0x0102_0304L, 0xFFFF_FFFFL };
        for (int length : lengths) {
            for (long index : indices) {
                boolean last = length != S || index == 0xFFFF_FFFFL;
                long total = last ? index * S + length : 0;
                byte[] plain = CryptoTestSupport.bytes(length, length * 31L + index);
                byte[] sealed = referenceSeal(KEY, HEADER, ID, index, last, total, plain);
                int inOff = 7;
                int outOff = 13;
                byte[] in = new byte[inOff + sealed.length + 5];
                System.arraycopy(sealed, 0, in, inOff, sealed.length);
                byte[] out = new byte[outOff + sealed.length + 5];
                Arrays.fill(out, (byte) 0x5A);
                int n = new SegmentCipher(KEY, HEADER, ID).decrypt(index, last, total, in, inOff, sealed.length, out,
                        outOff);
                String what = "length " + length + ", index " + index;
                assertEquals(length, n, what);
                assertArrayEquals(plain, Arrays.copyOfRange(out, outOff, outOff + length), what);
                // nothing written outside [outOff, outOff + length)
                for (int i = 0; i < outOff; i++) {
                    assertEquals((byte) 0x5A, out[i], what + ": wrote before outOff");
                }
                for (int i = outOff + length; i < out.length; i++) {
                    assertEquals((byte) 0x5A, out[i], what + ": wrote past the plaintext");
                }
                // and SegmentCipher's own encryption, at offsets, gives the same bytes
                byte[] plainAt = new byte[3 + length];
                System.arraycopy(plain, 0, plainAt, 3, length);
                byte[] sealedAt = new byte[11 + sealed.length];
                assertEquals(sealed.length, new SegmentCipher(KEY, HEADER, ID).encrypt(index, last, total, plainAt, 3,
                        length, sealedAt, 11));
                assertArrayEquals(sealed, Arrays.copyOfRange(sealedAt, 11, sealedAt.length), what);
            }
        }
    }

    @Test
    void headerHashBindsHeaderAndObject() {
        byte[] hash = HEADER.hashFor(ID);
        assertEquals(32, hash.length);
        assertArrayEquals(hash, StreamHeader.decode(HEADER.encode()).hashFor(ID));
        assertFalse(Arrays.equals(hash, HEADER.hashFor(CryptoTestSupport.uuid(4))));
        assertFalse(Arrays.equals(hash, CryptoTestSupport.header(5).hashFor(ID)));
    }

    // ---- key derivation ----------------------------------------------------------------------------

    @Test
    void derivedKeyDiffersPerObjectIdAndPerSalt() {
        byte[] plain = CryptoTestSupport.bytes(4096, 7);
        byte[] base = seal(new SegmentCipher(KEY, HEADER, ID), 0, true, plain.length, plain);
        // deterministic for the same (data key, header, object id)
        assertArrayEquals(base, seal(new SegmentCipher(KEY, HEADER, ID), 0, true, plain.length, plain));

        // With the nonce unchanged, a different body (not only a different tag) means a different keystream,
        // i.e. a different segment key.
        byte[] otherId = seal(new SegmentCipher(KEY, HEADER, CryptoTestSupport.uuid(4)), 0, true, plain.length, plain);
        assertFalse(Arrays.equals(body(base), body(otherId)), "object id does not reach the key derivation");

        StreamHeader otherSalt = new StreamHeader(StreamHeader.VERSION_1, CryptoTestSupport.bytes(32, 8),
                HEADER.noncePrefix());
        byte[] saltChanged = seal(new SegmentCipher(KEY, otherSalt, ID), 0, true, plain.length, plain);
        assertFalse(Arrays.equals(body(base), body(saltChanged)), "salt does not reach the key derivation");

        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        byte[] keyChanged = seal(new SegmentCipher(otherKey, HEADER, ID), 0, true, plain.length, plain);
        assertFalse(Arrays.equals(body(base), body(keyChanged)));

        // and each is refused by the others
        assertThrows(CryptoException.class,
                () -> open(new SegmentCipher(KEY, HEADER, CryptoTestSupport.uuid(4)), 0, true, plain.length, base));
        assertThrows(CryptoException.class,
                () -> open(new SegmentCipher(KEY, otherSalt, ID), 0, true, plain.length, base));
        assertArrayEquals(plain, open(new SegmentCipher(KEY, HEADER, ID), 0, true, plain.length, base));
    }

    @Test
    void nonceDependsOnIndexAndLastFlag() {
        byte[] plain = CryptoTestSupport.bytes(S, 9);
        byte[] at0 = seal(new SegmentCipher(KEY, HEADER, ID), 0, false, 0, plain);
        byte[] at1 = seal(new SegmentCipher(KEY, HEADER, ID), 1, false, 0, plain);
        byte[] at0Last = seal(new SegmentCipher(KEY, HEADER, ID), 0, true, S, plain);
        assertFalse(Arrays.equals(body(at0), body(at1)), "index is not in the nonce");
        assertFalse(Arrays.equals(body(at0), body(at0Last)), "last flag is not in the nonce");
        // the total length is AAD only: same keystream, different tag
        byte[] totalA = seal(new SegmentCipher(KEY, HEADER, ID), 0, true, 10, Arrays.copyOf(plain, 10));
        byte[] totalB = seal(new SegmentCipher(KEY, HEADER, ID), 0, true, 11, Arrays.copyOf(plain, 10));
        assertArrayEquals(body(totalA), body(totalB));
        assertFalse(Arrays.equals(totalA, totalB));
    }

    @Test
    void decryptRefusesTheWrongIndexFlagOrTotal() {
        SegmentCipher cipher = new SegmentCipher(KEY, HEADER, ID);
        byte[] middle = seal(cipher, 3, false, 0, CryptoTestSupport.bytes(S, 10));
        assertThrows(CryptoException.class, () -> open(cipher, 4, false, 0, middle));
        assertThrows(CryptoException.class, () -> open(cipher, 2, false, 0, middle));
        assertThrows(CryptoException.class, () -> open(cipher, 3, true, 4L * S, middle));
        assertEquals(S, open(cipher, 3, false, 0, middle).length);

        byte[] last = seal(cipher, 4, true, 4L * S + 7, CryptoTestSupport.bytes(7, 11));
        assertThrows(CryptoException.class, () -> open(cipher, 4, true, 4L * S + 8, last));
        assertThrows(CryptoException.class, () -> open(cipher, 4, true, 7, last));
        assertArrayEquals(CryptoTestSupport.bytes(7, 11), open(cipher, 4, true, 4L * S + 7, last));
    }

    @Test
    void failedDecryptionLeavesNoPlaintextInTheOutputBuffer() {
        byte[] plain = CryptoTestSupport.bytes(S, 12);
        byte[] sealed = seal(new SegmentCipher(KEY, HEADER, ID), 0, false, 0, plain);
        sealed[S + 3] ^= 1; // in the tag
        byte[] out = new byte[CS];
        Arrays.fill(out, (byte) 0x5A);
        assertThrows(CryptoException.class,
                () -> new SegmentCipher(KEY, HEADER, ID).decrypt(0, false, 0, sealed, 0, sealed.length, out, 0));
        int equal = 0;
        for (int i = 0; i < S; i++) {
            if (out[i] == plain[i]) {
                equal++;
            }
        }
        // chance agreement is 1/256 per byte; plaintext released before the tag check would be ~all of it
        assertTrue(equal < S / 64, equal + " plaintext bytes found in the output after a failed decryption");
        // documented: the plaintext region is left zeroed, and nothing past it is touched
        for (int i = 0; i < S; i++) {
            assertEquals(0, out[i], "output byte " + i + " not zeroed after a failed decryption");
        }
        for (int i = S; i < CS; i++) {
            assertEquals((byte) 0x5A, out[i], "wrote past the plaintext region");
        }
    }

    @Test
    void exceptionMessagesAreGeneric() {
        SegmentCipher cipher = new SegmentCipher(KEY, HEADER, ID);
        byte[] sealed = seal(cipher, 0, true, 3, new byte[] { 1, 2, 3 });
        sealed[0] ^= 1;
        CryptoException e = assertThrows(CryptoException.class, () -> open(cipher, 0, true, 3, sealed));
        assertEquals("ciphertext segment failed authentication", e.getMessage());
        assertEquals(null, e.getCause(), "provider exception (with its wording) attached");
    }

    // ---- segment shape checks ----------------------------------------------------------------------

    @Test
    void segmentShapeIsChecked() {
        SegmentCipher cipher = new SegmentCipher(KEY, HEADER, ID);
        byte[] in = new byte[S + 1];
        byte[] out = new byte[S + 1 + TAG];
        // a non-final segment must be exactly one full segment
        assertThrows(CryptoException.class, () -> cipher.encrypt(0, false, 0, in, 0, S - 1, out, 0));
        assertThrows(CryptoException.class, () -> cipher.encrypt(0, false, 0, in, 0, 0, out, 0));
        // no segment is larger than SEGMENT_SIZE
        assertThrows(CryptoException.class, () -> cipher.encrypt(0, true, S + 1, in, 0, S + 1, out, 0));
        // index is an unsigned 32-bit counter
        assertThrows(CryptoException.class, () -> cipher.encrypt(-1, true, 1, in, 0, 1, out, 0));
        assertThrows(CryptoException.class, () -> cipher.encrypt(1L << 32, true, 1, in, 0, 1, out, 0));
        assertThrows(CryptoException.class, () -> cipher.decrypt(1L << 32, true, 1, in, 0, 1 + TAG, out, 0));
        // a ciphertext segment shorter than a tag
        assertThrows(CryptoException.class, () -> cipher.decrypt(0, true, 0, in, 0, TAG - 1, out, 0));
        assertThrows(CryptoException.class, () -> cipher.decrypt(0, false, 0, in, 0, CS - 1, out, 0));
        assertThrows(CryptoException.class, () -> cipher.decrypt(0, true, 0, in, 0, CS + 1, out, 0));
    }

    @Test
    void dataKeyMustBe256Bits() {
        for (int length : new int[] { 0, 16, 24, 31, 33 }) {
            assertThrows(CryptoException.class, () -> new SegmentCipher(new byte[length], HEADER, ID));
        }
    }

    @Test
    void lengthArithmetic() {
        assertEquals(1, SegmentCipher.segmentCount(0));
        assertEquals(1, SegmentCipher.segmentCount(1));
        assertEquals(1, SegmentCipher.segmentCount(S));
        assertEquals(2, SegmentCipher.segmentCount(S + 1));
        assertEquals(TAG, SegmentCipher.ciphertextLength(0));
        assertEquals(1 + TAG, SegmentCipher.ciphertextLength(1));
        assertEquals(CS, SegmentCipher.ciphertextLength(S));
        assertEquals(CS + 1 + TAG, SegmentCipher.ciphertextLength(S + 1));
        long fiveGib = 5L << 30;
        assertEquals(fiveGib + 5120L * TAG, SegmentCipher.ciphertextLength(fiveGib));
    }

    // ---- nonce reuse -------------------------------------------------------------------------------

    /**
     * The JDK's GCM refuses to encrypt twice in a row with the same key and IV ("Cannot reuse iv for GCM
     * encryption", an InvalidAlgorithmParameterException), which SegmentCipher reports as a CryptoException.
     */
    @Test
    void encryptingTheSameSegmentTwiceInARowIsRejected() {
        SegmentCipher cipher = new SegmentCipher(KEY, HEADER, ID);
        byte[] plain = CryptoTestSupport.bytes(100, 13);
        byte[] first = seal(cipher, 0, true, 100, plain);
        CryptoException e = assertThrows(CryptoException.class, () -> seal(cipher, 0, true, 100, plain));
        assertTrue(e.getCause() instanceof InvalidAlgorithmParameterException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("Cannot reuse iv"), e.getCause().getMessage());
        // a decryption in between does not reset the guard
        assertArrayEquals(plain, open(cipher, 0, true, 100, first));
        assertThrows(CryptoException.class, () -> seal(cipher, 0, true, 100, plain));
    }

    /**
     * The JDK guard only compares with the immediately preceding encryption: after another index it lets the
     * same nonce through. A SegmentCipher must therefore encrypt one stream only, once. (If this starts
     * failing after a JDK upgrade, the guard got stricter; adjust the test, not the production code.)
     */
    @Test
    void jdkGuardOnlyCatchesImmediateReuse_soACipherMustEncryptOneStreamOnce() {
        SegmentCipher cipher = new SegmentCipher(KEY, HEADER, ID);
        byte[] plain = CryptoTestSupport.bytes(S, 14);
        byte[] first = seal(cipher, 0, false, 0, plain);
        seal(cipher, 1, true, S + 1, new byte[1]);
        byte[] again = seal(cipher, 0, false, 0, plain);
        assertArrayEquals(first, again, "same key and nonce: identical ciphertext");
    }

    // ---- StreamHeader ------------------------------------------------------------------------------

    @Test
    void headerEncodeDecodeRoundTrip() {
        byte[] encoded = HEADER.encode();
        assertEquals(StreamHeader.ENCODED_LENGTH, encoded.length);
        assertEquals(40, encoded.length);
        assertEquals(StreamHeader.VERSION_1, encoded[0]);
        assertArrayEquals(HEADER.salt(), Arrays.copyOfRange(encoded, 1, 33));
        assertArrayEquals(HEADER.noncePrefix(), Arrays.copyOfRange(encoded, 33, 40));
        StreamHeader decoded = StreamHeader.decode(encoded);
        assertEquals(HEADER.version(), decoded.version());
        assertArrayEquals(HEADER.salt(), decoded.salt());
        assertArrayEquals(HEADER.noncePrefix(), decoded.noncePrefix());
        assertArrayEquals(encoded, decoded.encode());
        // a decoded header opens what the original sealed
        byte[] sealed = seal(new SegmentCipher(KEY, HEADER, ID), 0, true, 3, new byte[] { 1, 2, 3 });
        assertArrayEquals(new byte[] { 1, 2, 3 }, open(new SegmentCipher(KEY, decoded, ID), 0, true, 3, sealed));
    }

    @Test
    void malformedHeaderEncodingsAreRejected() {
        byte[] encoded = HEADER.encode();
        assertThrows(CryptoException.class, () -> StreamHeader.decode(null));
        assertThrows(CryptoException.class, () -> StreamHeader.decode(new byte[0]));
        assertThrows(CryptoException.class, () -> StreamHeader.decode(Arrays.copyOf(encoded, 39)));
        assertThrows(CryptoException.class, () -> StreamHeader.decode(Arrays.copyOf(encoded, 41)));
        for (byte version : new byte[] { 0, 2, (byte) 0x81, (byte) 0xFF }) {
            byte[] other = encoded.clone();
            other[0] = version;
            assertThrows(CryptoException.class, () -> StreamHeader.decode(other), "version " + version);
        }
        assertThrows(CryptoException.class, () -> new StreamHeader((byte) 1, new byte[31], new byte[7]));
        assertThrows(CryptoException.class, () -> new StreamHeader((byte) 1, new byte[32], new byte[8]));
        assertThrows(CryptoException.class, () -> new StreamHeader((byte) 2, new byte[32], new byte[7]));
    }

    @Test
    void headerIsImmutable() {
        byte[] salt = CryptoTestSupport.bytes(32, 15);
        byte[] prefix = CryptoTestSupport.bytes(7, 16);
        StreamHeader header = new StreamHeader(StreamHeader.VERSION_1, salt, prefix);
        byte[] before = header.encode();
        salt[0] ^= 1;
        prefix[0] ^= 1;
        header.salt()[1] ^= 1;
        header.noncePrefix()[1] ^= 1;
        assertArrayEquals(before, header.encode());
    }

    @Test
    void randomHeadersDiffer() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StreamHeader a = StreamHeader.random(random);
        StreamHeader b = StreamHeader.random(random);
        assertFalse(Arrays.equals(a.encode(), b.encode()));
        assertEquals(StreamHeader.VERSION_1, a.version());
    }
}
