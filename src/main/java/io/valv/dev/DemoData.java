package io.valv.dev;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.valv.client.ClientService;
import io.valv.dpa.Dpa;
import io.valv.dpa.DpaService;
import io.valv.job.Job;
import io.valv.job.JobService;
import io.valv.security.Caller;
import io.valv.security.Roles;
import io.valv.storage.StorageConfig;
import io.valv.uploadlink.UploadLinkService;

/**
 * Seeds the demo world when {@code valv.demo.enabled} (dev mode, local stack): the storage
 * sub-processor, clients acme and globex with active DPAs, an open acme job assigned to alice, and an upload
 * link into it. Runs only on an empty database.
 */
class DemoData {

    @Transactional
    void seed(@Observes StartupEvent event, DemoConfig config, ClientService clients, DpaService dpas, JobService jobs,
            StorageConfig storage, UploadLinkService uploadLinks) {
        if (!config.enabled() || !clients.visibleTo(system()).isEmpty()) {
            return;
        }
        dpas.registerSubProcessor(storage.subProcessor(), "Encrypted storage of client material", "SE",
                "EU/EEA: no third-country transfer", null);
        seedClient(clients, dpas, storage, "acme", "Acme Research AB", "556000-0001");
        seedClient(clients, dpas, storage, "globex", "Globex Media AS", "998000-0002");
        Job job = jobs.create(system(), "acme", null, "Interviews spring 2026", false);
        jobs.assign(system(), job.id, "alice");
        Log.infof("Demo data: clients acme and globex; open job %s (acme) assigned to alice", job.id);
        UploadLinkService.Created link = uploadLinks.create(acmeAdmin(), job.id, new UploadLinkService.NewLink(
                Instant.now().plus(Duration.ofDays(7)), 2_000_000_000L, 20, "Demo link: upload the spring interviews here."));
        // the one place a link's secret is logged, and only for the throw-away demo world of dev mode
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        Log.infof("Demo upload link into that job (7 days, 20 files, 2 GB): http://localhost:%d/upload/%s", port,
                link.token());
    }

    private static Caller acmeAdmin() {
        return new Caller("acme-admin", java.util.Set.of(Roles.CLIENT_ADMIN), java.util.Optional.of("acme"));
    }

    private static void seedClient(ClientService clients, DpaService dpas, StorageConfig storage, String id, String name,
            String orgNumber) {
        clients.create(id, name, orgNumber, "dpo@" + id + ".example");
        Dpa dpa = dpas.create(id, new DpaService.NewDpa("DPA-" + id.toUpperCase() + "-2026", "1.0",
                LocalDate.of(2026, 1, 10), LocalDate.of(2026, 1, 15), null, true, false,
                List.of("interview recordings", "names", "voices"), 365, List.of(storage.subProcessor()), false));
        Log.debugf("Demo DPA %s for %s", dpa.id, id);
    }

    private static Caller system() {
        return new Caller("valv-demo-seed", java.util.Set.of(Roles.VAULT_ADMIN), java.util.Optional.empty());
    }
}
