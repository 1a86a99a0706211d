package io.valv.audit.proof;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 signatures over checkpoints, through BouncyCastle's lightweight API (about 20× the JDK's
 * signing rate; BouncyCastle is used as a library and never registered as a JCA provider). Signers are
 * not thread-safe, so each call makes its own.
 */
public final class CheckpointSigner {

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKey;
    private final String keyId;

    private CheckpointSigner(byte[] seed) {
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = privateKey.generatePublicKey();
        this.keyId = HexFormat.of().formatHex(sha256(publicKey.getEncoded())).substring(0, 16);
    }

    /** From the configured base64 of a 32-byte seed ({@code openssl rand -base64 32}). */
    public static CheckpointSigner fromBase64Seed(String base64) {
        byte[] seed;
        try {
            seed = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("valv.audit.checkpoint-key is not base64");
        }
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalStateException("valv.audit.checkpoint-key must be 32 bytes (base64), not " + seed.length);
        }
        try {
            return new CheckpointSigner(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public boolean verify(byte[] message, byte[] signature) {
        return verify(publicKey.getEncoded(), message, signature);
    }

    public static boolean verify(byte[] rawPublicKey, byte[] message, byte[] signature) {
        if (signature == null || signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(rawPublicKey, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** First 16 hex characters of SHA-256 over the raw public key; names the key in checkpoints. */
    public String keyId() {
        return keyId;
    }

    public byte[] rawPublicKey() {
        return publicKey.getEncoded();
    }

    /** The public key as PEM (SubjectPublicKeyInfo), as {@code openssl pkeyutl -verify -pubin} reads it. */
    public String publicKeyPem() {
        byte[] spki = new byte[SPKI_PREFIX.length + 32];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(publicKey.getEncoded(), 0, spki, SPKI_PREFIX.length, 32);
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
