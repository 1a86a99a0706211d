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
}
