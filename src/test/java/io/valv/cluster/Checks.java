package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import io.valv.testing.S3ProxyResource;
import software.amazon.awssdk.services.s3.S3Client;

/** Workload and the checks the cluster ITs share. */
final class Checks {

    private Checks() {
    }

    interface Work {
        void run(int thread) throws Exception;
    }

    /** Runs {@code work} on {@code threads} threads at once and rethrows the first failure. */
    static void concurrently(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    work.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Uploads {@code count} small random materials (1 B to 4 KiB) as acme's uploader, spread over the replicas, 4 at a time.
     */
    static List<String> uploadMany(List<Api> apis, String job, int count) throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        concurrently(4, t -> {
            Api api = apis.get(t % apis.size());
            for (int i = t; i < count; i += 4) {
                byte[] content = new byte[1 + new Random(i).nextInt(4096)];
                new Random(1000 + i).nextBytes(content);
                ids.add(api.upload("acme-upload", job, "note-" + i + ".txt", content).path("id").asText());
            }
        });
        assertEquals(count, ids.size());
        return ids;
    }

    /** A new open job of the demo client acme (under its demo DPA), assigned to alice. */
    static String newJob(Api api, String title) {
        String job = api
                .json("admin", "POST", "/api/v1/jobs", Api.map("clientId", "acme", "title", title, "reuseRequested", false),
                        201)
                .path("id").asText();
        api.json("admin", "POST", "/api/v1/jobs/" + job + "/assignments", Api.map("staff", "alice"), 200);
        return job;
    }

    /** Every replica walks the whole chain and its signed checkpoints and finds them intact. */
    static void assertChainIntact(Api... apis) {
        for (Api api : apis) {
            JsonNode verification = api.verifyAudit();
            assertTrue(verification.path("ok").asBoolean(), api.replicaName() + ": " + verification);
            assertTrue(verification.path("firstBrokenSeq").isNull(), api.replicaName() + ": " + verification);
            assertTrue(verification.path("checkedEvents").asLong() > 0, api.replicaName() + ": " + verification);
        }
    }

    /**
     * The purge is all or nothing per material, at any instant (also right after a kill -9 or an outage):
     * a purged material has its key gone, one purge event and one certificate; any other has its key and
     * neither event nor certificate.
     */
    static void assertNoHalfPurge(Cluster cluster, String job) {
        UUID j = UUID.fromString(job);
        assertEquals(0, cluster.count("select count(*) from material m where m.job_id = ? and m.state = 'PURGED' and"
                + " (exists (select 1 from material_key k where k.material_id = m.id)"
                + " or (select count(*) from deletion_certificate c where c.material_id = m.id) <> 1"
                + " or (select count(*) from audit_event e where e.material_id = m.id and e.action = 'material.purge') <> 1"
                + " or (select count(*) from audit_event e where e.material_id = m.id and e.action = 'certificate.issue') <> 1"
                + " or m.purged_at is null)", j),
                "purged material without exactly one certificate and purge event, or with its key");
        assertEquals(0, cluster.count("select count(*) from material m where m.job_id = ? and m.state <> 'PURGED' and"
                + " (not exists (select 1 from material_key k where k.material_id = m.id)"
                + " or exists (select 1 from deletion_certificate c where c.material_id = m.id)"
                + " or exists (select 1 from audit_event e where e.material_id = m.id and e.action in ('material.purge', 'certificate.issue')))",
                j), "material not purged, yet its key gone or a purge recorded");
    }

    /**
     * All of the job's {@code expected} materials purged once: state, key, certificate, events, and objects gone from the
     * bucket.
     */
    static void assertAllPurgedOnce(Cluster cluster, String job, int expected) {
        UUID j = UUID.fromString(job);
        assertEquals(expected, cluster.count("select count(*) from material where job_id = ?", j));
        assertEquals(0, cluster.count("select count(*) from material where job_id = ? and state <> 'PURGED'", j),
                "left unpurged");
        assertNoHalfPurge(cluster, job);
        assertEquals(expected,
                cluster.count("select count(*) from deletion_certificate where job_id = ? and scope = 'material'", j));
        assertEquals(expected,
                cluster.count("select count(*) from audit_event where job_id = ? and action = 'material.purge'", j));
        try (S3Client s3 = S3ProxyResource.client()) {
            for (String key : cluster.strings("select object_key from material where job_id = ?", j)) {
                assertFalse(cluster.objectExists(s3, key), "object " + key + " still in the bucket");
            }
        }
    }

    /** How many of the job's not yet purged materials already lost their object: a purge cut off between S3 and commit. */
    static long pendingWithoutObject(Cluster cluster, String job) {
        try (S3Client s3 = S3ProxyResource.client()) {
            return cluster
                    .strings("select object_key from material where job_id = ? and state <> 'PURGED'", UUID.fromString(job))
                    .stream().filter(k -> !cluster.objectExists(s3, k)).count();
        }
    }

    static UUID uuid(String id) {
        return UUID.fromString(id);
    }
}
