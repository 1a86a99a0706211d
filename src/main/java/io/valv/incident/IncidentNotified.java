package io.valv.incident;

import java.time.Instant;
import java.util.UUID;

/**
 * Fired inside the transaction that records an incident notice, once per affected client, so that the notice
 * reaches each client with the change or not at all. It names only that client: one controller never learns
 * which others were affected. {@code windowFrom}/{@code windowTo}: null when the notice names no window.
 */
public record IncidentNotified(UUID incidentId, String clientId, String nature, String dataSubjectCategories,
        long approximateDataSubjects, String recordCategories, long approximateRecords, String likelyConsequences,
        String measures, String contactPoint, Instant detectedAt, Instant notifiedAt, Instant windowFrom,
        Instant windowTo) {
}
