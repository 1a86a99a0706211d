package io.valv.uploadlink;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * Fixed-window request counts for the link routes, per client address (before the token is even looked up, so
 * guessing tokens is throttled too) and per link. Counted in this replica's memory, like the refusal limit
 * (audit/Refusals): with several replicas the limit is up to replicas × limit, which still bounds abuse. The
 * number of keys per window is bounded; past it every new key shares one count, so memory stays bounded.
 */
@ApplicationScoped
class LinkRateLimit {

    static final int MAX_KEYS = 10_000;
    private static final String OVERFLOW = "(other)";

    private final UploadLinkConfig config;
    private final Clock clock;
    private long window = Long.MIN_VALUE;
    private Map<String, Integer> counts = new HashMap<>();

    LinkRateLimit(UploadLinkConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Counts a request from this address; 429 when the address is over its limit in this window. */
    void address(String address) {
        count("ip:" + (address == null ? "?" : address), config.requestsPerAddress());
    }

    /** Counts a request through this link; 429 when the link is over its limit in this window. */
    void link(UUID linkId) {
        count("link:" + linkId, config.requestsPerLink());
    }

    private void count(String key, int limit) {
        long retryAfter;
        synchronized (this) {
            long millis = Math.max(1, config.window().toMillis());
            long now = clock.millis();
            long current = now / millis;
            if (current != window) {
                window = current;
                counts = new HashMap<>();
            }
            String k = counts.size() < MAX_KEYS || counts.containsKey(key) ? key : OVERFLOW;
            int n = counts.merge(k, 1, Integer::sum);
            if (n <= limit) {
                return;
            }
            retryAfter = Math.max(1, ((current + 1) * millis - now + 999) / 1000);
        }
        throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "Too many requests through upload links; retry later.")
                .retryAfter(retryAfter);
    }
}
