package io.valv.uploadlink;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.upload-link")
public interface UploadLinkConfig {

    /** The most a link's limit on total bytes may be (a link is for a batch of recordings, not an archive). */
    @WithDefault("50G")
    MemorySize maxBytes();

    /** The most a link's limit on the number of files may be. */
    @WithDefault("1000")
    int maxFiles();

    /**
     * Requests per link and window through its page and tus routes. A tus upload needs a few requests per file
     * (create, HEAD on resume, one PATCH per chunk), so this bounds a leaked link's abuse without hindering a
     * sender of many files.
     */
    @WithDefault("300")
    int requestsPerLink();

    /** Requests per client address and window on the link routes, whatever token they carry (token guessing). */
    @WithDefault("600")
    int requestsPerAddress();

    /** The rate limit's fixed window. */
    @WithDefault("1m")
    Duration window();
}
