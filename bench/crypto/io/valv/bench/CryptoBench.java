package io.valv.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.valv.crypto.SegmentCipher;
import io.valv.crypto.StreamEncryptor;
import io.valv.crypto.StreamHeader;

/**
 * Throughput of Valv's crypto layer alone, using Valv's own classes from the build under test
 * (compiled and run by bench/run against target/classes, so it is not part of the Maven client and
 * an API change here cannot break the HTTP benchmark). One thread, 1 MiB segments, no I/O.
 * <p>
 * Usage: CryptoBench RESULTS_FILE [MiB per pass] [timed passes]. Each operation gets one untimed
 * pass (JIT warm-up) of the same size, then the timed passes; the median is recorded as MB/s.
 */
public final class CryptoBench {

    static final int SEG = SegmentCipher.SEGMENT_SIZE;

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args[0]);
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long bytes = (long) mib * SEG;
        SecureRandom rnd = new SecureRandom();
        byte[] key = new byte[32];
        rnd.nextBytes(key);
        byte[] plain = new byte[SEG];
        rnd.nextBytes(plain);
        byte[] out = new byte[SegmentCipher.CIPHER_SEGMENT_SIZE];

        put(results, "crypto.bytes", bytes);
        put(results, "crypto.runs", runs);

        // Encrypt: one cipher, ever-increasing segment index (a nonce is never reused).
        SegmentCipher enc = new SegmentCipher(key, StreamHeader.random(rnd), UUID.randomUUID());
        long[] index = { 0 };
        measure(results, "crypto.encrypt", bytes, runs, () -> {
            for (int i = 0; i < mib; i++) {
                enc.encrypt(index[0]++, false, 0, plain, 0, SEG, out, 0);
            }
        });

        // Decrypt + authenticate: 8 distinct full segments, decrypted round-robin.
        SegmentCipher dc = new SegmentCipher(key, StreamHeader.random(rnd), UUID.randomUUID());
        byte[][] sealed = new byte[8][SegmentCipher.CIPHER_SEGMENT_SIZE];
        for (int i = 0; i < sealed.length; i++) {
            dc.encrypt(i, false, 0, plain, 0, SEG, sealed[i], 0);
        }
        byte[] opened = new byte[SEG];
        measure(results, "crypto.decrypt", bytes, runs, () -> {
            for (int i = 0; i < mib; i++) {
                int s = i % sealed.length;
                dc.decrypt(s, false, 0, sealed[s], 0, sealed[s].length, opened, 0);
            }
        });

        // Encrypt + SHA-256 through StreamEncryptor (Valv's default 8 segments per part), parts discarded.
        measure(results, "crypto.encsha", bytes, runs, () -> {
            SegmentCipher c = new SegmentCipher(key, StreamHeader.random(rnd), UUID.randomUUID());
            new StreamEncryptor(c, 8, Long.MAX_VALUE).encrypt(new Repeating(plain, bytes), (part, length) -> { });
        });

        // SHA-256 alone, JDK provider (what StreamEncryptor uses for the plaintext hash).
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        measure(results, "crypto.sha256", bytes, runs, () -> {
            for (int i = 0; i < mib; i++) {
                sha.update(plain, 0, SEG);
            }
            sha.digest();
        });
    }

    interface Body {
        void run() throws Exception;
    }

    static void measure(Path results, String label, long bytes, int runs, Body body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        double first = bytes / ((System.nanoTime() - t0) / 1e9) / 1e6;
        List<Double> mbps = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            t0 = System.nanoTime();
            body.run();
            mbps.add(bytes / ((System.nanoTime() - t0) / 1e9) / 1e6);
        }
        List<Double> sorted = new ArrayList<>(mbps);
        sorted.sort(null);
        double median = runs % 2 == 1 ? sorted.get(runs / 2) : (sorted.get(runs / 2 - 1) + sorted.get(runs / 2)) / 2;
        put(results, label + ".first.mbps", f(first));
        put(results, label + ".samples", String.join(" ", mbps.stream().map(CryptoBench::f).toList()));
        put(results, label + ".mbps", f(median));
        System.out.printf(Locale.ROOT, "%s: first pass %.0f MB/s, median %.0f MB/s%n", label, first, median);
    }

    static String f(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static void put(Path file, String key, Object value) throws IOException {
        Files.writeString(file, key + "=" + value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** {@code total} bytes made of the same block over and over. */
    static final class Repeating extends InputStream {
        private final byte[] block;
        private long remaining;
        private int pos;

        Repeating(byte[] block, long total) {
            this.block = block;
            this.remaining = total;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            int b = block[pos] & 0xff;
            pos = (pos + 1) % block.length;
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, remaining), block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            pos = (pos + n) % block.length;
            remaining -= n;
            return n;
        }
    }
}
