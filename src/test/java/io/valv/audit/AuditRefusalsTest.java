package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Where refusals are filed (docs/audit.md, "Refusals"): nothing a caller can read tells it whether another
 * client's ids exist, no token writes into a client's chain, and the DPO sees every refusal; the incident
 * report renders them all, including refusals of targets that do not exist.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditRefusalsTest {

    @Test
    void aProbersLogLooksTheSameWhetherTheTargetExistsOrNot() {
        World victim = World.create();
        World prober = World.create();
        String existing = Uploads.upload(victim, "a.wav", Uploads.randomBytes(300, 1));
        String missing = UUID.randomUUID().toString();
        String onExisting = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.clientAdmin(prober.client)).header("X-Request-Id", onExisting)
                .get("/api/v1/materials/" + existing).then().statusCode(404);
        String onMissing = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.clientAdmin(prober.client)).header("X-Request-Id", onMissing)
                .get("/api/v1/materials/" + missing).then().statusCode(404);
        String onJob = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.clientAdmin(prober.client)).header("X-Request-Id", onJob)
                .get("/api/v1/jobs/" + victim.jobId + "/materials").then().statusCode(404);

        // the prober's own log holds all three, alike but for the id it typed itself
        List<Map<String, Object>> own = AuditApiTest.events(Tokens.clientAdmin(prober.client), "");
        Map<String, Object> a = AuditApiTest.only(own, "access.denied", onExisting);
        Map<String, Object> b = AuditApiTest.only(own, "access.denied", onMissing);
        AuditApiTest.only(own, "access.denied", onJob);
        for (String field : List.of("clientId", "actorClient", "outcome", "jobId")) {
            assertEquals(a.get(field), b.get(field), field);
        }
        assertEquals(prober.client, a.get("clientId"));
        assertEquals(((String) a.get("detail")).replace(existing, "X"), ((String) b.get("detail")).replace(missing, "X"));

        // the victim's log neither holds the probes nor names the prober
        List<Map<String, Object>> victims = AuditApiTest.events(Tokens.clientAdmin(victim.client), "");
        assertTrue(victims.stream().noneMatch(e -> prober.client.equals(e.get("actorClient"))), victims.toString());
        assertTrue(victims.stream().noneMatch(e -> "access.denied".equals(e.get("action"))), victims.toString());

        // the DPO sees them, with the material named, where they are
        List<Map<String, Object>> dpo = AuditApiTest.events(Tokens.auditor(), "materialId=" + existing);
        assertEquals(prober.client, AuditApiTest.only(dpo, "access.denied", onExisting).get("clientId"));
    }

    @Test
    void theProcessorsPeopleAreFiledUnderTheOwnerAndNoTokenUnderNoClient() {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(300, 2));
        String staffOnExisting = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("sam")).header("X-Request-Id", staffOnExisting).get("/api/v1/materials/" + id)
                .then().statusCode(403);
        String staffOnMissing = AuditTestSupport.requestId();
        UUID missing = UUID.randomUUID();
        given().auth().oauth2(Tokens.staff("sam")).header("X-Request-Id", staffOnMissing)
                .get("/api/v1/materials/" + missing).then().statusCode(404);
        String anonymous = AuditTestSupport.requestId();
        given().header("X-Request-Id", anonymous).get("/api/v1/materials/" + id).then().statusCode(401);
        String badToken = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.forged("mallory", world.client, "client-admin")).header("X-Request-Id", badToken)
                .get("/api/v1/materials/" + id).then().statusCode(401);

        // staff read no log, so filing under the owner tells them nothing; the controller sees the attempt
        assertEquals(world.client, event(id.toString(), staffOnExisting).get("clientId"));
        assertNull(event(missing.toString(), staffOnMissing).get("clientId"));
        // without a valid token nothing enters a client's chain, whatever the token claims
        assertNull(event(id, anonymous).get("clientId"));
        assertNull(event(id, badToken).get("clientId"));
        assertTrue(AuditApiTest.events(Tokens.clientAdmin(world.client), "").stream()
                .noneMatch(e -> anonymous.equals(e.get("requestId")) || badToken.equals(e.get("requestId"))));
    }

    @Test
    void everyReportRendersRefusalsOfMissingAndForeignTargets() {
        Instant from = Instant.now().minusSeconds(1);
        World victim = World.create();
        World prober = World.create();
        String existing = given().auth().oauth2(Tokens.uploader(victim.client))
                .header("Content-Disposition", "attachment; filename=victims-secret.wav").header("Valv-Personal-Data", "true")
                .contentType("audio/wav").body(Uploads.randomBytes(300, 3))
                .post("/api/v1/jobs/" + victim.jobId + "/materials")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + existing + "/content").then().statusCode(200);
        // every kind of refused target: missing material, missing job, another client's material, by each caller kind
        for (String token : List.of(Tokens.clientAdmin(prober.client), Tokens.staff("sam"), Tokens.admin())) {
            given().auth().oauth2(token).get("/api/v1/materials/" + UUID.randomUUID()).then().statusCode(404);
            given().auth().oauth2(token).get("/api/v1/materials/" + UUID.randomUUID() + "/content").then()
                    .statusCode(oneOf(403, 404));
            given().auth().oauth2(token).get("/api/v1/jobs/" + UUID.randomUUID() + "/materials").then().statusCode(404);
        }
        given().auth().oauth2(Tokens.clientAdmin(prober.client)).get("/api/v1/materials/" + existing + "/content")
                .then().statusCode(404);
        given().auth().oauth2(Tokens.staff("sam")).get("/api/v1/materials/" + existing + "/content").then().statusCode(403);
        given().get("/api/v1/materials/" + UUID.randomUUID()).then().statusCode(401);
        String window = "?from=" + from + "&to=" + Instant.now().plusSeconds(5);

        var json = given().auth().oauth2(Tokens.auditor()).accept("application/json")
                .get("/api/v1/audit/incident-report" + window)
                .then().statusCode(200).extract().jsonPath();
        assertTrue(json.getLong("refusalsWithoutClient") >= 1, json.prettify());
        Map<String, Object> probers = section(json.getList("clients", Map.class), prober.client);
        assertTrue(((Number) probers.get("deniedAttempts")).longValue() >= 4, probers.toString());
        // the prober's section names the victim's material by the id it typed, never by its facts
        assertFalse(probers.toString().contains("victims-secret"), probers.toString());
        Map<String, Object> victims = section(json.getList("clients", Map.class), victim.client);
        assertEquals(1, ((Number) victims.get("deniedAttempts")).longValue(), victims.toString());

        String html = given().auth().oauth2(Tokens.auditor()).accept("text/html").get("/api/v1/audit/incident-report" + window)
                .then().statusCode(200).contentType(startsWith("text/html")).extract().asString();
        int start = html.indexOf("(" + prober.client + ")</h2>");
        assertTrue(start > 0, html);
        String section = html.substring(start, html.indexOf("</section>", start));
        assertFalse(section.contains("victims-secret"), section);
        assertTrue(section.contains("(unknown, or not this client&#39;s)"), section);
        assertTrue(html.contains("<th>Refused requests under no client</th>"), html);
    }

    @Test
    void anAuditorsClientIdIsValidatedAndAnUnknownOneStartsNoChain() {
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + "a".repeat(65)).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("type", containsString("validation"));
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/export?clientId=Not_A_Slug").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        String unknown = "no-such-client-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + unknown).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/export?clientId=" + unknown).then().statusCode(404);
        // a token claiming a client that does not exist: its refusals and reads start no chain either
        String ghost = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        String refused = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.clientAdmin(ghost)).header("X-Request-Id", refused)
                .get("/api/v1/materials/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(Tokens.clientAdmin(ghost)).get("/api/v1/audit").then().statusCode(404);
        given().auth().oauth2(Tokens.clientAdmin(ghost)).get("/api/v1/audit/export").then().statusCode(404);
        assertEquals(1, Database.count("select count(*) from audit_event where request_id = ? and client_id is null"
                + " and actor_client = ?", refused, ghost));
        for (String id : List.of(unknown, ghost)) {
            assertEquals(0, Database.count("select count(*) from audit_client_head where client_id = ?", id));
            assertEquals(0, Database.count("select count(*) from audit_event where client_id = ?", id));
        }
    }

    @Test
    void aHeadOfContentIsNoReadAndOtherClientErrorsAreRefusals() {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(700, 4));
        String head = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", head).head("/api/v1/materials/" + id + "/content")
                .then().statusCode(200);
        String unsatisfiable = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", unsatisfiable).header("Range", "bytes=5000-")
                .get("/api/v1/materials/" + id + "/content").then().statusCode(416);
        String notAllowed = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.clientAdmin(world.client)).header("X-Request-Id", notAllowed)
                .put("/api/v1/materials/" + id).then().statusCode(405);
        String unsupported = AuditTestSupport.requestId();
        given().auth().oauth2(Tokens.clientAdmin(world.client)).header("X-Request-Id", unsupported).contentType("text/plain")
                .body("x").post("/api/v1/jobs").then().statusCode(415);

        Map<String, Object> headEvent = event(id, head);
        assertEquals("material.content.head", headEvent.get("action"));
        assertEquals(0, ((Number) headEvent.get("bytes")).intValue());
        assertTrue(((String) event(id, unsatisfiable).get("detail")).startsWith("416 "), event(id, unsatisfiable).toString());
        // a method no resource has is refused before matching, hence before authentication: no id, no client
        assertEquals(1, Database.count("select count(*) from audit_event where request_id = ? and detail like '405 %'"
                + " and client_id is null", notAllowed));
        // so is a Content-Type no operation on the path consumes (content negotiation picks the method)
        assertEquals(1, Database.count("select count(*) from audit_event where request_id = ? and detail like '415 %'"
                + " and client_id is null", unsupported));
        // a HEAD serves no content, so the deletion certificate's access count does not count it
        assertEquals(0,
                Database.count("select count(*) from audit_event where request_id = ? and action = 'material.content.read'",
                        head));
    }

    private static Map<String, Object> section(List<Map> clients, String client) {
        @SuppressWarnings("unchecked")
        Map<String, Object> found = clients.stream().filter(c -> client.equals(c.get("clientId"))).findFirst().orElseThrow();
        return found;
    }

    /** The auditor's view of the event of {@code requestId} naming {@code materialId}. */
    private static Map<String, Object> event(String materialId, String requestId) {
        return eventually(Tokens.auditor(), "materialId=" + materialId, e -> requestId.equals(e.get("requestId")));
    }

    /** A refusal answered on an I/O thread is written just after the answer: wait for it a little. */
    static Map<String, Object> eventually(String token, String query, Predicate<Map<String, Object>> which) {
        for (int i = 0;; i++) {
            var found = AuditApiTest.events(token, query).stream().filter(which).findFirst();
            if (found.isPresent() || i == 50) {
                return found.orElseThrow(() -> new AssertionError("no such event for " + query));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
