package io.valv.crypto;

import java.io.IOException;

/**
 * Receives ciphertext in parts made of whole segments. The sink owns {@code part} after the call: the
 * encryptor never touches it again until the sink hands the same array back from {@link #emptyPart}, which
 * it does only once that part is stored (or failed) for good, so a retried upload re-sends identical
 * ciphertext and no nonce is ever used twice.
 */
@FunctionalInterface
public interface PartSink {

    void accept(byte[] part, int length) throws IOException;

    /**
     * An array of at least {@code capacity} bytes to fill with the next part: a new one, or one whose part the
     * sink has finished sending. A sink that sends parts in the background reuses its arrays, so that a
     * multi-GB upload does not allocate (and the collector does not chase) a fresh array per part.
     */
    default byte[] emptyPart(int capacity) throws IOException {
        return new byte[capacity];
    }
}
