package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.valv.testing.HeldBody;
import io.valv.testing.S3ProxyResource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two Valv replicas — the packaged jar, two JVMs — on one PostgreSQL database and one S3 bucket, both
 * running the purge scheduler every second (issues #4, #5, #6). What one replica stores the other serves,
 * byte for byte and by range; 200 materials falling due at the same moment are each destroyed exactly once
 * with exactly one certificate, however the two schedulers race for them; and the hash-chained access log
 * stays one unbroken chain while both replicas append to it at once.
 * <p>
 * Time cannot be moved inside a packaged jar, so the materials are made due the only honest way left: their
 * {@code expires_at} is moved into the past in PostgreSQL (one statement, so all fall due at once), and the
 * replicas' own schedulers find them as they would find material whose year is up.
 */
@ExtendWith(ClusterServices.class)
class TwoReplicasIT {

    static final int SMALL_MATERIALS = 200;
    static final int ERASED = 40;
    static final int MIB = 1 << 20;

    private Cluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoReplicasServeEachOthersMaterialAndPurgeEveryMaterialExactlyOnce() throws Exception {
        cluster = Cluster.create("two-replicas");
        // Small batches, so that 200 due materials make 20 batches the two schedulers compete for.
        Map<String, String> purge = Map.of("VALV_PURGE_EVERY", "1s", "VALV_PURGE_BATCH_SIZE", "10",
                "VALV_AUDIT_CHECKPOINT_EVERY", "2s");
        ValvProcess a = cluster.replica("replica-a", purge);
        ValvProcess b = cluster.replica("replica-b", with(purge, "VALV_DEMO_ENABLED", "false")); // A seeds the demo data
        // Started together: Flyway's lock must let exactly one migrate while the other waits.
        a.start();
        b.start();
        a.awaitReady(Duration.ofSeconds(150));
        b.awaitReady(Duration.ofSeconds(150));
        Api apiA = new Api(a);
        Api apiB = new Api(b);

        String job = Checks.newJob(apiA, "Two replicas");

        // --- stored on A, served by B: whole and by range (crossing a 1 MiB segment boundary) ---
        byte[] recording = new byte[3 * MIB + 777];
        new Random(6).nextBytes(recording);
        String big = apiA.upload("acme-upload", job, "interview.wav", recording).path("id").asText();
        HttpResponse<byte[]> whole = apiB.get("alice", "/api/v1/materials/" + big + "/content");
        assertEquals(200, whole.statusCode());
        assertArrayEquals(recording, whole.body(), "B serves what A stored");
        int first = MIB - 10;
        int last = 2 * MIB + 20;
        HttpResponse<byte[]> range = apiB.get("alice", "/api/v1/materials/" + big + "/content", "Range",
                "bytes=" + first + "-" + last);
        assertEquals(206, range.statusCode());
        assertEquals("bytes " + first + "-" + last + "/" + recording.length,
                range.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(recording, first, last + 1), range.body());

        // --- an upload streaming into A while B completes its job is refused, its object deleted (rule 1) ---
        String closing = Checks.newJob(apiA, "Completed mid-upload");
        HeldBody held = new HeldBody(3L * MIB, 2L * MIB);
        CompletableFuture<HttpResponse<String>> racing = HttpClient.newHttpClient().sendAsync(HttpRequest
                .newBuilder(URI.create(a.baseUrl() + "/api/v1/jobs/" + closing + "/materials"))
                .header("Authorization", "Bearer " + Api.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"late.wav\"").header("Valv-Personal-Data", "true")
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofInputStream(() -> held))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(held.held.await(30, TimeUnit.SECONDS), "the upload reached its hold");
        Poll.until("the upload under way on A", Duration.ofSeconds(30), 50,
                () -> cluster.count("select count(*) from material where job_id = ? and state = 'UPLOADING'",
                        Checks.uuid(closing)) == 1,
                () -> "no uploading row");
        try {
            apiB.json("admin", "POST", "/api/v1/jobs/" + closing + "/complete", null, 200);
        } finally {
            held.release.countDown();
        }
        HttpResponse<String> refused = racing.get(60, TimeUnit.SECONDS);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("/job-closed"), refused.body());
        assertEquals(0, cluster.count("select count(*) from material where job_id = ?", Checks.uuid(closing)),
                "nothing left of the refused upload");

        // --- 200 small materials, uploaded through both replicas at once ---
        List<String> ids = new ArrayList<>(List.of(big));
        ids.addAll(Checks.uploadMany(List.of(apiA, apiB), job, SMALL_MATERIALS));
        assertEquals(SMALL_MATERIALS + 1, cluster.count("select count(*) from material where job_id = ? and state = 'STORED'",
                Checks.uuid(job)));
        try (S3Client s3 = S3ProxyResource.client()) {
            assertEquals(SMALL_MATERIALS + 1, cluster.objectKeys(s3).size(), "one object per material in the shared bucket");
        }

        // --- audited requests on both replicas at once: one chain, verified by each replica ---
        AtomicInteger notOk = new AtomicInteger();
        Checks.concurrently(8, t -> {
            Api api = t % 2 == 0 ? apiA : apiB;
            for (int i = 0; i < 20; i++) {
                String id = ids.get((t * 20 + i) % ids.size());
                int status = i % 4 == 0
                        ? api.get("alice", "/api/v1/materials/" + id + "/content", "Range", "bytes=0-9").statusCode()
                        : api.get("acme-upload", "/api/v1/materials/" + id).statusCode();
                if (status != 200 && status != 206) {
                    notOk.incrementAndGet();
                }
            }
        });
        assertEquals(0, notOk.get(), "audited reads refused or failed while both replicas appended");
        Checks.assertChainIntact(apiA, apiB);

        // --- the client admin instructs erasure of 40 materials, each instruction sent to both replicas at once ---
        List<String> erased = ids.subList(1, 1 + ERASED);
        Checks.concurrently(8, t -> {
            Api api = t % 2 == 0 ? apiA : apiB;
            for (int i = t / 2; i < erased.size(); i += 4) { // threads 2k and 2k+1 send the same instructions
                HttpResponse<byte[]> response = api.send("acme-admin", "DELETE", "/api/v1/materials/" + erased.get(i), null);
                assertEquals(202, response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
        });

        // --- the other 161 materials fall due at the same instant; both schedulers go for them ---
        AtomicBoolean purging = new AtomicBoolean(true);
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        List<Future<?>> reading = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Api api = t % 2 == 0 ? apiA : apiB;
            int offset = t;
            reading.add(readers.submit(() -> {
                for (int i = offset; purging.get(); i += 4) {
                    int status = api.get("acme-upload", "/api/v1/materials/" + ids.get(i % ids.size())).statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        try {
            cluster.update(
                    "update material set expires_at = now() - interval '1 minute' where job_id = ? and state = 'STORED'",
                    Checks.uuid(job));
            Poll.until("every material purged", Duration.ofSeconds(90), 200,
                    () -> cluster.count("select count(*) from material where job_id = ? and state <> 'PURGED'",
                            Checks.uuid(job)) == 0,
                    () -> cluster.count("select count(*) from material where job_id = ? and state <> 'PURGED'",
                            Checks.uuid(job))
                            + " not purged\nA:\n" + a.logTail(20) + "\nB:\n" + b.logTail(20));
        } finally {
            purging.set(false);
            for (Future<?> f : reading) {
                f.get();
            }
            readers.shutdown();
        }
        System.out.printf("TwoReplicasIT: %d materials purged by two replicas in %d ms; reads meanwhile: %s%n",
                ids.size(), (System.nanoTime() - started) / 1_000_000, statuses);
        assertEquals(java.util.Set.of(200), statuses.keySet(), "metadata reads on both replicas during the purge: " + statuses);

        // --- exactly once, whoever did it ---
        Checks.assertAllPurgedOnce(cluster, job, ids.size());
        assertEquals(ERASED,
                cluster.count("select count(*) from material where job_id = ? and purge_reason = 'client-instruction'",
                        Checks.uuid(job)));
        assertEquals(ids.size() - ERASED, cluster.count("select count(*) from material where job_id = ?"
                + " and purge_reason = 'retention-expired'", Checks.uuid(job)));
        try (S3Client s3 = S3ProxyResource.client()) {
            assertEquals(List.of(), cluster.objectKeys(s3), "objects left in the bucket");
        }
        // Each replica counts what it destroyed itself: the two counts add up to the materials, no more.
        double byA = apiA.metric("valv_purges_total", "outcome=\"done\"");
        double byB = apiB.metric("valv_purges_total", "outcome=\"done\"");
        System.out.printf("TwoReplicasIT: replica A purged %.0f, replica B purged %.0f%n", byA, byB);
        assertEquals(ids.size(), byA + byB, 0.0, "purges counted by A (" + byA + ") and B (" + byB + ")");
        assertEquals(410, apiB.get("alice", "/api/v1/materials/" + big + "/content").statusCode());

        Checks.assertChainIntact(apiA, apiB);
        assertEquals(cluster.count("select max(seq) from audit_event"), cluster.count("select count(*) from audit_event"),
                "audit sequence numbers without gaps");
        assertTrue(cluster.count("select count(*) from audit_checkpoint") > 0, "checkpoints signed meanwhile");
    }

    static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

}
