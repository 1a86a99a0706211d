package io.valv.job;

import java.util.UUID;

/** Fired inside the transaction that completes or cancels a job. */
public record JobClosed(UUID jobId, Job.Status status, boolean reuseRequested) {
}
