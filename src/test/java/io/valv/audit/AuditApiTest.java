package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** What the access log records, and who may read which part of it. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditApiTest {

    @Inject
    CheckpointWriter checkpoints;

    static List<Map<String, Object>> events(String token, String query) {
        return given().auth().oauth2(token).get("/api/v1/audit?size=500&" + query).then().statusCode(200).extract()
                .jsonPath().getList("items");
    }

    static Map<String, Object> only(List<Map<String, Object>> events, String action, String requestId) {
        List<Map<String, Object>> found = events.stream()
                .filter(e -> action.equals(e.get("action")) && Objects.equals(requestId, e.get("requestId"))).toList();
        assertEquals(1, found.size(), action + " " + requestId + " in " + events);
        return found.get(0);
    }

    @Test
    void uploadsReadsListingsAndDenialsAreRecorded() {
        World world = World.create();
        World other = World.create();
        byte[] data = Uploads.randomBytes(5000, 1);
        String id = Uploads.upload(world, "a.wav", data);

        String metaRead = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.uploader(world.client)).header("X-Request-Id", metaRead).get("/api/v1/materials/" + id)
                .then().statusCode(200);
        String listing = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", listing)
                .get("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(200);
        String rangeRead = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", rangeRead).header("Range", "bytes=100-199")
                .header("User-Agent", "test-player/1.0").get("/api/v1/materials/" + id + "/content").then().statusCode(206);
        String wholeRead = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", wholeRead)
                .get("/api/v1/materials/" + id + "/content").then().statusCode(200);
        String denied = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.clientAdmin(other.client)).header("X-Request-Id", denied)
                .get("/api/v1/materials/" + id + "/content").then().statusCode(404);
        String forbidden = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("sam")).header("X-Request-Id", forbidden).get("/api/v1/materials/" + id)
                .then().statusCode(403);
        String anonymous = AuditTestSupport.requestId();
        given().header("X-Request-Id", anonymous).get("/api/v1/materials/" + id).then().statusCode(401);

        List<Map<String, Object>> events = events(Tokens.auditor(), "materialId=" + id);
        Map<String, Object> upload = events.stream().filter(e -> "material.upload".equals(e.get("action"))).findFirst()
                .orElseThrow();
        assertEquals(world.client + "-upload", upload.get("actor"));
        assertEquals(5000, upload.get("bytes"));
        assertEquals("ok", upload.get("outcome"));
        assertEquals(world.jobId, upload.get("jobId"));

        assertEquals(world.client + "-upload", only(events, "material.metadata.read", metaRead).get("actor"));
        Map<String, Object> range = only(events, "material.content.read", rangeRead);
        assertEquals("alice", range.get("actor"));
        assertEquals(100, range.get("bytes"));
        assertEquals("bytes 100-199", range.get("detail"));
        assertEquals("test-player/1.0", range.get("userAgent"));
        assertEquals("127.0.0.1", range.get("clientIp"));
        assertEquals(List.of("staff"), range.get("actorRoles"));
        assertEquals(5000, only(events, "material.content.read", wholeRead).get("bytes"));

        Map<String, Object> refused = only(events, "access.denied", denied);
        assertEquals("denied", refused.get("outcome"));
        assertEquals(other.client, refused.get("actorClient"));
        // filed under the prober's own client, not the owner's: whether the id exists is no business of its log
        assertEquals(other.client, refused.get("clientId"));
        assertTrue(((String) refused.get("detail")).startsWith("404 not-found GET /api/v1/materials/"), refused.toString());
        assertEquals("sam", only(events, "access.denied", forbidden).get("actor"));
        assertEquals(null, only(events, "access.denied", anonymous).get("actor"));

        List<Map<String, Object>> jobEvents = events(Tokens.auditor(), "jobId=" + world.jobId);
        only(jobEvents, "material.list", listing);
        assertTrue(jobEvents.stream().anyMatch(e -> "job.create".equals(e.get("action"))));
        assertTrue(jobEvents.stream().anyMatch(e -> "job.assign".equals(e.get("action"))));
        List<Map<String, Object>> clientEvents = events(Tokens.auditor(), "clientId=" + world.client);
        assertTrue(clientEvents.stream().anyMatch(e -> "client.create".equals(e.get("action"))
                && "admin".equals(e.get("actor"))));
        assertTrue(clientEvents.stream().anyMatch(e -> "dpa.create".equals(e.get("action"))));
    }

    @Test
    void aClientAdminSeesOnlyItsOwnClientWithStaffPseudonymised() {
        World world = World.create();
        World other = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(100, 2));
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(200);
        Uploads.upload(other, "a.wav", Uploads.randomBytes(100, 3));

        List<Map<String, Object>> events = events(Tokens.clientAdmin(world.client), "");
        assertFalse(events.isEmpty());
        assertTrue(events.stream().allMatch(e -> world.client.equals(e.get("clientId"))), events.toString());
        Map<String, Object> read = events.stream().filter(e -> "material.content.read".equals(e.get("action")))
                .findFirst().orElseThrow();
        String pseudonym = (String) read.get("actor");
        assertTrue(pseudonym.matches("p-[0-9a-f]{16}"), pseudonym);
        assertEquals(null, read.get("clientIp"));
        assertTrue(events.stream().noneMatch(e -> "alice".equals(e.get("actor"))));
        // the job's staff, as the client is shown them elsewhere, carry the same pseudonym
        assertEquals(List.of(pseudonym), given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/jobs/"
                + world.jobId).then().statusCode(200).extract().jsonPath().getList("staff", String.class));
        // the client's own people appear by name
        assertTrue(events.stream().anyMatch(e -> (world.client + "-upload").equals(e.get("actor"))));
        // stable: the same person has the same pseudonym on the next page too
        assertEquals(pseudonym, events(Tokens.clientAdmin(world.client), "materialId=" + id).stream()
                .filter(e -> "material.content.read".equals(e.get("action"))).findFirst().orElseThrow().get("actor"));

        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit?clientId=" + other.client).then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit/export?clientId=" + other.client)
                .then().statusCode(404);
        given().auth().oauth2(Tokens.token("nobody", null, "client-admin")).get("/api/v1/audit").then().statusCode(404);
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/audit").then().statusCode(403);
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/audit").then().statusCode(403);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/audit").then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit/verify").then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit/incident-report?from="
                + Instant.now().minusSeconds(60) + "&to=" + Instant.now()).then().statusCode(403);
        given().get("/api/v1/audit").then().statusCode(401);
    }

    @Test
    void theAuditorLooksUpOneNamedPersonInClearMode() {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(100, 4));
        String alices = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", alices).get("/api/v1/materials/" + id)
                .then().statusCode(200);

        List<Map<String, Object>> found = events(Tokens.auditor(), "clientId=" + world.client + "&actor=alice");
        assertTrue(found.stream().anyMatch(e -> alices.equals(e.get("requestId"))), found.toString());
        assertTrue(found.stream().allMatch(e -> "alice".equals(e.get("actor"))), found.toString());
        // stored in clear (the default mode): the row holds the name itself
        assertEquals(1, io.valv.testing.Database.count("select count(*) from audit_event where request_id = ?"
                + " and actor_subject = 'alice'", alices));
        assertTrue(events(Tokens.auditor(), "clientId=" + world.client + "&actor=bob").isEmpty());
        // not for a client admin: it would confirm guessed staff names behind the pseudonyms it is shown
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit?actor=alice").then().statusCode(403);
    }

    @Test
    void theChainVerifiesWithItsCheckpoints() {
        World world = World.create();
        Uploads.upload(world, "a.wav", Uploads.randomBytes(10, 4));
        checkpoints.checkpoint();
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("firstBrokenSeq", nullValue());
        JsonPath verify = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().extract().jsonPath();
        assertTrue(verify.getLong("checkedEvents") > 5);
        assertTrue(verify.getInt("checkedCheckpoints") >= 2);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit/checkpoint-key").then()
                .statusCode(200).body("algorithm", equalTo("Ed25519")).body("pem", endsWith("-----END PUBLIC KEY-----\n"));
    }

    @Test
    void theIncidentReportListsAccessesPerClientWithTheDpaCategories() {
        Instant from = Instant.now().minusSeconds(1);
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(300, 5));
        given().auth().oauth2(Tokens.staff("alice")).header("Range", "bytes=0-9").get("/api/v1/materials/" + id + "/content")
                .then().statusCode(206);
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(200);
        given().auth().oauth2(Tokens.staff("sam")).get("/api/v1/materials/" + id + "/content").then().statusCode(403);

        JsonPath report = given().auth().oauth2(Tokens.auditor())
                .get("/api/v1/audit/incident-report?from=" + from + "&to=" + Instant.now().plusSeconds(5)).then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> section = report.getList("clients", Map.class).stream()
                .filter(c -> world.client.equals(c.get("clientId"))).findFirst().orElseThrow();
        assertEquals("Client " + world.client, section.get("clientName"));
        assertEquals(2, section.get("contentReads"));
        assertEquals(310, section.get("bytesRead"));
        assertEquals(1, section.get("deniedAttempts"));
        @SuppressWarnings("unchecked")
        List<String> actors = (List<String>) section.get("actors");
        assertTrue(actors.containsAll(List.of("alice", "sam")), actors.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> dpa = ((List<Map<String, Object>>) section.get("dpas")).get(0);
        assertEquals(List.of("voice recordings"), dpa.get("dataCategories"));
        @SuppressWarnings("unchecked")
        Map<String, Object> material = ((List<Map<String, Object>>) section.get("materials")).get(0);
        assertEquals(id, material.get("materialId"));
        assertEquals(true, material.get("personalData"));
        assertNotNull(material.get("accesses"));

        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/incident-report?from=" + from + "&to=" + from).then()
                .statusCode(400);
    }
}
