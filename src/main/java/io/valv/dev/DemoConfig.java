package io.valv.dev;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.demo")
interface DemoConfig {

    /** Seed demo clients, DPAs and a job on an empty database (dev mode and the local stack only). */
    @WithDefault("false")
    boolean enabled();
}
