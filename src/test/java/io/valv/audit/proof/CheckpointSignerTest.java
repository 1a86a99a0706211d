package io.valv.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Ed25519 checkpoints through BouncyCastle, checked against RFC 8032 and the JDK's own verifier. */
class CheckpointSignerTest {

    // RFC 8032 §7.1, TEST 1
    static final String SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    static final String SIGNATURE_OF_EMPTY = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    static CheckpointSigner rfcSigner() {
        return CheckpointSigner.fromBase64Seed(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(SEED)));
    }

    @Test
    void matchesRfc8032() {
        CheckpointSigner signer = rfcSigner();
        assertEquals(PUBLIC, HexFormat.of().formatHex(signer.rawPublicKey()));
        assertEquals(SIGNATURE_OF_EMPTY, HexFormat.of().formatHex(signer.sign(new byte[0])));
    }

    @Test
    void theJdkVerifiesWhatBouncyCastleSignedFromThePem() throws Exception {
        CheckpointSigner signer = rfcSigner();
        Checkpoint c = new Checkpoint(42, "ab".repeat(32), "acme", 7L, "cd".repeat(32), "2026-05-04T09:15:00.000000Z",
                signer.keyId(), null);
        byte[] signature = signer.sign(c.messageBytes());
        String pem = signer.publicKeyPem();
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replace("\n", ""));
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(key);
        jdk.update(c.messageBytes());
        assertTrue(jdk.verify(signature));
        assertTrue(signer.verify(c.messageBytes(), signature));
    }

    @Test
    void theSignedMessageIsPinned() {
        Checkpoint c = new Checkpoint(42, "ab", null, null, null, "2026-05-04T09:15:00.000000Z", "k", null);
        assertEquals("valv-audit-checkpoint-v1\nclient=-\nclientSeq=-\nclientHash=-\nseq=42\nhash=ab\n"
                + "signedAt=2026-05-04T09:15:00.000000Z\n", new String(c.messageBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aChangedMessageOrSignatureFails() {
        CheckpointSigner signer = rfcSigner();
        byte[] message = "seq=1".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(message);
        assertFalse(signer.verify("seq=2".getBytes(StandardCharsets.UTF_8), signature));
        signature[10] ^= 1;
        assertFalse(signer.verify(message, signature));
        assertFalse(signer.verify(message, new byte[12]));
    }

    @Test
    void aBadKeyStopsTheStart() {
        assertThrows(IllegalStateException.class, () -> CheckpointSigner.fromBase64Seed("not base64!"));
        assertThrows(IllegalStateException.class,
                () -> CheckpointSigner.fromBase64Seed(Base64.getEncoder().encodeToString(new byte[31])));
    }

    @Test
    void pseudonymsAreStablePerClientAndDifferBetweenClients() {
        Pseudonyms p = new Pseudonyms(new byte[32]);
        assertEquals(p.of("acme", "alice"), p.of("acme", "alice"));
        assertNotEquals(p.of("acme", "alice"), p.of("globex", "alice"));
        assertNotEquals(p.of("acme", "alice"), p.of("acme", "sam"));
        assertTrue(p.of("acme", "alice").matches("p-[0-9a-f]{16}"));
        assertNotEquals(new Pseudonyms(Pseudonyms.derive(new byte[32])).of("acme", "alice"), p.of("acme", "alice"));
    }
}
