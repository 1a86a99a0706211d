package io.valv.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * Per-object parameters of the segmented stream: format version, HKDF salt and nonce prefix.
 * Stored beside the wrapped data key (not inside the object), so that a ranged read needs exactly
 * one ranged GET. Its hash, bound to the object id, is part of every segment's AAD.
 */
public record StreamHeader(byte version, byte[] salt, byte[] noncePrefix) {

    public static final byte VERSION_1 = 1;
    public static final int SALT_LENGTH = 32;
    public static final int NONCE_PREFIX_LENGTH = 7;
    public static final int ENCODED_LENGTH = 1 + SALT_LENGTH + NONCE_PREFIX_LENGTH;
    private static final byte[] DOMAIN = "valv-stream-header-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public StreamHeader {
        if (version != VERSION_1 || salt.length != SALT_LENGTH || noncePrefix.length != NONCE_PREFIX_LENGTH) {
            throw new CryptoException("unsupported stream header");
        }
        salt = salt.clone();
        noncePrefix = noncePrefix.clone();
    }

    public static StreamHeader random(SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        byte[] prefix = new byte[NONCE_PREFIX_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(prefix);
        return new StreamHeader(VERSION_1, salt, prefix);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(ENCODED_LENGTH).put(version).put(salt).put(noncePrefix).array();
    }

    public static StreamHeader decode(byte[] encoded) {
        if (encoded == null || encoded.length != ENCODED_LENGTH) {
            throw new CryptoException("unsupported stream header");
        }
        return new StreamHeader(encoded[0], Arrays.copyOfRange(encoded, 1, 1 + SALT_LENGTH),
                Arrays.copyOfRange(encoded, 1 + SALT_LENGTH, ENCODED_LENGTH));
    }

    /** SHA-256(domain ‖ header ‖ object id): binds every segment to this header and this object. */
    byte[] hashFor(UUID objectId) {
        MessageDigest sha = Digests.sha256();
        sha.update(DOMAIN);
        sha.update(encode());
        sha.update(Bytes.uuid(objectId));
        return sha.digest();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] noncePrefix() {
        return noncePrefix.clone();
    }
}
