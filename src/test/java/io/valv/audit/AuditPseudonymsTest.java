package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.valv.audit.proof.AuditChain;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * {@code valv.audit.personal-data=per-client-pseudonyms}: what PostgreSQL holds after staff access a
 * client's material, how the auditor still finds a named person, and what offboarding shreds. One class,
 * so one extra start of the service.
 */
@QuarkusTest
@TestProfile(AuditPseudonymsTest.PseudonymMode.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditPseudonymsTest {

    public static class PseudonymMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("valv.audit.personal-data", "per-client-pseudonyms");
        }
    }

    private static final String AGENT = "pseudonym-test-player/2.0";

    /** actor_subject, client_ip, user_agent of the chained event of one request and action, as stored. */
    static String[] stored(String requestId, String action) {
        return row("select actor_subject, client_ip, user_agent from audit_event where request_id = ? and action = ?",
                requestId, action);
    }

    static String[] row(String sql, Object... args) {
        try (Connection c = Database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "no row for " + List.of(args));
                String[] out = { r.getString(1), r.getString(2), r.getString(3) };
                assertFalse(r.next(), "more than one row for " + List.of(args));
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(String token, String materialId, String range) {
        String requestId = AuditTestSupport.requestId();
        var request = given().auth().oauth2(token).header("X-Request-Id", requestId).header("User-Agent", AGENT);
        if (range != null) {
            request.header("Range", range);
        }
        request.get("/api/v1/materials/" + materialId + "/content").then().statusCode(range == null ? 200 : 206);
        return requestId;
    }

    static void assertPseudonymised(String[] personal) {
        for (String value : personal) {
            assertNotNull(value, List.of(personal).toString());
            assertTrue(value.matches("psn:[0-9a-f]{32}"), "not a pseudonym: " + value);
        }
    }

    static List<String> requestIds(String query) {
        return AuditApiTest.events(Tokens.auditor(), query).stream().map(e -> (String) e.get("requestId")).toList();
    }

    @Test
    void staffReadsStoreNoClearPersonalDataAndPseudonymsArePerClient() {
        World world = World.create();
        World other = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(8000, 51));
        String otherId = Uploads.upload(other, "a.wav", Uploads.randomBytes(8000, 52));

        String whole = read(Tokens.staff("alice"), id, null);
        String opening = read(Tokens.staff("alice"), id, "bytes=0-99");
        String coalesced = read(Tokens.staff("alice"), id, "bytes=100-199");
        String otherRead = read(Tokens.staff("alice"), otherId, null);

        String[] wholeRow = stored(whole, Actions.MATERIAL_CONTENT_READ);
        assertPseudonymised(wholeRow);
        for (String value : wholeRow) {
            assertFalse(value.contains("alice") || value.contains(AGENT) || value.contains("127.0.0.1"), value);
        }
        // the same person, the same address and the same user agent: one pseudonym each within the client
        assertEquals(List.of(wholeRow), List.of(stored(opening, Actions.MATERIAL_CONTENT_READ)));
        // a coalesced range read is stored the same way (and coalesced at all: its window was found by pseudonym)
        String[] rangeRow = row("select actor_subject, client_ip, user_agent from audit_range_read where request_id = ?",
                coalesced);
        assertEquals(List.of(wholeRow), List.of(rangeRow));
        // another client: other pseudonyms for the same person, address and agent
        String[] otherRow = stored(otherRead, Actions.MATERIAL_CONTENT_READ);
        assertPseudonymised(otherRow);
        for (int i = 0; i < 3; i++) {
            assertNotEquals(wholeRow[i], otherRow[i]);
        }
        // the uploader's (the client's own person's) event is pseudonymised as well
        assertTrue(row("select actor_subject, client_ip, user_agent from audit_event where material_id = ?::uuid"
                + " and action = ?", id, Actions.MATERIAL_UPLOAD)[0].startsWith("psn:"));

        // the auditor finds alice by name, in one client or across all; bob is not alice
        List<String> alices = requestIds("clientId=" + world.client + "&actor=alice");
        assertTrue(alices.contains(whole) && alices.contains(opening), alices.toString());
        assertFalse(alices.contains(otherRead), alices.toString());
        List<String> everywhere = requestIds("actor=alice");
        assertTrue(everywhere.contains(whole) && everywhere.contains(otherRead), everywhere.toString());
        assertFalse(requestIds("clientId=" + world.client + "&actor=bob").contains(whole));
        // a client admin may not test names against the pseudonyms it sees
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit?actor=alice").then().statusCode(403);

        // the client admin's listing, the export (with its personal commitments) and the incident report work
        List<Map<String, Object>> clientView = AuditApiTest.events(Tokens.clientAdmin(world.client),
                "materialId=" + id);
        assertTrue(clientView.stream().noneMatch(e -> "alice".equals(e.get("actor"))), clientView.toString());
        JsonPath export = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/export?clientId=" + world.client)
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> exported = export.getList("events");
        Map<String, Object> exportedRead = exported.stream().filter(e -> whole.equals(e.get("requestId"))).findFirst()
                .orElseThrow();
        assertEquals(wholeRow[0], exportedRead.get("actorSubject"));
        assertEquals(exportedRead.get("personal"), AuditChain.personal((String) exportedRead.get("personalSalt"),
                (String) exportedRead.get("actorSubject"), (String) exportedRead.get("clientIp"),
                (String) exportedRead.get("userAgent")));
        JsonPath report = given().auth().oauth2(Tokens.auditor()).queryParam("from", Instant.now().minusSeconds(600).toString())
                .queryParam("to", Instant.now().plusSeconds(60).toString()).accept("application/json")
                .get("/api/v1/audit/incident-report").then().statusCode(200).extract().jsonPath();
        List<String> actors = report.getList("clients.find { it.clientId == '" + world.client + "' }.actors");
        assertTrue(actors.contains(wholeRow[0]) && !actors.contains("alice"), actors.toString());

        AuditRangeCoalescingTest.assertChainIntact();
    }

    @Test
    void offboardingShredsThePseudonymsAndTheChainStaysIntact() {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(4000, 53));
        String before = read(Tokens.staff("alice"), id, null);
        String[] beforeRow = stored(before, Actions.MATERIAL_CONTENT_READ);
        assertPseudonymised(beforeRow);
        assertTrue(requestIds("clientId=" + world.client + "&actor=alice").contains(before));

        String offboarding = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.admin()).header("X-Request-Id", offboarding)
                .contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("waitDays", 0, "reason", "test"))
                .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202);

        // the pseudonym key is derived from the client key; its only stored form is gone
        assertEquals(1, Database.count("select count(*) from client where id = ? and wrapped_key is null", world.client));
        // the offboarding itself was recorded under the key, before it was destroyed
        String offboardedBy = stored(offboarding, Actions.CLIENT_OFFBOARD)[0];
        assertTrue(offboardedBy.matches("psn:[0-9a-f]{32}"), offboardedBy);

        // nobody can link the client's pseudonyms to alice any more: asked directly, the API says why ...
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + world.client + "&actor=alice").then()
                .statusCode(409).body("type", endsWith("/pseudonym-key-destroyed"));
        // ... and across all clients her events of this client are no longer found
        assertFalse(requestIds("actor=alice").contains(before));
        // the stored pseudonyms themselves are unchanged (the log is never rewritten)
        assertEquals(List.of(beforeRow), List.of(stored(before, Actions.MATERIAL_CONTENT_READ)));

        // an event on the client's chain after offboarding (here the auditor reading its log) keeps no
        // personal value at all: there is no key left to pseudonymise it with
        String late = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.auditor()).header("X-Request-Id", late).header("User-Agent", AGENT)
                .get("/api/v1/audit?clientId=" + world.client).then().statusCode(200);
        assertEquals(List.of(PersonalData.WITHHELD, PersonalData.WITHHELD, PersonalData.WITHHELD),
                List.of(stored(late, Actions.AUDIT_LIST)));
        // while the system's own work on it (the purge that offboarding starts) stays legible
        long deadline = System.currentTimeMillis() + 30_000;
        while (Database.count("select count(*) from audit_event where client_id = ? and action = ?", world.client,
                Actions.MATERIAL_PURGE) == 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        assertEquals(1, Database.count("select count(*) from audit_event where client_id = ? and action = ?"
                + " and actor_subject = 'valv:system'", world.client, Actions.MATERIAL_PURGE));

        AuditRangeCoalescingTest.assertChainIntact();
    }

    /** A job's staff, as the client is shown them, are the pseudonyms of its audit view, never the names. */
    @Test
    void aClientSeesAJobsStaffAsItsAuditLogDoes() {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(100, 77));
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(200);
        String shown = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?size=500&materialId=" + id).then()
                .statusCode(200).extract().jsonPath()
                .getString("items.find { it.action == 'material.content.read' }.actor");
        assertTrue(shown.startsWith("psn:"), shown);
        for (String token : List.of(Tokens.clientAdmin(world.client), Tokens.uploader(world.client))) {
            List<String> staff = given().auth().oauth2(token).get("/api/v1/jobs/" + world.jobId).then().statusCode(200)
                    .extract().jsonPath().getList("staff", String.class);
            assertEquals(List.of(shown), staff);
        }
        // the processor's own people still see names
        given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs/" + world.jobId).then().statusCode(200)
                .body("staff", org.hamcrest.Matchers.hasItem("alice"));
    }
}
