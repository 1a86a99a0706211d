package io.valv.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The key hierarchy: master key (config, versioned) → per-client key-encryption key → per-material data
 * key → segment key (HKDF). Every wrap is AES-256-GCM with an AAD naming the owner, so a wrapped key
 * copied to another client or material fails to unwrap. Plaintext keys live only in memory and only
 * for the duration of one call chain.
 */
@ApplicationScoped
public class EnvelopeCrypto {

    private static final byte CLIENT_KEY_FORMAT = 'K';
    private static final byte DATA_KEY_FORMAT = 'D';
    private static final byte[] CLIENT_KEY_AAD = "valv-client-key-v1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY_AAD = "valv-data-key-v1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte WEBHOOK_SECRET_FORMAT = 'W';
    private static final byte[] WEBHOOK_SECRET_AAD = "valv-webhook-secret-v1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PSEUDONYM_KEY_INFO = "valv-audit-pseudonym-key-v1:".getBytes(StandardCharsets.US_ASCII);

    private final MasterKeys masterKeys;
    private final SecureRandom random = new SecureRandom();

    public EnvelopeCrypto(CryptoConfig config) {
        this.masterKeys = new MasterKeys(config.masterKeys(), config.activeMasterKeyVersion());
    }

    /** A fresh client key, wrapped under the active master key: format ‖ master version ‖ nonce ‖ ct. */
    public byte[] newWrappedClientKey(String clientId) {
        byte[] key = randomKey();
        try {
            return wrapClientKey(clientId, key, masterKeys.activeVersion());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Re-wraps a client key under the active master key (master-key rotation). */
    public byte[] rewrapClientKey(String clientId, byte[] wrappedClientKey) {
        byte[] key = unwrapClientKey(clientId, wrappedClientKey);
        try {
            return wrapClientKey(clientId, key, masterKeys.activeVersion());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A fresh data key for one material: the plaintext key for this upload and its wrapped form. */
    public DataKey newDataKey(String clientId, byte[] wrappedClientKey, UUID materialId) {
        byte[] clientKey = unwrapClientKey(clientId, wrappedClientKey);
        byte[] dataKey = randomKey();
        try {
            byte[] wrapped = ByteBuffer.allocate(1 + KeyWrap.WRAPPED_LENGTH).put(DATA_KEY_FORMAT)
                    .put(KeyWrap.wrap(clientKey, dataKey, dataKeyAad(materialId), random)).array();
            return new DataKey(dataKey, wrapped);
        } finally {
            Arrays.fill(clientKey, (byte) 0);
        }
    }

    public byte[] unwrapDataKey(String clientId, byte[] wrappedClientKey, UUID materialId, byte[] wrappedDataKey) {
        if (wrappedDataKey == null || wrappedDataKey.length != 1 + KeyWrap.WRAPPED_LENGTH
                || wrappedDataKey[0] != DATA_KEY_FORMAT) {
            throw new CryptoException("wrapped data key malformed");
        }
        byte[] clientKey = unwrapClientKey(clientId, wrappedClientKey);
        try {
            return KeyWrap.unwrap(clientKey, Arrays.copyOfRange(wrappedDataKey, 1, wrappedDataKey.length),
                    dataKeyAad(materialId));
        } finally {
            Arrays.fill(clientKey, (byte) 0);
        }
    }

    /**
     * Seals a webhook signing key under the client key: {@code 'W'} ‖ nonce ‖ AES-256-GCM(key) ‖ tag, AAD =
     * {@code "valv-webhook-secret-v1:"} ‖ endpoint id, a fresh nonce each time (a rotation seals a new key).
     * Under the client key so that offboarding, which destroys it, destroys the signing keys with it; bound to
     * the endpoint so that a sealed key copied onto another endpoint row fails to open.
     */
    public byte[] sealWebhookSecret(String clientId, byte[] wrappedClientKey, UUID endpointId, byte[] signingKey) {
        byte[] clientKey = unwrapClientKey(clientId, wrappedClientKey);
        try {
            return Bytes.concat(new byte[] { WEBHOOK_SECRET_FORMAT },
                    KeyWrap.seal(clientKey, signingKey, webhookSecretAad(endpointId), random));
        } finally {
            Arrays.fill(clientKey, (byte) 0);
        }
    }

    /** The signing key of {@link #sealWebhookSecret}; callers zero it once the signature is made. */
    public byte[] openWebhookSecret(String clientId, byte[] wrappedClientKey, UUID endpointId, byte[] sealed) {
        if (sealed == null || sealed.length < 1 + KeyWrap.NONCE_LENGTH + 16 || sealed[0] != WEBHOOK_SECRET_FORMAT) {
            throw new CryptoException("sealed webhook secret malformed");
        }
        byte[] clientKey = unwrapClientKey(clientId, wrappedClientKey);
        try {
            return KeyWrap.open(clientKey, Arrays.copyOfRange(sealed, 1, sealed.length), webhookSecretAad(endpointId));
        } finally {
            Arrays.fill(clientKey, (byte) 0);
        }
    }

    /**
     * The client's audit pseudonym key: HKDF-SHA256(client key, no salt, "valv-audit-pseudonym-key-v1:" ‖
     * client id), 32 bytes. Derived rather than stored so that the one act that crypto-shreds a client's
     * material, destroying its wrapped client key at offboarding, shreds its audit pseudonyms too: no second
     * key to forget, none to survive in a backup longer than the client key does. The label separates it from
     * the key's use as a key-encryption key. Callers zero the result.
     */
    public byte[] auditPseudonymKey(String clientId, byte[] wrappedClientKey) {
        byte[] clientKey = unwrapClientKey(clientId, wrappedClientKey);
        try {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(clientKey, null,
                    Bytes.concat(PSEUDONYM_KEY_INFO, clientId.getBytes(StandardCharsets.UTF_8))));
            byte[] derived = new byte[KeyWrap.KEY_LENGTH];
            hkdf.generateBytes(derived, 0, derived.length);
            return derived;
        } finally {
            Arrays.fill(clientKey, (byte) 0);
        }
    }

    public StreamHeader newStreamHeader() {
        return StreamHeader.random(random);
    }

    /** The master key version a wrapped client key was made under (for rotation reports). */
    public static int masterKeyVersionOf(byte[] wrappedClientKey) {
        return ByteBuffer.wrap(wrappedClientKey, 1, 4).getInt();
    }

    private byte[] wrapClientKey(String clientId, byte[] key, int version) {
        return ByteBuffer.allocate(1 + 4 + KeyWrap.WRAPPED_LENGTH).put(CLIENT_KEY_FORMAT).putInt(version)
                .put(KeyWrap.wrap(masterKeys.key(version), key, clientKeyAad(clientId, version), random)).array();
    }

    private byte[] unwrapClientKey(String clientId, byte[] wrapped) {
        if (wrapped == null || wrapped.length != 1 + 4 + KeyWrap.WRAPPED_LENGTH || wrapped[0] != CLIENT_KEY_FORMAT) {
            throw new CryptoException("client key unavailable");
        }
        int version = masterKeyVersionOf(wrapped);
        return KeyWrap.unwrap(masterKeys.key(version), Arrays.copyOfRange(wrapped, 5, wrapped.length),
                clientKeyAad(clientId, version));
    }

    private static byte[] clientKeyAad(String clientId, int version) {
        return Bytes.concat(CLIENT_KEY_AAD, ByteBuffer.allocate(4).putInt(version).array(),
                clientId.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] webhookSecretAad(UUID endpointId) {
        return Bytes.concat(WEBHOOK_SECRET_AAD, Bytes.uuid(endpointId));
    }

    private static byte[] dataKeyAad(UUID materialId) {
        return Bytes.concat(DATA_KEY_AAD, Bytes.uuid(materialId));
    }

    private byte[] randomKey() {
        byte[] key = new byte[KeyWrap.KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    /** A data key in both forms. Callers zero {@link #plaintext()} when the transfer ends. */
    public record DataKey(byte[] plaintext, byte[] wrapped) {
    }
}
