package io.valv.material;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Where a content read's fixed cost goes, for operators and the benchmark's range breakdown:
 * {@code valv_content_read_phase_seconds{phase}}, one timer per step a read takes before its first byte
 * is written. What is left of {@code http_server_requests_seconds} for the route is the token check, routing
 * and writing the response.
 */
@ApplicationScoped
class ReadPhases {

    enum Phase {
        /** The material, its job, the caller's assignment and the wrapped keys: one query, in one transaction. */
        LOOKUP("lookup"),
        /** The read's audit event made durable (its own commit, or the group commit it waits for). */
        AUDIT("audit"),
        /** Unwrapping the client key and then the data key (in memory, no database). */
        UNWRAP("unwrap"),
        /** The ranged GET of the ciphertext, up to the store's response headers. */
        STORE("store"),
        /** Reading and authenticating the first segment of the range (at most 1 MiB), before the answer. */
        FIRST_SEGMENT("first-segment");

        final String tag;

        Phase(String tag) {
            this.tag = tag;
        }
    }

    private final Map<Phase, Timer> timers = new EnumMap<>(Phase.class);

    ReadPhases(MeterRegistry registry) {
        for (Phase p : Phase.values()) {
            timers.put(p, Timer.builder("valv.content.read.phase").tag("phase", p.tag)
                    .description("Time a content read spends in each step before its first byte is written")
                    .register(registry));
        }
    }

    /** The time from {@code start} to {@code end} ({@link System#nanoTime}) against {@code phase}; returns end. */
    long record(Phase phase, long start, long end) {
        timers.get(phase).record(end - start, TimeUnit.NANOSECONDS);
        return end;
    }
}
