package io.valv.purge;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.purge")
public interface PurgeConfig {

    /** How often expiry is checked and pending purges are retried. Purges triggered by an event also run at once. */
    @WithDefault("30s")
    Duration every();

    /** Materials destroyed per transaction (one S3 multi-object delete). */
    @WithDefault("100")
    int batchSize();

    /**
     * Batches in flight at once on this replica, each its own transaction and set of rows. Two overlap one batch's
     * store calls with another's audit appends and signatures; more mostly wait for the audit chain's head lock.
     */
    @WithDefault("2")
    int concurrentBatches();
}
