package io.valv.dpa;

import java.time.LocalDate;
import java.util.UUID;

/** Fired inside the transaction that records a change to the sub-processor register (Art. 28(2) notice). */
public record SubProcessorChanged(UUID changeId, String subProcessor, String change, String description,
        LocalDate effectiveFrom) {
}
