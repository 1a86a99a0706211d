package io.valv.certificate;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fixed one-minute windows per client address for the public verify page: a holder checks one certificate at a
 * time, a guesser needs very many tries. Per replica and in memory (a limit, not a ledger): with n replicas an
 * address gets at most n times the limit. The map is cleared at each window and capped, so a flood of
 * addresses cannot grow it without bound; past the cap every new address is refused until the window ends.
 */
@ApplicationScoped
class VerifyRateLimit {

    private static final int MAX_ADDRESSES = 10_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Integer> counts = new HashMap<>();
    private long window = -1;

    VerifyRateLimit(CertificateConfig config, Clock clock) {
        this.perMinute = config.verifyPerMinute();
        this.clock = clock;
    }

    /** Counts one request from this address; false once it is over the limit for the current minute. */
    synchronized boolean allow(String address) {
        long now = clock.millis() / 60_000;
        if (now != window) {
            window = now;
            counts.clear();
        }
        Integer seen = counts.get(address);
        if (seen == null && counts.size() >= MAX_ADDRESSES) {
            return false;
        }
        int n = seen == null ? 1 : seen + 1;
        counts.put(address, n);
        return n <= perMinute;
    }
}
