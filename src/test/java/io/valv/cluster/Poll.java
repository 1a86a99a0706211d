package io.valv.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting with a deadline: a condition is polled, never assumed after a sleep. */
final class Poll {

    private Poll() {
    }

    /** Polls {@code condition} every {@code everyMillis} until it holds; fails with {@code state} after {@code timeout}. */
    static void until(String what, Duration timeout, long everyMillis, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + what + "; " + state.get());
            }
            pause(everyMillis);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
