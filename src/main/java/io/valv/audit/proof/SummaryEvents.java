package io.valv.audit.proof;

import java.time.Instant;
import java.util.UUID;

/**
 * Chained events that count many others: the summary of one coalescing window's range reads (docs/audit.md,
 * "Coalescing range reads") and the tally of a source's repeated refusals. Their detail, which the chain
 * protects, begins with the count; the verifier and the incident report read it back from there.
 */
public final class SummaryEvents {

    /** The range-read summary's action on the chain. */
    public static final String RANGE_READS = "material.content.range-reads";

    private SummaryEvents() {
    }

    /** {@code "<n> range reads <first at> .. <last at>, window <opening event id>"}. */
    public static String rangeReadsDetail(long reads, Instant first, Instant last, UUID windowEventId) {
        return reads + " range reads " + AuditChain.time(first) + " .. " + AuditChain.time(last) + ", window "
                + windowEventId;
    }

    /** The count a summary's detail begins with; 0 for a detail that does not begin with one. */
    public static long countOf(String summaryDetail) {
        if (summaryDetail == null) {
            return 0;
        }
        int space = summaryDetail.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? summaryDetail : summaryDetail.substring(0, space));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
