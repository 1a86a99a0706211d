package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Group commit of read events (AuditBatcher): many concurrent readers, one event each on one gapless chain
 * that verifies, written by fewer commits than events; and a batch that fails answers every request in it
 * with 503 and serves nothing.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditGroupCommitTest {

    static final int THREADS = 16;
    static final int PER_THREAD = 12;
    static final String UNAVAILABLE = "/audit-unavailable";

    @Inject
    MeterRegistry registry;

    @Test
    void concurrentReadsShareCommitsAndKeepOneChain() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(2000, 21);
        String id = Uploads.upload(world, "a.wav", data);
        String run = "grp-" + UUID.randomUUID();
        DistributionSummary batches = registry.get("valv.audit.batch.size").summary();
        long commitsBefore = batches.count();
        double eventsBefore = batches.totalAmount();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        String requestId = run + "-" + thread + "-" + i;
                        var request = given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", requestId);
                        switch ((thread + i) % 3) {
                            case 0 -> request.get("/api/v1/materials/" + id).then().statusCode(200);
                            case 1 -> request.get("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(200);
                            default -> assertArrayEquals(data, request.get("/api/v1/materials/" + id + "/content").then()
                                    .statusCode(200).extract().asByteArray());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        int reads = THREADS * PER_THREAD;
        // every read has exactly one event, of the right kind
        assertEquals(reads, Database.count("select count(*) from audit_event where request_id like ?", run + "-%"));
        assertEquals(reads, Database.count("select count(distinct request_id) from audit_event where request_id like ?",
                run + "-%"));
        assertEquals(reads, Database.count("select count(*) from audit_event where request_id like ? and action in (?, ?, ?)"
                + " and client_id = ? and actor_subject = 'alice'", run + "-%", Actions.MATERIAL_METADATA_READ,
                Actions.MATERIAL_LIST, Actions.MATERIAL_CONTENT_READ, world.client));
        // one gapless chain, and the client's chain gapless too
        assertEquals(Database.count("select count(*) from audit_event"), Database.count("select max(seq) from audit_event"));
        assertEquals(Database.count("select count(*) from audit_event where client_id = ?", world.client),
                Database.count("select max(client_seq) from audit_event where client_id = ?", world.client));
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true));

        // the reads went through the group commit, and under 16 concurrent readers they shared commits
        long commits = batches.count() - commitsBefore;
        double events = batches.totalAmount() - eventsBefore;
        assertTrue(events >= reads, "every read was group-committed: " + events + " events for " + reads + " reads");
        assertTrue(commits < events, "batches formed: " + commits + " commits for " + events + " events");
        given().get("/q/metrics").then().statusCode(200).body(containsString("valv_audit_batch_size_count"))
                .body(containsString("valv_audit_batch_size_bucket"));
    }

    @Test
    void aFailedBatchRefusesEveryReadInIt() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(3000, 22));
        String run = "grp-fail-" + UUID.randomUUID();
        int readers = 8;
        DistributionSummary batches = registry.get("valv.audit.batch.size").summary();
        long commitsBefore = batches.count();
        double failedBefore = registry.get("valv.audit.batch.failed").counter().count();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try (Connection holder = Database.connect();
                Connection ddl = Database.connect();
                Statement hs = holder.createStatement();
                Statement ds = ddl.createStatement()) {
            ds.execute("alter table audit_event rename to audit_event_offline");
            try {
                holder.setAutoCommit(false);
                // hold the head briefly (well under valv.audit.lock-timeout), so that the reads queue up behind
                // the first batch and the next batch carries several of them
                hs.execute("select seq from audit_head where id = 1 for update");
                List<Future<Response>> responses = new ArrayList<>();
                for (int r = 0; r < readers; r++) {
                    String requestId = run + "-" + r;
                    String path = r % 2 == 0 ? "/api/v1/materials/" + id + "/content" : "/api/v1/materials/" + id;
                    responses.add(pool.submit(() -> given().auth().oauth2(Tokens.staff("alice"))
                            .header("X-Request-Id", requestId).get(path).then().extract().response()));
                }
                Thread.sleep(3000);
                holder.rollback();
                for (Future<Response> f : responses) {
                    Response response = f.get();
                    assertEquals(503, response.statusCode(), response.asString());
                    assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
                    assertTrue(response.jsonPath().getString("type").endsWith(UNAVAILABLE));
                }
            } finally {
                holder.rollback();
                ds.execute("alter table audit_event_offline rename to audit_event");
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(0, Database.count("select count(*) from audit_event where request_id like ?", run + "-%"));
        double failed = registry.get("valv.audit.batch.failed").counter().count() - failedBefore;
        assertTrue(failed >= 1 && failed < readers, "the failed reads shared batches: " + failed + " failed batches");
        assertEquals(commitsBefore, batches.count(), "no batch committed while the log was down");

        // back: reads are served and recorded, the chain intact
        String back = run + "-back";
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", back).get("/api/v1/materials/" + id + "/content")
                .then().statusCode(200);
        assertEquals(1, Database.count("select count(*) from audit_event where request_id = ?", back));
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true));
    }

    @Test
    void aTimedOutReadIsRefused() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(1000, 23));
        String requestId = AuditTestSupport.requestId();
        try (Connection holder = Database.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("select seq from audit_head where id = 1 for update");
            try {
                given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", requestId)
                        .get("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(503)
                        .body("type", endsWith(UNAVAILABLE)).body("requestId", equalTo(requestId));
                // the request gave up after valv.audit.batch-wait; hold on until the batch's own lock wait
                // (valv.audit.lock-timeout, started a moment later) has certainly run out as well
                Thread.sleep(1500);
            } finally {
                holder.rollback();
            }
        }
        assertEquals(0, Database.count("select count(*) from audit_event where request_id = ?", requestId));
    }
}
