package io.valv.purge;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.valv.client.ClientService;
import io.valv.dpa.DpaService;

/**
 * Carries out scheduled ends of contract once their waiting period is over (lifecycle rule 5). Each batch
 * takes its rows with {@code FOR UPDATE SKIP LOCKED}, so replicas never carry out the same one twice; the
 * events they fire mark the material, and the purge runs right after the commit.
 */
@ApplicationScoped
class EndOfContractRunner {

    private static final int BATCH = 20;

    private final ClientService clients;
    private final DpaService dpas;

    EndOfContractRunner(ClientService clients, DpaService dpas) {
        this.clients = clients;
        this.dpas = dpas;
    }

    @Scheduled(every = "${valv.purge.every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void carryOutDue() {
        try {
            while (dpas.terminateDue(BATCH) == BATCH) {
                // more are due: take the next batch
            }
            while (clients.offboardDue(BATCH) == BATCH) {
                // more are due: take the next batch
            }
        } catch (RuntimeException e) {
            Log.warnf("Carrying out scheduled ends of contract failed (%s); retried on the next run",
                    e.getClass().getSimpleName());
        }
    }
}
