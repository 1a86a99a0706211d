package io.valv.crypto;

/** What the encryptor learnt about the plaintext while streaming it. */
public record EncryptionResult(long plaintextSize, long ciphertextSize, byte[] sha256) {

    public EncryptionResult {
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }
}
