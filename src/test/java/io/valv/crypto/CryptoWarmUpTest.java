package io.valv.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.valv.crypto.CryptoTestSupport.TestConfig;

/**
 * Regression test: the warm-up used to encrypt segment 0 again and again with one SegmentCipher, which the
 * JDK refuses ("Cannot reuse iv for GCM encryption") from the second round on, so it warmed up 1 MiB and
 * logged a warning.
 */
class CryptoWarmUpTest {

    @Test
    void warmUpRunsAllRoundsWithoutFailing() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(CryptoWarmUp.class.getName());
        Level previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        try {
            EnvelopeCrypto envelope = new EnvelopeCrypto(
                    new TestConfig(Map.of(1, Base64.getEncoder().encodeToString(new byte[32])), 1, 3));
            CryptoWarmUp.run(3, envelope);
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(previous);
        }
        List<String> messages = records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
        assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()),
                "warm-up reported a failure: " + messages);
        assertEquals(1, records.stream().filter(r -> r.getMessage().contains("3 MiB")).count(),
                "no completion message: " + messages);
    }
}
