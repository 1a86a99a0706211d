package io.valv.notify;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.GreenMailResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * Every change of how a client is notified is its admin's documented instruction, on the client's audit chain,
 * by that admin, without the signing secret or the receiver's path and query (which often carry a token).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(GreenMailResource.class)
class NotificationInstructionAuditTest {

    static List<Map<String, Object>> events(World w, String action) {
        return given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + w.client + "&size=200").then()
                .statusCode(200).extract().path("items.findAll { it.action == '" + action + "' }");
    }

    @Test
    void webhookChangesAreAuditedAsTheClientsInstructionWithoutTheSecret() {
        World w = World.create();
        String admin = Tokens.clientAdmin(w.client);
        String base = "/api/v1/clients/" + w.client + "/webhooks";
        String url = "http://127.0.0.1:9/hooks/T0KEN-in-path?key=abc123";
        Map<String, Object> created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("url", url, "events", List.of("material.stored", "material.purged"))).post(base).then()
                .statusCode(201).extract().as(Map.class);
        String id = (String) created.get("id");
        String rotated = given().auth().oauth2(admin).post(base + "/" + id + "/rotate-secret").then().statusCode(200)
                .extract().path("secret");

        List<Map<String, Object>> create = events(w, "webhook.create");
        assertEquals(1, create.size());
        String detail = (String) create.get(0).get("detail");
        assertEquals("instruction: endpoint " + id + " to http://127.0.0.1:9 for material.purged,material.stored", detail);
        assertEquals("ok", create.get(0).get("outcome"));
        assertTrue(((List<?>) create.get(0).get("actorRoles")).contains("client-admin"), create.get(0).toString());
        List<Map<String, Object>> rotate = events(w, "webhook.rotate-secret");
        assertEquals(1, rotate.size());
        assertTrue(((String) rotate.get(0).get("detail"))
                .startsWith("instruction: endpoint " + id + " previous secret signs until "));

        given().auth().oauth2(admin).delete(base + "/" + id).then().statusCode(204);
        assertEquals(1, events(w, "webhook.delete").size());

        // a redelivery of an unknown delivery changes nothing and is not an instruction (the refusal is audited)
        String other = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("material.stored"))).post(base).then()
                .statusCode(201).extract().path("id");
        given().auth().oauth2(admin).post(base + "/" + other + "/deliveries/" + java.util.UUID.randomUUID() + "/redeliver")
                .then().statusCode(404);
        assertEquals(0, events(w, "webhook.redeliver").size());

        // a refused change by another role is not recorded as an instruction
        given().auth().oauth2(Tokens.admin()).delete(base + "/" + other).then().statusCode(403);
        assertEquals(1, events(w, "webhook.delete").size());

        // nothing of the secrets or the URL's path and query anywhere in the client's log
        String log = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + w.client + "&size=200").then()
                .statusCode(200).extract().asString();
        for (String secret : List.of((String) created.get("secret"), rotated)) {
            assertFalse(log.contains(secret) || log.contains(secret.substring(6)), "a secret in the audit log");
        }
        assertFalse(log.contains("T0KEN") || log.contains("abc123"), "the receiver's path or query in the audit log");
    }

    @Test
    void aRedeliveryIsAuditedWithItsWebhookId() throws Exception {
        World w = World.create();
        String admin = Tokens.clientAdmin(w.client);
        String base = "/api/v1/clients/" + w.client + "/webhooks";
        // nothing listens on port 9: the delivery fails and stays listed
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/down", "events", List.of("material.stored"))).post(base).then()
                .statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.uploader(w.client)).header("Content-Disposition", "attachment; filename=r.wav")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(new byte[4])
                .post("/api/v1/jobs/" + w.jobId + "/materials").then().statusCode(201);
        List<Map<String, Object>> deliveries = given().auth().oauth2(admin).get(base + "/" + id + "/deliveries").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, deliveries.size());
        String delivery = (String) deliveries.get(0).get("id");
        given().auth().oauth2(admin).post(base + "/" + id + "/deliveries/" + delivery + "/redeliver").then().statusCode(202);
        List<Map<String, Object>> redeliver = events(w, "webhook.redeliver");
        assertEquals(1, redeliver.size());
        assertEquals("instruction: endpoint " + id + " delivery " + delivery + " (" + deliveries.get(0).get("webhookId") + ")",
                redeliver.get(0).get("detail"));
    }

    @Test
    void anEmailSettingChangeIsAuditedAsTheClientsInstruction() {
        World w = World.create();
        String path = "/api/v1/clients/" + w.client + "/email-notifications";
        given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("events", List.of("material.stored", "material.purged"), "language", "sv")).put(path).then()
                .statusCode(200);
        given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("events", List.of(), "language", "en")).put(path).then().statusCode(200);
        // refused: bad input changes nothing and is no instruction
        given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("events", List.of("nope"), "language", "en")).put(path).then().statusCode(400);
        List<Map<String, Object>> updates = events(w, "email.settings.update");
        assertEquals(2, updates.size());
        List<Object> details = updates.stream().map(e -> e.get("detail")).toList();
        assertTrue(details.contains("instruction: events material.purged,material.stored; language sv"), details.toString());
        assertTrue(details.contains("instruction: events none; language en"), details.toString());
    }

    @Test
    void aChangedEndpointIsAuditedAndOneSwitchedOffGetsNothingUntilItIsOnAgain() throws Exception {
        World w = World.create();
        String admin = Tokens.clientAdmin(w.client);
        String base = "/api/v1/clients/" + w.client + "/webhooks";
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/a", "events", List.of("material.stored"))).post(base).then()
                .statusCode(201).extract().path("id");

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("enabled", false, "url", "http://127.0.0.1:9/b?t=SECRETQ"))
                .patch(base + "/" + id).then().statusCode(200).body("enabled", org.hamcrest.Matchers.is(false))
                .body("url", org.hamcrest.Matchers.is("http://127.0.0.1:9/b?t=SECRETQ"));
        // bad input changes nothing and is no instruction
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("events", List.of("nope"), "enabled", true))
                .patch(base + "/" + id).then().statusCode(400);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("url", "http://user:pw@127.0.0.1:9/x"))
                .patch(base + "/" + id).then().statusCode(400);
        // another role is refused, another client learns nothing
        given().auth().oauth2(Tokens.uploader(w.client)).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .patch(base + "/" + id).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin("other-client")).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .patch(base + "/" + id).then().statusCode(404);
        List<Map<String, Object>> update = events(w, "webhook.update");
        assertEquals(1, update.size(), update.toString());
        assertEquals("instruction: endpoint " + id + " url to http://127.0.0.1:9, switched off", update.get(0).get("detail"));
        assertEquals(false, given().auth().oauth2(admin).get(base).then().statusCode(200).extract().path("[0].enabled"));

        // switched off: an upload writes no notice for it
        given().auth().oauth2(Tokens.uploader(w.client)).header("Content-Disposition", "attachment; filename=r.wav")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(new byte[4])
                .post("/api/v1/jobs/" + w.jobId + "/materials").then().statusCode(201);
        assertEquals(0, given().auth().oauth2(admin).get(base + "/" + id + "/deliveries").then().statusCode(200).extract()
                .jsonPath().getList("$").size());

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("enabled", true, "events",
                List.of("material.stored", "material.purged"))).patch(base + "/" + id).then().statusCode(200)
                .body("events", org.hamcrest.Matchers.contains("material.purged", "material.stored"));
        assertEquals("instruction: endpoint " + id + " events to material.purged,material.stored, switched on",
                events(w, "webhook.update").get(0).get("detail"));
    }

    @Test
    void everyDeliveryAttemptIsOnTheClientsChain() throws Exception {
        World w = World.create();
        String admin = Tokens.clientAdmin(w.client);
        String base = "/api/v1/clients/" + w.client + "/webhooks";
        // nothing listens on port 9: each attempt fails, and each is recorded
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/down?token=XYZTOKEN", "events", List.of("material.stored"))).post(base)
                .then().statusCode(201);
        given().auth().oauth2(Tokens.uploader(w.client)).header("Content-Disposition", "attachment; filename=r.wav")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(new byte[4])
                .post("/api/v1/jobs/" + w.jobId + "/materials").then().statusCode(201);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        List<Map<String, Object>> attempts = events(w, "webhook.attempt");
        while (attempts.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            attempts = events(w, "webhook.attempt");
        }
        assertTrue(attempts.size() >= 2, attempts.toString());
        Map<String, Object> last = attempts.get(attempts.size() - 1); // newest first
        assertEquals("error", last.get("outcome"));
        String detail = (String) last.get("detail");
        assertTrue(detail.matches(
                "delivery [0-9a-f-]{36} \\(msg_[0-9a-f]{32}\\) material\\.stored, attempt 1 to http://127\\.0\\.0\\.1:9: connection failed"),
                detail);
        assertFalse(detail.contains("XYZTOKEN"), detail);
        assertEquals("valv:system", last.get("actor"), "the system sends, not a person");
    }
}
