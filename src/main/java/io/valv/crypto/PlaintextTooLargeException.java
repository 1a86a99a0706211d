package io.valv.crypto;

/** The plaintext stream went past the configured maximum; nothing of it may be kept. */
public class PlaintextTooLargeException extends RuntimeException {

    public PlaintextTooLargeException() {
        super("plaintext exceeds the maximum size");
    }
}
