package io.valv.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.valv.crypto.CryptoTestSupport.TestConfig;

class EnvelopeCryptoTest {

    static final byte[] MASTER_1 = CryptoTestSupport.bytes(32, 101);
    static final byte[] MASTER_2 = CryptoTestSupport.bytes(32, 102);
    static final String MASTER_1_B64 = Base64.getEncoder().encodeToString(MASTER_1);
    static final String MASTER_2_B64 = Base64.getEncoder().encodeToString(MASTER_2);
    static final UUID MATERIAL_A = CryptoTestSupport.uuid(1);
    static final UUID MATERIAL_B = CryptoTestSupport.uuid(2);

    private static EnvelopeCrypto v1() {
        return new EnvelopeCrypto(new TestConfig(Map.of(1, MASTER_1_B64), 1));
    }

    private static EnvelopeCrypto v1v2(int active) {
        return new EnvelopeCrypto(new TestConfig(Map.of(1, MASTER_1_B64, 2, MASTER_2_B64), active));
    }

    /** All the forms key material of a test could take in a message. */
    private static List<String> secretsOf(byte[]... keys) {
        List<String> forms = new ArrayList<>();
        for (byte[] key : keys) {
            forms.add(Base64.getEncoder().encodeToString(key));
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(key));
            forms.add(HexFormat.of().formatHex(key));
            forms.add(Arrays.toString(key));
        }
        return forms;
    }

    /** Asserts the exception (and its causes) carry none of the given key material. */
    private static void assertNoSecrets(Throwable thrown, List<String> secrets) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String text = t.toString();
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "exception text leaks key material: " + text);
            }
        }
    }

    private static <T extends Throwable> T assertThrowsWithoutSecrets(Class<T> type, Executable call,
            List<String> secrets) {
        T thrown = assertThrows(type, call);
        assertNoSecrets(thrown, secrets);
        return thrown;
    }

    // ---- round trips -------------------------------------------------------------------------------

    @Test
    void dataKeyRoundTrip() {
        EnvelopeCrypto crypto = v1();
        byte[] clientKey = crypto.newWrappedClientKey("acme");
        assertEquals(1 + 4 + KeyWrap.WRAPPED_LENGTH, clientKey.length);
        assertEquals('K', clientKey[0]);

        EnvelopeCrypto.DataKey dataKey = crypto.newDataKey("acme", clientKey, MATERIAL_A);
        assertEquals(32, dataKey.plaintext().length);
        assertEquals(1 + KeyWrap.WRAPPED_LENGTH, dataKey.wrapped().length);
        assertEquals('D', dataKey.wrapped()[0]);
        assertArrayEquals(dataKey.plaintext(), crypto.unwrapDataKey("acme", clientKey, MATERIAL_A, dataKey.wrapped()));

        // a fresh instance with the same configuration (a restart) unwraps it too
        assertArrayEquals(dataKey.plaintext(), v1().unwrapDataKey("acme", clientKey, MATERIAL_A, dataKey.wrapped()));
    }

    @Test
    void keysAreFreshAndWrappedKeysDoNotContainThePlaintextKey() {
        EnvelopeCrypto crypto = v1();
        byte[] clientKey = crypto.newWrappedClientKey("acme");
        assertFalse(Arrays.equals(clientKey, crypto.newWrappedClientKey("acme")));
        EnvelopeCrypto.DataKey a = crypto.newDataKey("acme", clientKey, MATERIAL_A);
        EnvelopeCrypto.DataKey b = crypto.newDataKey("acme", clientKey, MATERIAL_A);
        assertFalse(Arrays.equals(a.plaintext(), b.plaintext()));
        assertFalse(Arrays.equals(a.wrapped(), b.wrapped()));
        assertFalse(Arrays.equals(a.plaintext(), new byte[32]), "data key is all zeros");
        String wrappedHex = HexFormat.of().formatHex(a.wrapped());
        assertFalse(wrappedHex.contains(HexFormat.of().formatHex(a.plaintext(), 0, 8)),
                "wrapped data key contains the plaintext key");
    }

    @Test
    void auditPseudonymKeyFollowsTheClientKeyAndNothingElse() {
        EnvelopeCrypto crypto = v1v2(1);
        byte[] acme = crypto.newWrappedClientKey("acme");
        byte[] key = crypto.auditPseudonymKey("acme", acme);
        assertEquals(32, key.length);
        // deterministic: every event of the client derives the same key
        assertArrayEquals(key, crypto.auditPseudonymKey("acme", acme));
        // master-key rotation re-wraps the same client key, so pseudonyms survive it
        byte[] rewrapped = v1v2(2).rewrapClientKey("acme", acme);
        assertArrayEquals(key, v1v2(2).auditPseudonymKey("acme", rewrapped));
        // a new client key (another relationship) gives an unrelated pseudonym key
        assertFalse(Arrays.equals(key, crypto.auditPseudonymKey("acme", crypto.newWrappedClientKey("acme"))));
        // a destroyed (null) or foreign wrapped key yields nothing, and says nothing about the keys
        assertThrowsWithoutSecrets(CryptoException.class, () -> crypto.auditPseudonymKey("acme", null), secretsOf(key));
        assertThrowsWithoutSecrets(CryptoException.class, () -> crypto.auditPseudonymKey("globex", acme), secretsOf(key));
    }

    @Test
    void newStreamHeadersAreRandom() {
        EnvelopeCrypto crypto = v1();
        StreamHeader a = crypto.newStreamHeader();
        StreamHeader b = crypto.newStreamHeader();
        assertEquals(StreamHeader.VERSION_1, a.version());
        assertFalse(Arrays.equals(a.salt(), b.salt()));
        assertFalse(Arrays.equals(a.noncePrefix(), b.noncePrefix()));
    }

    // ---- binding to owner --------------------------------------------------------------------------

    @Test
    void dataKeyOfOneMaterialDoesNotUnwrapAsAnother() {
        EnvelopeCrypto crypto = v1();
        byte[] clientKey = crypto.newWrappedClientKey("acme");
        EnvelopeCrypto.DataKey dataKey = crypto.newDataKey("acme", clientKey, MATERIAL_A);
        assertThrowsWithoutSecrets(CryptoException.class,
                () -> crypto.unwrapDataKey("acme", clientKey, MATERIAL_B, dataKey.wrapped()),
                secretsOf(dataKey.plaintext(), MASTER_1));
    }

    @Test
    void clientKeyOfOneClientDoesNotUnwrapAsAnother() {
        EnvelopeCrypto crypto = v1();
        byte[] acme = crypto.newWrappedClientKey("acme");
        List<String> secrets = secretsOf(MASTER_1);
        assertThrowsWithoutSecrets(CryptoException.class, () -> crypto.newDataKey("globex", acme, MATERIAL_A), secrets);
        EnvelopeCrypto.DataKey dataKey = crypto.newDataKey("acme", acme, MATERIAL_A);
        assertThrowsWithoutSecrets(CryptoException.class,
                () -> crypto.unwrapDataKey("globex", acme, MATERIAL_A, dataKey.wrapped()), secrets);
        // globex's own client key does not open acme's data key either
        byte[] globex = crypto.newWrappedClientKey("globex");
        assertThrowsWithoutSecrets(CryptoException.class,
                () -> crypto.unwrapDataKey("globex", globex, MATERIAL_A, dataKey.wrapped()),
                secretsOf(MASTER_1, dataKey.plaintext()));
        // client ids that are prefixes of each other are distinct owners
        assertThrows(CryptoException.class, () -> crypto.newDataKey("acm", acme, MATERIAL_A));
        assertThrows(CryptoException.class, () -> crypto.newDataKey("acme ", acme, MATERIAL_A));
    }

    @Test
    void everySingleBitFlipInAWrappedClientKeyIsRefused() {
        EnvelopeCrypto crypto = v1v2(1);
        byte[] clientKey = crypto.newWrappedClientKey("acme");
        EnvelopeCrypto.DataKey dataKey = crypto.newDataKey("acme", clientKey, MATERIAL_A);
        List<String> secrets = secretsOf(MASTER_1, MASTER_2, dataKey.plaintext());
        for (int bit = 0; bit < clientKey.length * 8; bit++) {
            byte[] flipped = clientKey.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrowsWithoutSecrets(CryptoException.class,
                    () -> crypto.unwrapDataKey("acme", flipped, MATERIAL_A, dataKey.wrapped()), secrets);
            assertThrowsWithoutSecrets(CryptoException.class, () -> crypto.newDataKey("acme", flipped, MATERIAL_A),
                    secrets);
            assertThrowsWithoutSecrets(CryptoException.class, () -> crypto.rewrapClientKey("acme", flipped), secrets);
        }
    }

    @Test
    void everySingleBitFlipInAWrappedDataKeyIsRefused() {
        EnvelopeCrypto crypto = v1();
        byte[] clientKey = crypto.newWrappedClientKey("acme");
        EnvelopeCrypto.DataKey dataKey = crypto.newDataKey("acme", clientKey, MATERIAL_A);
        List<String> secrets = secretsOf(MASTER_1, dataKey.plaintext());
        for (int bit = 0; bit < dataKey.wrapped().length * 8; bit++) {
            byte[] flipped = dataKey.wrapped();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrowsWithoutSecrets(CryptoException.class,
                    () -> crypto.unwrapDataKey("acme", clientKey, MATERIAL_A, flipped), secrets);
        }
    }

    @Test
    void malformedWrappedKeysAreRefused() {
        EnvelopeCrypto crypto = v1();
        byte[] clientKey = crypto.newWrappedClientKey("acme");
        byte[] dataKey = crypto.newDataKey("acme", clientKey, MATERIAL_A).wrapped();
        for (byte[] bad : new byte[][] { null, new byte[0], Arrays.copyOf(clientKey, clientKey.length - 1),
                Arrays.copyOf(clientKey, clientKey.length + 1), new byte[clientKey.length] }) {
            assertThrows(CryptoException.class, () -> crypto.newDataKey("acme", bad, MATERIAL_A));
            assertThrows(CryptoException.class, () -> crypto.unwrapDataKey("acme", bad, MATERIAL_A, dataKey));
        }
        for (byte[] bad : new byte[][] { null, new byte[0], Arrays.copyOf(dataKey, dataKey.length - 1),
                Arrays.copyOf(dataKey, dataKey.length + 1), new byte[dataKey.length] }) {
            assertThrows(CryptoException.class, () -> crypto.unwrapDataKey("acme", clientKey, MATERIAL_A, bad));
        }
        // a wrapped data key is no client key and vice versa (format bytes 'D' / 'K')
        byte[] dataAsClient = Arrays.copyOf(dataKey, clientKey.length);
        assertThrows(CryptoException.class, () -> crypto.newDataKey("acme", dataAsClient, MATERIAL_A));
    }

    // ---- master key rotation -----------------------------------------------------------------------

    @Test
    void rewrappedClientKeyStillUnwrapsDataKeysMadeBeforeRotation() {
        EnvelopeCrypto before = v1();
        byte[] clientKey = before.newWrappedClientKey("acme");
        assertEquals(1, EnvelopeCrypto.masterKeyVersionOf(clientKey));
        EnvelopeCrypto.DataKey dataKey = before.newDataKey("acme", clientKey, MATERIAL_A);

        EnvelopeCrypto rotated = v1v2(2);
        assertEquals(2, EnvelopeCrypto.masterKeyVersionOf(rotated.newWrappedClientKey("acme")));
        // the old wrapping still works while version 1 is configured
        assertArrayEquals(dataKey.plaintext(), rotated.unwrapDataKey("acme", clientKey, MATERIAL_A, dataKey.wrapped()));

        byte[] rewrapped = rotated.rewrapClientKey("acme", clientKey);
        assertEquals(2, EnvelopeCrypto.masterKeyVersionOf(rewrapped));
        assertFalse(Arrays.equals(clientKey, rewrapped));
        assertArrayEquals(dataKey.plaintext(),
                rotated.unwrapDataKey("acme", rewrapped, MATERIAL_A, dataKey.wrapped()));

        // after retiring version 1 only the re-wrapped client key works
        EnvelopeCrypto retired = new EnvelopeCrypto(new TestConfig(Map.of(2, MASTER_2_B64), 2));
        assertArrayEquals(dataKey.plaintext(),
                retired.unwrapDataKey("acme", rewrapped, MATERIAL_A, dataKey.wrapped()));
        CryptoException gone = assertThrows(CryptoException.class,
                () -> retired.unwrapDataKey("acme", clientKey, MATERIAL_A, dataKey.wrapped()));
        assertNoSecrets(gone, secretsOf(MASTER_1, MASTER_2, dataKey.plaintext()));

        // a re-wrap is bound to the client as well
        assertThrows(CryptoException.class, () -> rotated.rewrapClientKey("globex", clientKey));
    }

    @Test
    void masterKeyVersionIsAuthenticated() {
        EnvelopeCrypto crypto = v1v2(2);
        byte[] clientKey = crypto.newWrappedClientKey("acme");
        assertEquals(2, EnvelopeCrypto.masterKeyVersionOf(clientKey));
        // relabel the version field as 1: a configured key, but the AAD names version 2
        byte[] relabelled = clientKey.clone();
        relabelled[4] = 1;
        assertEquals(1, EnvelopeCrypto.masterKeyVersionOf(relabelled));
        assertThrows(CryptoException.class, () -> crypto.newDataKey("acme", relabelled, MATERIAL_A));
        // the version is in the AAD, not only implied by the key: even with the same key material under two
        // versions (a configuration slip), relabelling the version field is refused
        EnvelopeCrypto sameKeyTwice = new EnvelopeCrypto(new TestConfig(Map.of(1, MASTER_1_B64, 2, MASTER_1_B64), 2));
        byte[] underTwo = sameKeyTwice.newWrappedClientKey("acme");
        assertEquals(32, sameKeyTwice.newDataKey("acme", underTwo, MATERIAL_A).plaintext().length);
        byte[] underTwoRelabelled = underTwo.clone();
        underTwoRelabelled[4] = 1;
        assertThrows(CryptoException.class, () -> sameKeyTwice.newDataKey("acme", underTwoRelabelled, MATERIAL_A));
        // an unknown version is a CryptoException, not a lookup error
        byte[] unknown = clientKey.clone();
        unknown[4] = 7;
        assertThrows(CryptoException.class, () -> crypto.newDataKey("acme", unknown, MATERIAL_A));
    }

    @Test
    void masterKeyVersionOfReadsTheVersionField() {
        EnvelopeCrypto crypto = new EnvelopeCrypto(new TestConfig(Map.of(70000, MASTER_1_B64), 70000));
        assertEquals(70000, EnvelopeCrypto.masterKeyVersionOf(crypto.newWrappedClientKey("acme")));
    }

    // ---- configuration -----------------------------------------------------------------------------

    @Test
    void activeVersionWithoutAMasterKeyStopsTheStart() {
        IllegalStateException e = assertThrowsWithoutSecrets(IllegalStateException.class,
                () -> new EnvelopeCrypto(new TestConfig(Map.of(1, MASTER_1_B64), 2)), secretsOf(MASTER_1));
        assertTrue(e.getMessage().contains("active-master-key-version"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new EnvelopeCrypto(new TestConfig(Map.of(), 1)));
    }

    @Test
    void masterKeyOfTheWrongLengthStopsTheStart() {
        for (int length : new int[] { 0, 16, 24, 31, 33, 64 }) {
            byte[] key = CryptoTestSupport.bytes(length, length);
            String encoded = Base64.getEncoder().encodeToString(key);
            IllegalStateException e = assertThrowsWithoutSecrets(IllegalStateException.class,
                    () -> new EnvelopeCrypto(new TestConfig(Map.of(1, encoded), 1)),
                    length == 0 ? List.of() : secretsOf(key));
            assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
            // also when it is not the active version
            assertThrows(IllegalStateException.class,
                    () -> new EnvelopeCrypto(new TestConfig(Map.of(1, MASTER_1_B64, 2, encoded), 1)));
        }
    }

    @Test
    void masterKeyThatIsNotBase64StopsTheStart() {
        String notBase64 = "s3cr3t-master-key-material-%%%!!";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EnvelopeCrypto(new TestConfig(Map.of(1, notBase64), 1)));
        assertFalse(e.toString().contains(notBase64), e.toString());
        assertFalse(e.toString().contains("s3cr3t"), e.toString());
        assertTrue(e.getCause() == null || !e.getCause().toString().contains("s3cr3t"));
        // a hex key (a common mistake) is valid base64 but decodes to 48 bytes
        String hex = HexFormat.of().formatHex(MASTER_1);
        IllegalStateException hexError = assertThrows(IllegalStateException.class,
                () -> new EnvelopeCrypto(new TestConfig(Map.of(1, hex), 1)));
        assertFalse(hexError.toString().contains(hex));
    }

    @Test
    void surroundingWhitespaceInTheConfiguredKeyIsIgnored() {
        byte[] clientKey = v1().newWrappedClientKey("acme");
        EnvelopeCrypto trailingNewline = new EnvelopeCrypto(new TestConfig(Map.of(1, " " + MASTER_1_B64 + "\n"), 1));
        // same master key: a client key made under the clean config unwraps
        assertEquals(32, trailingNewline.newDataKey("acme", clientKey, MATERIAL_A).plaintext().length);
    }

    @Test
    void differentMasterKeyUnderTheSameVersionCannotUnwrap() {
        byte[] clientKey = v1().newWrappedClientKey("acme");
        EnvelopeCrypto other = new EnvelopeCrypto(new TestConfig(Map.of(1, MASTER_2_B64), 1));
        assertThrowsWithoutSecrets(CryptoException.class, () -> other.newDataKey("acme", clientKey, MATERIAL_A),
                secretsOf(MASTER_1, MASTER_2));
    }

    // ---- KeyWrap directly --------------------------------------------------------------------------

    @Test
    void keyWrapBindsItsAad() {
        byte[] kek = CryptoTestSupport.key(7);
        byte[] key = CryptoTestSupport.key(8);
        byte[] aad = "owner".getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = KeyWrap.wrap(kek, key, aad, new SecureRandom());
        assertEquals(KeyWrap.WRAPPED_LENGTH, wrapped.length);
        assertArrayEquals(key, KeyWrap.unwrap(kek, wrapped, aad));
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(kek, wrapped, "owneR".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(kek, wrapped, new byte[0]));
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(CryptoTestSupport.key(9), wrapped, aad));
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(kek, Arrays.copyOf(wrapped, 59), aad));
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(kek, null, aad));
        // fresh nonce each time
        byte[] again = KeyWrap.wrap(kek, key, aad, new SecureRandom());
        assertNotEquals(HexFormat.of().formatHex(wrapped, 0, KeyWrap.NONCE_LENGTH),
                HexFormat.of().formatHex(again, 0, KeyWrap.NONCE_LENGTH));
    }

    @Test
    void webhookSecretsAreSealedUnderTheClientKeyAndBoundToTheirEndpoint() {
        EnvelopeCrypto crypto = v1v2(1);
        byte[] acme = crypto.newWrappedClientKey("acme");
        byte[] signingKey = CryptoTestSupport.bytes(24, 55);
        UUID endpoint = CryptoTestSupport.uuid(10);
        byte[] sealed = crypto.sealWebhookSecret("acme", acme, endpoint, signingKey);
        assertEquals(1 + KeyWrap.NONCE_LENGTH + 24 + 16, sealed.length);
        assertEquals('W', sealed[0]);
        assertArrayEquals(signingKey, crypto.openWebhookSecret("acme", acme, endpoint, sealed));
        assertFalse(HexFormat.of().formatHex(sealed).contains(HexFormat.of().formatHex(signingKey, 0, 8)));
        // a fresh nonce each time: sealing the same key twice gives unrelated bytes
        assertFalse(Arrays.equals(sealed, crypto.sealWebhookSecret("acme", acme, endpoint, signingKey)));
        // survives a master-key rotation (the client key is re-wrapped, not replaced)
        byte[] rewrapped = v1v2(2).rewrapClientKey("acme", acme);
        assertArrayEquals(signingKey, v1v2(2).openWebhookSecret("acme", rewrapped, endpoint, sealed));
        List<String> secrets = secretsOf(signingKey, MASTER_1);
        // copied onto another endpoint, another client, or after offboarding (key destroyed): refused
        assertThrowsWithoutSecrets(CryptoException.class,
                () -> crypto.openWebhookSecret("acme", acme, CryptoTestSupport.uuid(11), sealed), secrets);
        assertThrowsWithoutSecrets(CryptoException.class,
                () -> crypto.openWebhookSecret("acme", crypto.newWrappedClientKey("acme"), endpoint, sealed), secrets);
        assertThrowsWithoutSecrets(CryptoException.class, () -> crypto.openWebhookSecret("acme", null, endpoint, sealed),
                secrets);
        // a data key's wrapping is not a sealed webhook secret, and a bit flip is refused
        byte[] flipped = sealed.clone();
        flipped[20] ^= 1;
        assertThrows(CryptoException.class, () -> crypto.openWebhookSecret("acme", acme, endpoint, flipped));
        byte[] dataKey = crypto.newDataKey("acme", acme, endpoint).wrapped();
        assertThrows(CryptoException.class, () -> crypto.openWebhookSecret("acme", acme, endpoint, dataKey));
    }
}
