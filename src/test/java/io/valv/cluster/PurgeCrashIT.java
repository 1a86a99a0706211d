package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.valv.testing.NetworkCut;
import io.valv.testing.S3ProxyResource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Purge is crash-safe (issue #4, DESIGN.md lifecycle rule 6), proven on the packaged jar: a replica is
 * SIGKILLed while it is destroying material, the object store goes away mid-purge, the database connection
 * is cut mid-purge — each time the purge resumes or retries, and every material ends purged exactly once,
 * with exactly one signed certificate and one purge event, its object gone and the audit chain intact. Right
 * after each failure the database shows no half-purged material (all or nothing per material).
 * <p>
 * The replica's database connections run through a {@link NetworkCut} so that the test can cut them while
 * PostgreSQL itself stays up. Material falls due three honest ways: retention expiry (its {@code expires_at}
 * moved into the past in PostgreSQL, because time cannot be moved inside a packaged jar), the job being
 * completed, and the client admin's erasure instruction. Small purge batches (3 per transaction) keep a purge
 * of a few dozen materials long enough to interrupt. The replica is SIGKILLed at three points: right after
 * its first batch committed, while a batch is between deleting its objects and committing (seen from
 * outside: a material not yet purged whose object is gone), and at two thirds.
 */
@ExtendWith(ClusterServices.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurgeCrashIT {

    static final int MATERIALS = 60;
    private static Cluster cluster;
    private static NetworkCut database;
    private static ValvProcess replica;

    @BeforeAll
    static void startReplica() {
        cluster = Cluster.create("purge-crash");
        database = cluster.databaseLink();
        replica = cluster.replica("crash", Map.of("QUARKUS_DATASOURCE_JDBC_URL", cluster.jdbcUrl(database.port()),
                "VALV_PURGE_EVERY", "1s", "VALV_PURGE_BATCH_SIZE", "3"));
        replica.start().awaitReady(Duration.ofSeconds(150));
    }

    @AfterAll
    static void tearDown() {
        S3ProxyResource.restart();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void killNineWhilePurgingThenRestartEndsWithEveryMaterialPurgedOnce() throws Exception {
        Api api = new Api(replica);
        String job = Checks.newJob(api, "Crash while purging");
        List<String> ids = Checks.uploadMany(List.of(api), job, MATERIALS);
        assertEquals(MATERIALS, cluster.update(
                "update material set expires_at = now() - interval '1 minute' where job_id = ? and state = 'STORED'",
                Checks.uuid(job)));

        // Three kills at different points, restarting after each: right after the first batch committed;
        // while a batch is between deleting its objects and committing; at about two thirds purged.
        awaitPurgedAtLeast(job, 1);
        killAndCheck(job, "after the first batch");
        replica.start().awaitReady(Duration.ofSeconds(150));
        awaitBatchBetweenDeleteAndCommit(job);
        killAndCheck(job, "between a batch's object deletes and its commit");
        replica.start().awaitReady(Duration.ofSeconds(150));
        awaitPurgedAtLeast(job, 2 * MATERIALS / 3);
        killAndCheck(job, "at two thirds");
        replica.start().awaitReady(Duration.ofSeconds(150));
        awaitAllPurged(job);
        Checks.assertAllPurgedOnce(cluster, job, ids.size());
        assertEquals(ids.size(),
                cluster.count("select count(*) from material where job_id = ? and purge_reason = 'retention-expired'",
                        Checks.uuid(job)));
        Checks.assertChainIntact(api);
        assertCertificateIsSignedCms(api, ids);
    }

    @Test
    @Order(2)
    void objectStoreOutageWhilePurgingIsRetriedUntilEveryMaterialIsPurgedOnce() throws Exception {
        Api api = new Api(replica);
        String job = Checks.newJob(api, "Store outage while purging");
        List<String> ids = Checks.uploadMany(List.of(api), job, MATERIALS);
        double failedBefore = api.metric("valv_purges_total", "outcome=\"failed\"");

        api.json("alice", "POST", "/api/v1/jobs/" + job + "/complete", null, 200); // rule 2: completed → purged at once
        awaitPurgedAtLeast(job, 1);
        S3ProxyResource.kill();
        try {
            Poll.until("a purge batch failing on the store", Duration.ofSeconds(60), 100,
                    () -> api.metric("valv_purges_total", "outcome=\"failed\"") > failedBefore, () -> replica.logTail(20));
            long purged = purged(job);
            System.out.printf("PurgeCrashIT: object store cut with %d of %d purged%n", purged, MATERIALS);
            assertTrue(purged < MATERIALS, "the store went away after the purge had finished");
            Checks.assertNoHalfPurge(cluster, job);
        } finally {
            S3ProxyResource.restart();
        }
        awaitAllPurged(job);
        Checks.assertAllPurgedOnce(cluster, job, ids.size());
        assertEquals(ids.size(),
                cluster.count("select count(*) from material where job_id = ? and purge_reason = 'job-completed'",
                        Checks.uuid(job)));
        Checks.assertChainIntact(api);
    }

    @Test
    @Order(3)
    void databaseOutageWhilePurgingIsRetriedUntilEveryMaterialIsPurgedOnce() throws Exception {
        Api api = new Api(replica);
        String job = Checks.newJob(api, "Database outage while purging");
        List<String> ids = Checks.uploadMany(List.of(api), job, MATERIALS);
        double failedBefore = api.metric("valv_purges_total", "outcome=\"failed\"");

        JsonNode accepted = api.json("acme-admin", "DELETE", "/api/v1/jobs/" + job + "/materials", null, 202); // erasure instruction
        assertEquals(MATERIALS, accepted.path("marked").asInt());
        awaitPurgedAtLeast(job, 1);
        database.cut();
        try {
            Poll.until("a purge batch failing on the database", Duration.ofSeconds(60), 100,
                    () -> api.metric("valv_purges_total", "outcome=\"failed\"") > failedBefore, () -> replica.logTail(20));
            long purged = purged(job);
            System.out.printf(
                    "PurgeCrashIT: database link cut with %d of %d purged; %d not yet purged whose object was already deleted%n",
                    purged, MATERIALS, Checks.pendingWithoutObject(cluster, job));
            assertTrue(purged < MATERIALS, "the database went away after the purge had finished");
            Checks.assertNoHalfPurge(cluster, job);
        } finally {
            database.restore();
        }
        awaitAllPurged(job);
        replica.awaitReady(Duration.ofSeconds(60));
        Checks.assertAllPurgedOnce(cluster, job, ids.size());
        assertEquals(ids.size(),
                cluster.count("select count(*) from material where job_id = ? and purge_reason = 'client-instruction'",
                        Checks.uuid(job)));
        Checks.assertChainIntact(api);
    }

    private void killAndCheck(String job, String point) {
        replica.kill9();
        long purged = purged(job);
        System.out.printf("PurgeCrashIT: SIGKILL %s: %d of %d purged; %d not yet purged whose object was already deleted%n",
                point, purged, MATERIALS, Checks.pendingWithoutObject(cluster, job));
        assertTrue(purged < MATERIALS, "the kill came after the purge had finished; nothing was interrupted");
        Checks.assertNoHalfPurge(cluster, job);
    }

    /**
     * Waits until a material that is not purged has lost its object, other than those a previous kill left
     * so: the bucket is listed first, the database read second, and objects only ever disappear — so at the
     * moment of the read, a batch has deleted objects and not yet committed.
     */
    private void awaitBatchBetweenDeleteAndCommit(String job) {
        try (S3Client s3 = S3ProxyResource.client()) {
            Set<String> leftOver = Set.copyOf(notPurgedWithoutObject(s3, job));
            Poll.until("a purge batch between its object deletes and its commit", Duration.ofSeconds(90), 5, () -> {
                List<String> now = notPurgedWithoutObject(s3, job);
                return now.stream().anyMatch(k -> !leftOver.contains(k)) || purged(job) == MATERIALS;
            }, () -> purged(job) + " purged\n" + replica.logTail(20));
        }
    }

    private List<String> notPurgedWithoutObject(S3Client s3, String job) {
        Set<String> objects = Set.copyOf(cluster.objectKeys(s3));
        return cluster.strings("select object_key from material where job_id = ? and state <> 'PURGED'", Checks.uuid(job))
                .stream()
                .filter(k -> !objects.contains(k)).toList();
    }

    private long purged(String job) {
        return cluster.count("select count(*) from material where job_id = ? and state = 'PURGED'", Checks.uuid(job));
    }

    private void awaitPurgedAtLeast(String job, long n) {
        Poll.until(n + " materials purged", Duration.ofSeconds(90), 10, () -> purged(job) >= n,
                () -> purged(job) + " purged\n" + replica.logTail(20));
    }

    private void awaitAllPurged(String job) {
        Poll.until("every material purged", Duration.ofSeconds(120), 200, () -> purged(job) == MATERIALS,
                () -> purged(job) + " of " + MATERIALS + " purged\n" + replica.logTail(30));
    }

    /**
     * One certificate, fetched as the client admin: CMS SignedData over the JSON naming the material, carrying the configured
     * signing certificate.
     */
    private static void assertCertificateIsSignedCms(Api api, List<String> ids) throws Exception {
        Set<String> ours = Set.copyOf(ids);
        JsonNode list = api.json("acme-admin", "GET", "/api/v1/certificates?clientId=acme", null, 200);
        JsonNode certificate = null;
        int ofOurs = 0;
        for (JsonNode c : list) {
            if (ours.contains(c.path("materialId").asText())) {
                ofOurs++;
                certificate = c;
            }
        }
        assertEquals(ids.size(), ofOurs, "certificates listed for the purged materials");
        HttpResponse<byte[]> signed = api.get("acme-admin",
                "/api/v1/certificates/" + certificate.path("id").asText() + "/signed");
        assertEquals(200, signed.statusCode());
        CMSSignedData cms = new CMSSignedData(signed.body());
        String document = new String((byte[]) cms.getSignedContent().getContent(), StandardCharsets.UTF_8);
        assertTrue(document.contains(certificate.path("materialId").asText()), document);
        // Signature checks live in the certificate tests (openssl cms -verify); here: signed by the configured key.
        X509Certificate signing = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(api.get("acme-admin", "/api/v1/certificates/signing-certificate").body()));
        assertEquals(1, cms.getSignerInfos().size());
        assertTrue(cms.getCertificates().getMatches(null).stream().anyMatch(holder -> {
            try {
                return java.util.Arrays.equals(holder.getEncoded(), signing.getEncoded());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }), "the CMS carries the configured signing certificate");
    }
}
