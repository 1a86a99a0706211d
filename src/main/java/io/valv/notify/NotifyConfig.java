package io.valv.notify;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook notifications (docs/operations.md, "Notifications"). */
@ConfigMapping(prefix = "valv.notify")
public interface NotifyConfig {

    /**
     * Allow {@code http://} URLs and loopback/private destinations. Off in production (SSRF: a client admin
     * must not make Valv call into the processor's own network); on in %dev and %test so that a receiver
     * on 127.0.0.1 can be tried.
     */
    @WithDefault("false")
    boolean allowInsecureTargets();

    /** How often the delivery worker looks for due deliveries. */
    @WithDefault("5s")
    Duration every();

    /** Connect and response timeout of one attempt; a slow receiver counts as a failed attempt. */
    @WithDefault("10s")
    Duration timeout();

    /** Delay before the second attempt; each further attempt waits twice as long as the one before. */
    @WithDefault("1m")
    Duration backoffBase();

    /** Upper bound of one back-off step. */
    @WithDefault("6h")
    Duration backoffMax();

    /**
     * Attempts before a delivery is given up ({@code FAILED}; a client admin can still redeliver it). With the
     * defaults (1 min doubling, 6 h cap) 12 attempts span about 27 hours.
     */
    @WithDefault("12")
    int maxAttempts();

    /** How long the previous secret keeps signing after a rotation. */
    @WithDefault("24h")
    Duration rotationOverlap();

    /** Days before {@code expiresAt} at which {@code material.expiring} is sent, once per material and lead time. */
    @WithDefault("30,7")
    List<Integer> expiringLeadDays();

    /** How often materials are checked for an upcoming expiry. */
    @WithDefault("1h")
    Duration expiringEvery();

    /** Public base URL of the API, used for links in payloads (certificate JSON/CMS/PDF). */
    @WithDefault("http://localhost:8080")
    String publicUrl();
}
