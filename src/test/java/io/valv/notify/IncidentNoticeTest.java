package io.valv.notify;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.Database;
import io.valv.testing.GreenMailResource;
import io.valv.testing.Receiver;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StandardWebhooksVerifier;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * Incident notices (Art. 33(2)) and the end-of-DPA notice, end to end: raised through the API, delivered by
 * the real workers to a real HTTP receiver (signatures checked with the official Standard Webhooks library)
 * and to a real SMTP server (GreenMail), in English and Swedish.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(GreenMailResource.class)
class IncidentNoticeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    static String url(String path) {
        return receiver.url(path);
    }

    static List<Receiver.Request> awaitAt(String path, int count) throws InterruptedException {
        return receiver.await(path, count, r -> true, WAIT);
    }

    static List<MimeMessage> mailTo(String address, String subjectPart) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<MimeMessage> found = new ArrayList<>();
            for (MimeMessage m : GreenMailResource.server().getReceivedMessages()) {
                if (m.getRecipients(Message.RecipientType.TO)[0].toString().equals(address)
                        && m.getSubject().contains(subjectPart)) {
                    found.add(m);
                }
            }
            if (!found.isEmpty() || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(200);
        }
    }

    static String register(World w, String path, List<String> events) {
        return given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("url", url(path), "events", events)).post("/api/v1/clients/" + w.client + "/webhooks").then()
                .statusCode(201).extract().path("secret");
    }

    static Map<String, Object> notice(List<String> clients) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("nature", "A staff laptop with a local copy of two recordings was stolen; the disk was encrypted.");
        n.put("dataSubjectCategories", "interviewees");
        n.put("approximateDataSubjects", 12);
        n.put("recordCategories", "audio recordings");
        n.put("approximateRecords", 2);
        n.put("likelyConsequences", "Low: the disk encryption key was not on the device.");
        n.put("measures", "Remote wipe issued; the staff member's access revoked; keys rotated.");
        n.put("contactPoint", "DPO Dora Berg, dpo@processor.example, +46 8 123 45 67");
        n.put("detectedAt", Instant.now().minusSeconds(3600).toString());
        n.put("clientIds", clients);
        return n;
    }

    static void verifies(String secret, Receiver.Request r) throws Exception {
        assertEquals(List.of("ok"), StandardWebhooksVerifier.verify(List.of(WebhookDeliveryTest.message(secret, r))));
    }

    @Test
    void anIncidentReachesEachAffectedClientByWebhookAndEmailNamingOnlyThatClient() throws Exception {
        World a = World.create();
        World b = World.create();
        String secretA = register(a, "/incident-a", List.of("incident.notified"));
        String secretB = register(b, "/incident-b", List.of("incident.notified", "material.stored"));
        // b wants no email at all and Swedish: a breach notice is sent anyway, in its language
        given().auth().oauth2(Tokens.clientAdmin(b.client)).contentType(ContentType.JSON)
                .body(Map.of("events", List.of(), "language", "sv")).put("/api/v1/clients/" + b.client + "/email-notifications")
                .then().statusCode(200);

        Map<String, Object> created = given().auth().oauth2(Tokens.auditor()).contentType(ContentType.JSON)
                .body(notice(List.of(b.client, a.client))).post("/api/v1/incidents").then().statusCode(201).extract()
                .as(Map.class);
        String id = (String) created.get("id");
        assertEquals(List.of(a.client, b.client).stream().sorted().toList(), created.get("clientIds"));

        Receiver.Request ra = awaitAt("/incident-a", 1).get(0);
        JsonNode body = JSON.readTree(ra.body());
        assertEquals("incident.notified", body.get("type").asText());
        JsonNode d = body.get("data");
        assertEquals(id, d.get("incidentId").asText());
        assertEquals(a.client, d.get("clientId").asText());
        assertEquals(12, d.get("approximateDataSubjects").asInt());
        assertEquals("audio recordings", d.get("recordCategories").asText());
        assertTrue(d.get("contactPoint").asText().contains("dpo@processor.example"));
        assertFalse(ra.body().contains(b.client), "one controller never learns of another");
        verifies(secretA, ra);
        Receiver.Request rb = awaitAt("/incident-b", 1).get(0);
        assertFalse(rb.body().contains(a.client));
        verifies(secretB, rb);

        MimeMessage en = mailTo("dpo@" + a.client + ".example", id).get(0);
        assertEquals("Valv: personal data breach notice " + id, en.getSubject());
        String enText = EmailNoticeTest.text(en);
        assertTrue(enText.contains("Nature of the breach:") && enText.contains("Remote wipe issued"), enText);
        assertTrue(enText.contains("Approximate number of subjects:  12"), enText);
        assertFalse(enText.contains(b.client));
        MimeMessage sv = mailTo("dpo@" + b.client + ".example", id).get(0);
        assertEquals("Valv: anmälan om personuppgiftsincident " + id, sv.getSubject());
        String svText = EmailNoticeTest.text(sv);
        assertTrue(
                svText.contains("Ungefärligt antal registrerade:     12")
                        && svText.contains("Vidtagna eller föreslagna åtgärder"),
                svText);

        // each client's chain records the notice
        for (World w : List.of(a, b)) {
            List<Map<String, Object>> events = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + w.client)
                    .then().statusCode(200).extract().path("items.findAll { it.action == 'incident.notify' }");
            assertEquals(1, events.size());
            assertTrue(((String) events.get(0).get("detail")).startsWith("incident " + id + " detected "));
        }
    }

    @Test
    void theProcessorSeesEveryNoticeAndAClientAdminOnlyItsOwnWithoutTheOtherClients() {
        World a = World.create();
        World b = World.create();
        String id = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(notice(List.of(a.client, b.client)))
                .post("/api/v1/incidents").then().statusCode(201).extract().path("id");

        List<Map<String, Object>> all = given().auth().oauth2(Tokens.auditor()).get("/api/v1/incidents").then().statusCode(200)
                .extract().jsonPath().getList("$");
        Map<String, Object> seen = all.stream().filter(i -> id.equals(i.get("id"))).findFirst().orElseThrow();
        assertEquals(2, ((List<?>) seen.get("clientIds")).size());

        String own = given().auth().oauth2(Tokens.clientAdmin(a.client)).get("/api/v1/incidents").then().statusCode(200)
                .extract().asString();
        assertTrue(own.contains(id) && own.contains(a.client), own);
        assertFalse(own.contains(b.client), "a client admin never sees the other affected clients: " + own);
        // a token naming a client that does not exist learns nothing and starts no audit chain for it
        String stranger = given().auth().oauth2(Tokens.clientAdmin("no-such-client")).get("/api/v1/incidents").then()
                .statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0)).extract().asString();
        assertFalse(stranger.contains(id));
        assertEquals(0, Database.count("select count(*) from audit_client_head where client_id = 'no-such-client'"));

        given().auth().oauth2(Tokens.uploader(a.client)).get("/api/v1/incidents").then().statusCode(403);
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/incidents").then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(a.client)).contentType(ContentType.JSON).body(notice(List.of(a.client)))
                .post("/api/v1/incidents").then().statusCode(403);
        given().get("/api/v1/incidents").then().statusCode(401);
    }

    @Test
    void aNoticeWithAnUnknownClientOrAMissingFieldIsRefusedAndChangesNothing() {
        World a = World.create();
        long before = Database.count("select count(*) from incident");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(notice(List.of(a.client, "no-such-client")))
                .post("/api/v1/incidents").then().statusCode(400).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/unknown-client"));
        Map<String, Object> missing = notice(List.of(a.client));
        missing.remove("measures");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(missing).post("/api/v1/incidents").then()
                .statusCode(400);
        Map<String, Object> future = notice(List.of(a.client));
        future.put("detectedAt", Instant.now().plusSeconds(86400).toString());
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(future).post("/api/v1/incidents").then()
                .statusCode(400);
        Map<String, Object> nobody = notice(List.of());
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(nobody).post("/api/v1/incidents").then()
                .statusCode(400);
        assertEquals(before, Database.count("select count(*) from incident"));
        assertEquals(0,
                Database.count("select count(*) from email_outbox where client_id = ? and event_type = 'incident.notified'",
                        a.client));
    }

    /**
     * A notice that names the breach's window links each affected client to its own section of that window's
     * incident report: by webhook (API and page links) and email; the client admin reads its section only,
     * with the processor's people pseudonymised; the DPO reads every affected client's; the read lands on the
     * client's chain; nobody else learns anything.
     */
    @Test
    void aNoticeNamingAWindowLinksEachClientToItsOwnSectionOfTheReport() throws Exception {
        World a = World.create();
        World b = World.create();
        World c = World.create();
        String secretA = register(a, "/window-a", List.of("incident.notified"));
        Instant start = Instant.now().minusSeconds(1);
        String material = given().auth().oauth2(Tokens.uploader(a.client)).header("Content-Disposition",
                "attachment; filename=interview-7.wav").header("Valv-Personal-Data", "true").contentType("audio/wav")
                .body(new byte[32]).post("/api/v1/jobs/" + a.jobId + "/materials").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + material + "/content").then().statusCode(200);
        given().auth().oauth2(Tokens.staff("bob")).get("/api/v1/materials/" + material + "/content").then().statusCode(403);
        Thread.sleep(5);
        Map<String, Object> n = notice(List.of(a.client, b.client));
        n.put("windowFrom", start.toString());
        n.put("windowTo", Instant.now().toString());
        String id = given().auth().oauth2(Tokens.auditor()).contentType(ContentType.JSON).body(n).post("/api/v1/incidents")
                .then().statusCode(201).body("windowFrom", org.hamcrest.Matchers.notNullValue()).extract().path("id");

        Receiver.Request hook = awaitAt("/window-a", 1).get(0);
        verifies(secretA, hook);
        JsonNode d = JSON.readTree(hook.body()).get("data");
        assertTrue(d.get("report").asText().endsWith("/api/v1/incidents/" + id + "/report"), hook.body());
        assertTrue(d.get("reportPage").asText().endsWith("/portal/workspace/incidents/" + id), hook.body());
        assertEquals(start.toString(), d.get("windowFrom").asText());
        String mail = EmailNoticeTest.text(mailTo("dpo@" + a.client + ".example", id).get(0));
        assertTrue(mail.contains("/portal/workspace/incidents/" + id) && mail.contains("The breach is known to span"), mail);

        JsonNode own = JSON.readTree(given().auth().oauth2(Tokens.clientAdmin(a.client))
                .get("/api/v1/incidents/" + id + "/report").then().statusCode(200).extract().asString());
        assertEquals(1, own.get("clients").size(), own.toString());
        JsonNode section = own.get("clients").get(0);
        assertEquals(a.client, section.get("clientId").asText());
        assertEquals(1, section.get("contentReads").asLong(), own.toString());
        assertEquals(32, section.get("bytesRead").asLong());
        assertEquals(1, section.get("deniedAttempts").asLong(), "bob's refused read: " + own);
        assertEquals("interview-7.wav", section.get("materials").get(0).get("filename").asText());
        assertFalse(own.toString().contains("alice") || own.toString().contains("bob"),
                "the processor's people are pseudonyms to the client: " + own);
        assertFalse(own.toString().contains(b.client), "one controller never learns of another");
        // b was affected but nothing of its material was touched: its section is there, empty
        JsonNode other = JSON.readTree(given().auth().oauth2(Tokens.clientAdmin(b.client))
                .get("/api/v1/incidents/" + id + "/report").then().statusCode(200).extract().asString());
        assertEquals(b.client, other.get("clients").get(0).get("clientId").asText());
        assertEquals(0, other.get("clients").get(0).get("materials").size());

        String dpo = given().auth().oauth2(Tokens.auditor()).get("/api/v1/incidents/" + id + "/report").then().statusCode(200)
                .body("clients.clientId", org.hamcrest.Matchers.contains(List.of(a.client, b.client).stream().sorted()
                        .toArray()))
                .extract().asString();
        assertTrue(dpo.contains("\"alice\""), "the DPO sees names: " + dpo);

        // the client admin's read is on its own chain
        List<Map<String, Object>> reads = given().auth().oauth2(Tokens.clientAdmin(a.client))
                .get("/api/v1/audit?clientId=" + a.client).then().statusCode(200).extract()
                .path("items.findAll { it.action == 'audit.incident-report' }");
        assertEquals(1, reads.size(), String.valueOf(reads));
        assertTrue(((String) reads.get(0).get("detail")).startsWith("incident " + id + " window "));

        // nobody else: a client not named, other roles, an unknown notice, no token
        given().auth().oauth2(Tokens.clientAdmin(c.client)).get("/api/v1/incidents/" + id + "/report").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.clientAdmin(a.client)).get("/api/v1/incidents/" + java.util.UUID.randomUUID()
                + "/report").then().statusCode(404);
        given().auth().oauth2(Tokens.clientAdmin(a.client)).get("/api/v1/incidents/not-a-uuid/report").then()
                .statusCode(404);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/incidents/" + id + "/report").then().statusCode(403);
        given().auth().oauth2(Tokens.uploader(a.client)).get("/api/v1/incidents/" + id + "/report").then().statusCode(403);
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/incidents/" + id + "/report").then().statusCode(403);
        given().get("/api/v1/incidents/" + id + "/report").then().statusCode(401);
    }

    @Test
    void aNoticeWithoutAWindowLinksNoReportAndABadWindowIsRefused() {
        World a = World.create();
        String id = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(notice(List.of(a.client)))
                .post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.clientAdmin(a.client)).get("/api/v1/incidents/" + id + "/report").then().statusCode(409)
                .contentType("application/problem+json").body("type", org.hamcrest.Matchers.endsWith("/no-incident-window"));
        long before = Database.count("select count(*) from incident");
        Instant now = Instant.now();
        for (Map<String, Object> window : List.of(Map.<String, Object> of("windowFrom", now.minusSeconds(60).toString()),
                Map.<String, Object> of("windowTo", now.minusSeconds(60).toString()),
                Map.<String, Object> of("windowFrom", now.minusSeconds(60).toString(), "windowTo",
                        now.minusSeconds(120).toString()),
                Map.<String, Object> of("windowFrom", now.minusSeconds(60).toString(), "windowTo",
                        now.plusSeconds(3600).toString()),
                Map.<String, Object> of("windowFrom", "yesterday", "windowTo", now.toString()))) {
            Map<String, Object> n = notice(List.of(a.client));
            n.putAll(window);
            given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(n).post("/api/v1/incidents").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        assertEquals(before, Database.count("select count(*) from incident"));
    }

    @Test
    void aDpaTerminationThatTakesEffectIsAnnounced() throws Exception {
        World w = World.create();
        String secret = register(w, "/dpa-end", List.of("dpa.terminated"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/clients/" + w.client + "/dpas/" + w.dpaId + "/terminate").then().statusCode(202);
        // scheduled, not yet in effect: nothing is announced
        Thread.sleep(2500);
        assertEquals(0, receiver.to("/dpa-end").size());
        given().auth().oauth2(Tokens.clientAdmin(w.client))
                .post("/api/v1/clients/" + w.client + "/dpas/" + w.dpaId + "/terminate/confirm").then().statusCode(200);
        Receiver.Request r = awaitAt("/dpa-end", 1).get(0);
        JsonNode body = JSON.readTree(r.body());
        assertEquals("dpa.terminated", body.get("type").asText());
        assertEquals(w.dpaId, body.get("data").get("dpaId").asText());
        verifies(secret, r);
        MimeMessage m = mailTo("dpo@" + w.client + ".example", w.dpaId).get(0);
        assertEquals("Valv: data processing agreement " + w.dpaId + " has ended", m.getSubject());
    }
}
