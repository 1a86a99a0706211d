package io.valv.crypto;

/**
 * Any failure to encrypt, decrypt or authenticate. Its message is fixed and generic on purpose: it
 * never carries key material, plaintext or the underlying provider's wording.
 */
public class CryptoException extends RuntimeException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
