package io.valv.material;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.upload")
public interface UploadConfig {

    /** Largest plaintext accepted; larger uploads get 413 and leave nothing behind. */
    @WithDefault("20G")
    MemorySize maxSize();

    /**
     * An upload still unfinished after this long is treated as abandoned (its replica crashed) and swept:
     * multipart upload aborted, object and row removed. Must exceed the longest legitimate upload.
     */
    @WithDefault("24H")
    Duration staleAfter();

    /** How often the sweeper looks for failed or abandoned uploads. */
    @WithDefault("15m")
    Duration sweepEvery();

    /**
     * A resumable (tus) upload expires this long after its creation or its last durable part, and never later
     * than its material's retention allows; the sweeper then aborts it and removes every trace.
     */
    @WithDefault("24H")
    Duration resumableExpireAfter();

    /**
     * How long one PATCH holds its upload against a concurrent one (renewed at each part). A replica killed
     * mid-PATCH blocks the upload for at most this long.
     */
    @WithDefault("60s")
    Duration resumableLease();
}
