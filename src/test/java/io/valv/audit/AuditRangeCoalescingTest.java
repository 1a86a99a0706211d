package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.valv.testing.Database;
import io.valv.testing.MovableClock;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Range reads of one material by one person within the coalescing window become one chained event plus one
 * chained summary with their count and bytes — never fewer reads than were served, and still fail-closed.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditRangeCoalescingTest {

    static final String READ = Actions.MATERIAL_CONTENT_READ;
    static final String SUMMARY = Actions.MATERIAL_CONTENT_RANGE_READS;

    @Inject
    RangeReadFlusher rangeReads;
    @Inject
    AuditLog auditLog;
    @Inject
    MovableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static byte[] range(String token, String id, long first, long last) {
        return given().auth().oauth2(token).header("Range", "bytes=" + first + "-" + last)
                .get("/api/v1/materials/" + id + "/content").then().statusCode(206).extract().asByteArray();
    }

    static long events(String id, String action, String subject) {
        return Database.count("select count(*) from audit_event where material_id = ?::uuid and action = ?"
                + " and actor_subject = ?", id, action, subject);
    }

    static long pending(String id) {
        return Database.count("select count(*) from audit_range_read r where r.material_id = ?::uuid and not exists"
                + " (select 1 from audit_range_flush f where f.read_id = r.id)", id);
    }

    static List<Map<String, Object>> summaries(String token, String id) {
        return AuditApiTest.events(token, "materialId=" + id).stream().filter(e -> SUMMARY.equals(e.get("action")))
                .toList();
    }

    static void assertChainIntact() {
        JsonPath v = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200).extract()
                .jsonPath();
        assertTrue(v.getBoolean("ok"), v.prettify());
    }

    @Test
    void aPlayerBurstIsOneEventAndOneSummaryThenANewWindow() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(64_000, 21);
        String id = Uploads.upload(world, "a.wav", data);
        String alice = Tokens.staff("alice");

        // a player: open at 0, then seek around in 4 KiB requests
        long[] starts = { 0, 4096, 8192, 40_000, 44_096, 12_288, 60_000, 20_000, 24_096, 28_192 };
        long total = 0;
        for (long first : starts) {
            long last = Math.min(first + 4095, data.length - 1);
            assertArrayEquals(Arrays.copyOfRange(data, (int) first, (int) last + 1), range(alice, id, first, last));
            total += last - first + 1;
        }
        long coalescedBytes = total - 4096;
        assertEquals(1, events(id, READ, "alice"), "only the first range read is a chained event");
        assertEquals(starts.length - 1, pending(id), "the others are recorded, uncounted yet");
        // the window is still open: nothing to fold
        rangeReads.flushClosed();
        assertEquals(0, events(id, SUMMARY, "alice"));

        clock.travel(Duration.ofSeconds(61));
        rangeReads.flushClosed();
        assertEquals(1, events(id, SUMMARY, "alice"));
        assertEquals(0, pending(id));
        rangeReads.flushClosed();
        assertEquals(1, events(id, SUMMARY, "alice"), "a second flush counts nothing twice");

        // the client admin's listing shows the summary as a normal event: pseudonym, count and bytes
        List<Map<String, Object>> seen = summaries(Tokens.clientAdmin(world.client), id);
        assertEquals(1, seen.size(), seen.toString());
        Map<String, Object> summary = seen.get(0);
        assertEquals(coalescedBytes, ((Number) summary.get("bytes")).longValue());
        assertTrue(((String) summary.get("detail")).startsWith((starts.length - 1) + " range reads "), summary.toString());
        assertTrue(((String) summary.get("actor")).matches("p-[0-9a-f]{16}"), summary.toString());
        assertEquals("ok", summary.get("outcome"));

        // after the window a range read opens a new one: a chained event again
        range(alice, id, 0, 99);
        assertEquals(2, events(id, READ, "alice"));
        range(alice, id, 100, 199);
        assertEquals(2, events(id, READ, "alice"));
        assertEquals(1, pending(id));

        // a whole read is never coalesced
        given().auth().oauth2(alice).get("/api/v1/materials/" + id + "/content").then().statusCode(200);
        assertEquals(3, events(id, READ, "alice"));

        // the certificate counts every read served: 10 + 2 range reads and the whole one
        assertEquals(starts.length + 2 + 1, auditLog.contentReads(UUID.fromString(id)));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/materials/" + id).then().statusCode(202);
        Number accesses = awaitCertificateAccesses(world);
        assertEquals(starts.length + 2 + 1, accesses.longValue());
        assertChainIntact();
    }

    @Test
    void peopleAndMaterialsAreNotMergedAndTheIncidentReportCountsOpenWindows() {
        Instant from = Instant.now().minusSeconds(1);
        World world = World.create();
        String a = Uploads.upload(world, "a.wav", Uploads.randomBytes(10_000, 22));
        String b = Uploads.upload(world, "a.wav", Uploads.randomBytes(10_000, 23));
        String alice = Tokens.staff("alice");
        String admin = Tokens.clientAdmin(world.client);
        range(alice, a, 0, 9);
        range(alice, a, 10, 29);
        range(admin, a, 0, 99);
        range(admin, a, 100, 299);
        range(alice, b, 0, 999);
        range(alice, b, 1000, 3999);
        assertEquals(1, events(a, READ, "alice"));
        assertEquals(1, events(a, READ, world.client + "-admin"));
        assertEquals(1, events(b, READ, "alice"));

        // the report folds open windows first, so every served read is in it
        JsonPath report = given().auth().oauth2(Tokens.auditor())
                .get("/api/v1/audit/incident-report?from=" + from + "&to=" + Instant.now().plusSeconds(5)).then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> section = report.getList("clients", Map.class).stream()
                .filter(c -> world.client.equals(c.get("clientId"))).findFirst().orElseThrow();
        assertEquals(6, section.get("contentReads"));
        assertEquals(10 + 20 + 100 + 200 + 1000 + 3000, section.get("bytesRead"));

        assertEquals(1, events(a, SUMMARY, "alice"));
        assertEquals(1, events(a, SUMMARY, world.client + "-admin"));
        assertEquals(1, events(b, SUMMARY, "alice"));
        assertEquals(20, Database.count("select bytes from audit_event where material_id = ?::uuid and action = ?"
                + " and actor_subject = 'alice'", a, SUMMARY));
        assertEquals(200, Database.count("select bytes from audit_event where material_id = ?::uuid and action = ?"
                + " and actor_subject = ?", a, SUMMARY, world.client + "-admin"));
        assertEquals(3000, Database.count("select bytes from audit_event where material_id = ?::uuid and action = ?",
                b, SUMMARY));

        // a read in the same, still open window after an early fold is counted by a later summary
        range(alice, a, 30, 39);
        assertEquals(1, events(a, READ, "alice"));
        rangeReads.flushAll();
        assertEquals(2, events(a, SUMMARY, "alice"));
        assertEquals(0, pending(a));
        assertChainIntact();
    }

    @Test
    void aRangeReadThatCannotBeRecordedIsNotServed() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(8000, 24));
        String alice = Tokens.staff("alice");
        range(alice, id, 0, 99); // opens the window: the next read would be coalesced
        String refused = AuditTestSupport.requestId();
        try (Connection c = Database.connect(); Statement s = c.createStatement()) {
            s.execute("alter table audit_range_read rename to audit_range_read_offline");
            try {
                given().auth().oauth2(alice).header("X-Request-Id", refused).header("Range", "bytes=100-199")
                        .get("/api/v1/materials/" + id + "/content").then().statusCode(503)
                        .contentType("application/problem+json").header("Content-Range", nullValue())
                        .body("type", endsWith(AuditFailClosedTest.UNAVAILABLE));
            } finally {
                s.execute("alter table audit_range_read_offline rename to audit_range_read");
            }
        }
        assertEquals(0, Database.count("select count(*) from audit_range_read where request_id = ?", refused));
        assertEquals(1, events(id, READ, "alice"));
        // back: the same read is served and recorded
        given().auth().oauth2(alice).header("X-Request-Id", refused).header("Range", "bytes=100-199")
                .get("/api/v1/materials/" + id + "/content").then().statusCode(206);
        assertEquals(1, Database.count("select count(*) from audit_range_read where request_id = ?", refused));
    }

    @Test
    void readsLeftUncountedByACrashAreFoldedOnceAfterTheRestart() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(1000, 25));
        // as a replica that served three coalesced reads and died before its flush left them
        UUID window = UUID.randomUUID();
        Instant start = Instant.now().minus(Duration.ofMinutes(10));
        try (Connection c = Database.connect();
                PreparedStatement s = c.prepareStatement("insert into audit_range_read"
                        + " (id, window_event_id, window_start, occurred_at, actor_subject, actor_roles, actor_client, client_id,"
                        + " job_id, material_id, first_byte, last_byte, bytes, request_id, client_ip, user_agent)"
                        + " values (?, ?, ?, ?, 'alice', 'staff', null, ?, ?::uuid, ?::uuid, ?, ?, ?, ?, '127.0.0.1', 'player')")) {
            for (int i = 0; i < 3; i++) {
                s.setObject(1, UUID.randomUUID());
                s.setObject(2, window);
                s.setTimestamp(3, Timestamp.from(start));
                s.setTimestamp(4, Timestamp.from(start.plusSeconds(i + 1)));
                s.setString(5, world.client);
                s.setString(6, world.jobId);
                s.setString(7, id);
                s.setLong(8, i * 100L);
                s.setLong(9, i * 100L + 99);
                s.setLong(10, 100);
                s.setString(11, "t-crash-" + i);
                s.addBatch();
            }
            s.executeBatch();
        }
        assertEquals(3, pending(id));

        // two replicas flush at once: the head lock orders them, the second finds nothing left
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> flushes = List.of(1, 2).stream().map(n -> CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return rangeReads.flushClosed();
        })).toList();
        go.countDown();
        int counted = flushes.stream().mapToInt(CompletableFuture::join).sum();
        assertTrue(counted <= 3, "no read counted twice: " + counted);

        assertEquals(0, pending(id));
        assertEquals(1, events(id, SUMMARY, "alice"));
        assertEquals(300, Database.count("select bytes from audit_event where material_id = ?::uuid and action = ?",
                id, SUMMARY));
        assertEquals(1, Database.count("select count(*) from audit_event where material_id = ?::uuid and action = ?"
                + " and detail like '3 range reads %, window " + window + "'", id, SUMMARY));
        rangeReads.flushClosed();
        assertEquals(1, events(id, SUMMARY, "alice"));
        assertEquals(3, auditLog.contentReads(UUID.fromString(id)));
        assertChainIntact();
    }

    @Test
    void verificationNamesASummaryWhoseCoalescedReadsWereDeletedOrAltered() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(10_000, 26));
        String alice = Tokens.staff("alice");
        range(alice, id, 0, 999);
        range(alice, id, 1000, 1999);
        range(alice, id, 2000, 2499);
        clock.travel(Duration.ofSeconds(61));
        rangeReads.flushClosed();
        long summarySeq = Database.count("select seq from audit_event where material_id = ?::uuid and action = ?", id,
                SUMMARY);
        assertEquals(1500, Database.count("select bytes from audit_event where seq = ?", summarySeq));
        assertChainIntact();

        try (Connection c = Database.connect(); Statement s = c.createStatement()) {
            // a coalesced read made smaller after its summary was written
            String read = "(select id from audit_range_read where material_id = '" + id + "' and first_byte = 2000)";
            s.executeUpdate("update audit_range_read set bytes = 1 where id = " + read);
            try {
                assertSummaryBroken(summarySeq, "2 reads of 1500 bytes on the chain, 2 reads of 1001 bytes");
            } finally {
                s.executeUpdate("update audit_range_read set bytes = 500 where id = " + read);
            }
            assertChainIntact();

            // a coalesced read deleted (kept aside, put back afterwards)
            s.execute("create temporary table kept as select * from audit_range_read where id = " + read);
            s.executeUpdate("delete from audit_range_read where id in (select id from kept)");
            try {
                assertSummaryBroken(summarySeq, "2 reads of 1500 bytes on the chain, 1 reads of 1000 bytes");
            } finally {
                s.executeUpdate("insert into audit_range_read select * from kept");
            }
        }
        assertChainIntact();
    }

    private static void assertSummaryBroken(long seq, String why) {
        JsonPath v = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(false, v.getBoolean("ok"), v.prettify());
        assertEquals(seq, v.getLong("firstBrokenSeq"), v.prettify());
        assertTrue(v.getString("reason").contains(why), v.prettify());
    }

    private static Number awaitCertificateAccesses(World world) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Map<String, Object>> certs = given().auth().oauth2(Tokens.clientAdmin(world.client))
                    .get("/api/v1/certificates").then().statusCode(200).extract().jsonPath().getList("$");
            if (!certs.isEmpty() || System.nanoTime() > deadline) {
                assertEquals(1, certs.size(), certs.toString());
                return given().auth().oauth2(Tokens.clientAdmin(world.client))
                        .get("/api/v1/certificates/" + certs.get(0).get("id")).then().statusCode(200).extract()
                        .path("accesses");
            }
            Thread.sleep(200);
        }
    }
}
