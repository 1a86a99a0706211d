package io.valv.purge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import io.valv.client.ClientOffboarded;
import io.valv.dpa.DpaTerminated;
import io.valv.job.Job;
import io.valv.job.JobClosed;
import io.valv.material.MaterialService;
import io.valv.material.MaterialService.PurgeReason;

/**
 * The lifecycle rules, as reactions to domain events. Marking happens inside the event's own transaction
 * (the job is completed if and only if its material is marked); the destruction itself runs right after
 * that transaction commits.
 */
@ApplicationScoped
class PurgeTriggers {

    private final MaterialService materials;
    private final PurgeScheduler scheduler;

    PurgeTriggers(MaterialService materials, PurgeScheduler scheduler) {
        this.materials = materials;
        this.scheduler = scheduler;
    }

    /** Rule 2: job completed → purge at once, unless the client asked for reuse (then expiry decides). */
    void jobClosed(@Observes JobClosed event) {
        if (event.status() == Job.Status.COMPLETED && event.reuseRequested()) {
            return;
        }
        materials.markJobForPurge(event.jobId(), PurgeReason.JOB_COMPLETED);
    }

    /** Rule 5: a terminated DPA takes everything processed under it. */
    void dpaTerminated(@Observes DpaTerminated event) {
        materials.markDpaForPurge(event.dpaId(), PurgeReason.DPA_TERMINATED);
    }

    /** Rule 5: offboarding (the client key is already destroyed) purges every object of the client. */
    void clientOffboarded(@Observes ClientOffboarded event) {
        materials.markClientForPurge(event.clientId(), PurgeReason.OFFBOARDED);
    }

    void afterJob(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobClosed event) {
        scheduler.runSoon();
    }

    void afterDpa(@Observes(during = TransactionPhase.AFTER_SUCCESS) DpaTerminated event) {
        scheduler.runSoon();
    }

    void afterClient(@Observes(during = TransactionPhase.AFTER_SUCCESS) ClientOffboarded event) {
        scheduler.runSoon();
    }
}
