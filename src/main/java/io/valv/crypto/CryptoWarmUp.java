package io.valv.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Pushes throw-away data through the same encrypt/decrypt/hash code the uploads use, on a background
 * thread at start. A fresh JVM runs AES-GCM at a fraction of its speed until the JIT has compiled the
 * intrinsic paths; this moves that cost off the first client's upload. Uses a random throw-away key.
 */
class CryptoWarmUp {

    void onStart(@Observes StartupEvent event, CryptoConfig config, EnvelopeCrypto envelope) {
        int mebibytes = config.warmUpMebibytes();
        if (mebibytes <= 0) {
            return;
        }
        Thread thread = new Thread(() -> run(mebibytes, envelope), "valv-crypto-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    static void run(int mebibytes, EnvelopeCrypto envelope) {
        long started = System.nanoTime();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        byte[] plain = new byte[SegmentCipher.SEGMENT_SIZE];
        byte[] sealed = new byte[SegmentCipher.CIPHER_SEGMENT_SIZE];
        byte[] opened = new byte[SegmentCipher.CIPHER_SEGMENT_SIZE];
        try {
            for (int i = 0; i < mebibytes; i++) {
                // A fresh header (salt, nonce prefix) per round: re-encrypting segment 0 with the same cipher
                // would reuse the GCM nonce, which the JDK rejects ("Cannot reuse iv").
                SegmentCipher cipher = new SegmentCipher(key, envelope.newStreamHeader(), UUID.randomUUID());
                StreamEncryptor encryptor = new StreamEncryptor(cipher, 1, Long.MAX_VALUE);
                InputStream in = new ByteArrayInputStream(plain);
                encryptor.encrypt(in, (part, length) -> System.arraycopy(part, 0, sealed, 0, length));
                cipher.decrypt(0, true, plain.length, sealed, 0, sealed.length, opened, 0);
            }
            Log.infof("Crypto warm-up: %d MiB in %d ms", mebibytes, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            Log.warn("Crypto warm-up failed; first uploads may be slower");
        }
    }
}
