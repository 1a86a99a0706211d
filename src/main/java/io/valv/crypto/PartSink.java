package io.valv.crypto;

import java.io.IOException;

/**
 * Receives ciphertext in parts made of whole segments. The sink owns {@code part} after the call: the
 * encryptor never touches it again, so a retried upload re-sends identical ciphertext and no nonce is
 * ever used twice.
 */
@FunctionalInterface
public interface PartSink {

    void accept(byte[] part, int length) throws IOException;
}
