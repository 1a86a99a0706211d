package io.valv.client;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The waiting period before an offboarding or a DPA termination destroys anything (Art. 28(3)(g)). */
@ConfigMapping(prefix = "valv.end-of-contract")
public interface EndOfContractConfig {

    /**
     * How long the controller has to take its data back (export) or confirm deletion early before an
     * offboarding or termination is carried out; the processor's admin can cancel it until then. A shorter
     * wait for one case needs a stated reason (an emergency), and is audited with it.
     */
    @WithDefault("P7D")
    Duration waitingPeriod();
}
