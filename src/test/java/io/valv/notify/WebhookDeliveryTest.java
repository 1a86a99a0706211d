package io.valv.notify;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.valv.testing.Receiver;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StandardWebhooksVerifier;
import io.valv.testing.StandardWebhooksVerifier.Message;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Webhooks end to end: real uploads, purges and register changes through the API, delivered by the worker
 * to a real HTTP receiver, and every signature checked by the official Standard Webhooks library (Node).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Receiver receiver;

    @Inject
    ExpiryNotices expiryNotices;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    static ExtractableResponse<Response> register(World w, String path, List<String> events) {
        return given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url(path), "events", events))
                .post("/api/v1/clients/" + w.client + "/webhooks").then().statusCode(201).extract();
    }

    static Message message(String secret, Receiver.Request r) {
        Map<String, String> h = new HashMap<>();
        h.put("webhook-id", r.header("webhook-id"));
        h.put("webhook-timestamp", r.header("webhook-timestamp"));
        h.put("webhook-signature", r.header("webhook-signature"));
        return new Message(secret, h, r.body());
    }

    static JsonNode body(Receiver.Request r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void anUploadIsAnnouncedSignedAsTheSpecSaysAndOnlyOnce() throws Exception {
        World w = World.create();
        ExtractableResponse<Response> created = register(w, "/stored", List.of("material.stored"));
        String secret = created.path("secret");
        assertTrue(secret.startsWith("whsec_"), secret);
        // the secret is answered once: a read never shows it
        String listed = given().auth().oauth2(Tokens.clientAdmin(w.client)).get("/api/v1/clients/" + w.client + "/webhooks")
                .then().statusCode(200).extract().asString();
        assertTrue(listed.contains(created.path("id")) && !listed.contains(secret) && !listed.contains("whsec_"), listed);

        ExtractableResponse<Response> up = given().auth().oauth2(Tokens.uploader(w.client))
                .header("Content-Disposition", "attachment; filename=interview.wav").header("Valv-Personal-Data", "true")
                .contentType("audio/wav").body("secret interview words".getBytes())
                .post("/api/v1/jobs/" + w.jobId + "/materials").then().statusCode(201).extract();

        List<Receiver.Request> got = receiver.await("/stored", 1, r -> true, WAIT);
        assertEquals(1, got.size(), "one delivery");
        Receiver.Request r = got.get(0);
        JsonNode b = body(r);
        assertEquals("material.stored", b.get("type").asText());
        assertTrue(b.hasNonNull("timestamp"));
        JsonNode d = b.get("data");
        assertEquals(up.path("id").toString(), d.get("materialId").asText());
        assertEquals("interview.wav", d.get("filename").asText());
        assertEquals(22, d.get("size").asLong());
        assertEquals(up.path("sha256").toString(), d.get("sha256").asText());
        assertEquals(w.jobId, d.get("jobId").asText());
        assertEquals(up.path("expiresAt").toString(), d.get("expiresAt").asText());
        assertTrue(!r.body().contains("secret interview words"), "no content in a payload");
        assertTrue(r.header("webhook-id").startsWith("msg_"));
        assertTrue(r.header("webhook-signature").startsWith("v1,"));

        Message ok = message(secret, r);
        Map<String, String> oldHeaders = new HashMap<>(ok.headers());
        oldHeaders.put("webhook-timestamp", Long.toString(Long.parseLong(ok.headers().get("webhook-timestamp")) - 3600));
        String otherSecret = WebhookSigner.newSecret();
        List<String> verdicts = StandardWebhooksVerifier.verify(List.of(ok,
                new Message(secret, ok.headers(), r.body().replace("interview.wav", "intervjuu.wav")),
                new Message(secret, oldHeaders, r.body()),
                new Message(otherSecret, ok.headers(), r.body())));
        assertEquals("ok", verdicts.get(0), "the official library accepts Valv's signature");
        assertTrue(verdicts.get(1).startsWith("rejected"), "tampered body: " + verdicts.get(1));
        assertTrue(verdicts.get(2).contains("too old"), "old timestamp: " + verdicts.get(2));
        assertTrue(verdicts.get(3).startsWith("rejected"), "another secret: " + verdicts.get(3));

        // delivered is final: no second request arrives
        Thread.sleep(2500);
        assertEquals(1, receiver.to("/stored").size());
        List<Map<String, Object>> deliveries = deliveries(w, created.path("id"));
        assertEquals(1, deliveries.size());
        assertEquals("delivered", deliveries.get(0).get("status"));
        assertEquals(204, deliveries.get(0).get("lastHttpStatus"));
    }

    @Test
    void aFailingReceiverIsRetriedWithBackOffUnderTheSameIdThenRedelivered() throws Exception {
        World w = World.create();
        receiver.answer("/flaky", 500, 503);
        ExtractableResponse<Response> created = register(w, "/flaky", List.of("material.stored"));
        Uploads.upload(w, "a.wav", new byte[32]);

        List<Receiver.Request> got = receiver.await("/flaky", 3, r -> true, WAIT);
        assertEquals(3, got.size(), "two failures, then success");
        assertEquals(1, got.stream().map(r -> r.header("webhook-id")).distinct().count(), "same webhook-id on each attempt");
        // back-off 1 s, then 2 s (valv.notify.backoff-base=1s in tests); the worker polls every second
        double gap1 = (got.get(1).atNanos() - got.get(0).atNanos()) / 1e9;
        double gap2 = (got.get(2).atNanos() - got.get(1).atNanos()) / 1e9;
        assertTrue(gap1 >= 0.9, "first retry waited " + gap1);
        assertTrue(gap2 >= 1.9, "second retry waited " + gap2);
        assertEquals("ok", StandardWebhooksVerifier.verify(List.of(message(created.path("secret"), got.get(2)))).get(0));

        String id = created.path("id");
        Map<String, Object> d = awaitStatus(w, id, "delivered");
        assertEquals(3, d.get("attempts"));
        List<Map<String, Object>> log = (List<Map<String, Object>>) d.get("attemptLog");
        assertEquals(List.of(500, 503, 204), log.stream().map(a -> a.get("httpStatus")).toList());

        given().auth().oauth2(Tokens.clientAdmin(w.client))
                .post("/api/v1/clients/" + w.client + "/webhooks/" + id + "/deliveries/" + d.get("id") + "/redeliver")
                .then().statusCode(202);
        List<Receiver.Request> again = receiver.await("/flaky", 4, r -> true, WAIT);
        assertEquals(4, again.size(), "redelivered");
        assertEquals(got.get(0).header("webhook-id"), again.get(3).header("webhook-id"), "a redelivery keeps the id");
        assertEquals(4, awaitAttempts(w, id, 4).get("attempts"));
    }

    @Test
    void aReceiverThatWasDownGetsEachNoticeOnceInTheOrderItWasWritten() throws Exception {
        World w = World.create();
        receiver.answer("/ordered", 503, 503);
        register(w, "/ordered", List.of("material.stored", "material.purged"));
        String first = Uploads.upload(w, "first.wav", new byte[8]);
        String second = Uploads.upload(w, "second.wav", new byte[8]);
        given().auth().oauth2(Tokens.clientAdmin(w.client)).delete("/api/v1/materials/" + first).then().statusCode(202);

        // the first notice fails twice and waits out its back-off (1 s, 2 s): the two newer ones wait behind it
        List<Receiver.Request> got = receiver.await("/ordered", 5, r -> true, WAIT);
        Thread.sleep(1500);
        got = receiver.to("/ordered");
        List<String> seen = new java.util.ArrayList<>();
        for (Receiver.Request r : got) {
            JsonNode b = body(r);
            seen.add(b.get("type").asText() + " " + b.get("data").get("materialId").asText());
        }
        String stored1 = "material.stored " + first;
        assertEquals(List.of(stored1, stored1, stored1, "material.stored " + second, "material.purged " + first), seen,
                "strictly in the order written, each retried under its own id until it is taken");
        assertEquals(3, got.stream().map(r -> r.header("webhook-id")).distinct().count(), "one id per notice");
        assertEquals(1, got.subList(0, 3).stream().map(r -> r.header("webhook-id")).distinct().count());
    }

    @Test
    void aReceiverThatNeverAnswers2xxIsGivenUpAfterTheBoundedAttempts() throws Exception {
        World w = World.create();
        receiver.answer("/down", 500, 500, 500, 500, 500, 500);
        ExtractableResponse<Response> created = register(w, "/down", List.of("material.stored"));
        Uploads.upload(w, "b.wav", new byte[8]);
        Map<String, Object> d = awaitStatus(w, created.path("id"), "failed");
        assertEquals(4, d.get("attempts"), "valv.notify.max-attempts=4 in tests");
        assertNull(d.get("nextAttemptAt"));
        Thread.sleep(3000);
        assertEquals(4, receiver.to("/down").size(), "nothing after giving up");

        // the endpoint is marked failing, and the client's contact is told once (whatever its email setting)
        String endpoint = created.path("id");
        String failingSince = given().auth().oauth2(Tokens.clientAdmin(w.client))
                .get("/api/v1/clients/" + w.client + "/webhooks")
                .then().statusCode(200).extract().path("find { it.id == '" + endpoint + "' }.failingSince");
        org.junit.jupiter.api.Assertions.assertNotNull(failingSince, "marked failing");
        assertEquals(1,
                io.valv.testing.Database.count("select count(*) from email_outbox where client_id = ? and event_type = ?",
                        w.client, "webhook.failing"));
        String body = io.valv.testing.Database.strings("select data from email_outbox where client_id = ? and event_type = ?",
                w.client, "webhook.failing").get(0);
        assertTrue(body.contains(endpoint) && body.contains("HTTP 500"), body);

        // once it answers again, a redelivery clears the mark
        receiver.unscript("/down");
        String delivery = (String) d.get("id");
        given().auth().oauth2(Tokens.clientAdmin(w.client))
                .post("/api/v1/clients/" + w.client + "/webhooks/" + endpoint + "/deliveries/" + delivery + "/redeliver").then()
                .statusCode(org.hamcrest.Matchers.lessThan(300));
        awaitStatus(w, endpoint, "delivered");
        assertNull(given().auth().oauth2(Tokens.clientAdmin(w.client)).get("/api/v1/clients/" + w.client + "/webhooks").then()
                .extract().path("find { it.id == '" + endpoint + "' }.failingSince"), "cleared by a success");
    }

    @Test
    void duringARotationBothSecretsSignThenTheNewOne() throws Exception {
        World w = World.create();
        ExtractableResponse<Response> created = register(w, "/rotated", List.of("material.stored"));
        String oldSecret = created.path("secret");
        String id = created.path("id");
        ExtractableResponse<Response> rotated = given().auth().oauth2(Tokens.clientAdmin(w.client))
                .post("/api/v1/clients/" + w.client + "/webhooks/" + id + "/rotate-secret").then().statusCode(200).extract();
        String newSecret = rotated.path("secret");
        assertNotEquals(oldSecret, newSecret);
        assertTrue(rotated.path("previousSecretUntil") != null);

        Uploads.upload(w, "c.wav", new byte[8]);
        Receiver.Request r = receiver.await("/rotated", 1, x -> true, WAIT).get(0);
        assertEquals(2, r.header("webhook-signature").split(" ").length, "two signatures during the overlap");
        assertEquals(List.of("ok", "ok"),
                StandardWebhooksVerifier.verify(List.of(message(oldSecret, r), message(newSecret, r))));
    }

    @Test
    void theDatabaseHoldsNoSigningSecretOnlySealedOnes() throws Exception {
        World w = World.create();
        ExtractableResponse<Response> created = register(w, "/sealed", List.of("material.stored"));
        String id = created.path("id");
        String first = created.path("secret");
        String second = given().auth().oauth2(Tokens.clientAdmin(w.client))
                .post("/api/v1/clients/" + w.client + "/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                .extract().path("secret");
        // every column of the row, as text and as bytes: neither secret in any form
        List<String> forms = new java.util.ArrayList<>();
        for (String secret : List.of(first, second)) {
            byte[] key = java.util.Base64.getDecoder().decode(secret.substring("whsec_".length()));
            forms.addAll(List.of(secret, secret.substring(6), java.util.HexFormat.of().formatHex(key)));
        }
        try (java.sql.Connection c = io.valv.testing.Database.connect();
                java.sql.PreparedStatement s = c.prepareStatement(
                        "select e.*, encode(sealed_secret, 'hex') as sh, encode(sealed_previous_secret, 'hex') as ph,"
                                + " encode(sealed_secret, 'escape') as se from webhook_endpoint e where id = ?")) {
            s.setObject(1, java.util.UUID.fromString(id));
            try (java.sql.ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    String value = r.getString(i);
                    for (String form : forms) {
                        assertTrue(value == null || !value.contains(form),
                                r.getMetaData().getColumnName(i) + " holds a secret");
                    }
                }
                assertTrue(r.getString("sh").startsWith("57"), "sealed ('W' format byte)");
                assertTrue(r.getString("ph").startsWith("57"), "the previous secret is sealed too");
            }
        }
        assertEquals(0, io.valv.testing.Database.count("select count(*) from webhook_endpoint where"
                + " encode(sealed_secret, 'escape') like '%whsec_%' or encode(sealed_previous_secret, 'escape') like '%whsec_%'"));
        // no plaintext column is left behind by the migration
        assertEquals(0, io.valv.testing.Database.count("select count(*) from information_schema.columns where"
                + " table_name = 'webhook_endpoint' and column_name in ('secret', 'previous_secret')"));
        // and both still sign: the sealed keys are what the worker opens
        Uploads.upload(w, "s.wav", new byte[8]);
        Receiver.Request r = receiver.await("/sealed", 1, x -> true, WAIT).get(0);
        assertEquals(List.of("ok", "ok"), StandardWebhooksVerifier.verify(List.of(message(first, r), message(second, r))));
    }

    @Test
    void aPurgeIsAnnouncedWithItsCertificateAndARegisterChangeReachesSubscribers() throws Exception {
        World w = World.create();
        ExtractableResponse<Response> created = register(w, "/lifecycle", List.of("material.purged", "subprocessor.changed"));
        String material = Uploads.upload(w, "d.wav", new byte[8]);
        given().auth().oauth2(Tokens.clientAdmin(w.client)).delete("/api/v1/materials/" + material).then().statusCode(202);

        Receiver.Request purged = receiver.await("/lifecycle", 1, r -> r.body().contains("material.purged"), WAIT).get(0);
        JsonNode d = body(purged).get("data");
        assertEquals(material, d.get("materialId").asText());
        String certificate = d.get("certificateId").asText();
        given().auth().oauth2(Tokens.clientAdmin(w.client)).get("/api/v1/certificates/" + certificate).then().statusCode(200);
        assertTrue(d.get("certificate").get("pdf").asText().endsWith("/api/v1/certificates/" + certificate + "/pdf"));

        String name = "Transcriber " + java.util.UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "purpose", "p", "country", "SE", "transferMechanism", "none (EU)"))
                .post("/api/v1/subprocessors").then().statusCode(201);
        Receiver.Request changed = receiver.await("/lifecycle", 1, r -> r.body().contains(name), WAIT).get(0);
        assertEquals("subprocessor.changed", body(changed).get("type").asText());
        assertEquals(List.of("ok", "ok"), StandardWebhooksVerifier.verify(List.of(message(created.path("secret"), purged),
                message(created.path("secret"), changed))));
        // unsubscribed types are not sent: the upload's material.stored never came here
        assertEquals(0, receiver.to("/lifecycle").stream().filter(r -> r.body().contains("material.stored")).count());
    }

    @Test
    void aPurgeBatchAnnouncesEachMaterialOnceOnEveryChannelInOrder() throws Exception {
        World w = World.create();
        register(w, "/batch", List.of("certificate.issued", "material.purged"));
        List<String> materials = List.of(Uploads.upload(w, "b1.wav", new byte[8]), Uploads.upload(w, "b2.wav", new byte[8]),
                Uploads.upload(w, "b3.wav", new byte[8]));
        // completing the job purges its three materials in one batch, announced together
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + w.jobId + "/complete").then().statusCode(200);

        List<Receiver.Request> got = receiver.await("/batch", 6, r -> true, WAIT);
        Thread.sleep(500); // nothing more is coming
        assertEquals(6, receiver.to("/batch").size(), "one certificate.issued and one material.purged per material");
        for (String material : materials) {
            List<JsonNode> about = new ArrayList<>();
            for (Receiver.Request r : got) {
                JsonNode b = body(r);
                if (b.get("data").get("materialId").asText().equals(material)) {
                    about.add(b);
                }
            }
            assertEquals(List.of("certificate.issued", "material.purged"),
                    about.stream().map(b -> b.get("type").asText()).sorted().toList(), material);
            assertEquals(about.get(0).get("data").get("certificateId").asText(),
                    about.get(1).get("data").get("certificateId").asText(), "both name the material's certificate");
        }
        // the email channel: one purge notice per material, to the client's contact
        assertEquals(3, io.valv.testing.Database.count("select count(*) from email_outbox where client_id = ?"
                + " and event_type = 'material.purged'", w.client));
        assertEquals(0, io.valv.testing.Database.count("select count(*) from email_outbox where client_id = ?"
                + " and event_type = 'certificate.issued'", w.client), "a material's certificate is emailed as its purge");
    }

    @Test
    void everyCertificateIsAnnouncedAsIssuedTheMaterialsAndTheJobsSummary() throws Exception {
        World w = World.create();
        ExtractableResponse<Response> created = register(w, "/certificates", List.of("certificate.issued"));
        String material = Uploads.upload(w, "c.wav", new byte[8]);
        given().auth().oauth2(Tokens.clientAdmin(w.client)).delete("/api/v1/materials/" + material).then().statusCode(202);
        Receiver.Request ofMaterial = receiver.await("/certificates", 1, r -> r.body().contains(material), WAIT).get(0);
        JsonNode m = body(ofMaterial);
        assertEquals("certificate.issued", m.get("type").asText());
        assertEquals("material", m.get("data").get("scope").asText());
        assertEquals(w.jobId, m.get("data").get("jobId").asText());

        String summary = given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("scope", "job", "jobId", w.jobId)).post("/api/v1/certificates").then().statusCode(201)
                .extract().path("id");
        Receiver.Request ofJob = receiver.await("/certificates", 1, r -> r.body().contains(summary), WAIT).get(0);
        JsonNode j = body(ofJob).get("data");
        assertEquals("job", j.get("scope").asText());
        assertTrue(j.get("materialId").isNull(), j.toString());
        assertTrue(j.get("certificate").get("cms").asText().endsWith("/api/v1/certificates/" + summary + "/signed"));
        assertEquals(List.of("ok", "ok"), StandardWebhooksVerifier.verify(List.of(message(created.path("secret"), ofMaterial),
                message(created.path("secret"), ofJob))));
        // subscribed to certificate.issued only: the purge's material.purged did not come here
        assertEquals(0, receiver.to("/certificates").stream().filter(r -> r.body().contains("material.purged")).count());
    }

    @Test
    void anExpiryNoticeIsSentOnceInTheShortestWindowItIsIn() throws Exception {
        World w = World.create(true, List.of(World.STORAGE), 5); // expires in 5 days: inside the 7-day window
        register(w, "/expiring", List.of("material.expiring"));
        String material = Uploads.upload(w, "e.wav", new byte[8]);
        expiryNotices.scan();
        expiryNotices.scan();
        Receiver.Request r = receiver.await("/expiring", 1, x -> true, WAIT).get(0);
        JsonNode d = body(r).get("data");
        assertEquals(material, d.get("materialId").asText());
        assertEquals(7, d.get("daysLeft").asInt());
        Thread.sleep(2500);
        assertEquals(1, receiver.to("/expiring").size(), "once, and not again for the 30-day window");
    }

    @Test
    void anotherClientCannotSeeOrManageTheWebhooks() {
        World w = World.create();
        String id = register(w, "/private", List.of("material.stored")).path("id");
        given().auth().oauth2(Tokens.clientAdmin("other-client")).get("/api/v1/clients/" + w.client + "/webhooks").then()
                .statusCode(404);
        given().auth().oauth2(Tokens.uploader(w.client)).get("/api/v1/clients/" + w.client + "/webhooks").then()
                .statusCode(403);
        given().auth().oauth2(Tokens.admin()).delete("/api/v1/clients/" + w.client + "/webhooks/" + id).then()
                .statusCode(403);
        // an unknown event type is refused with the validation problem
        given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/x"), "events", List.of("material.read")))
                .post("/api/v1/clients/" + w.client + "/webhooks").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.clientAdmin(w.client)).delete("/api/v1/clients/" + w.client + "/webhooks/" + id)
                .then().statusCode(204);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> deliveries(World w, String webhookId) {
        return given().auth().oauth2(Tokens.clientAdmin(w.client))
                .get("/api/v1/clients/" + w.client + "/webhooks/" + webhookId + "/deliveries").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    static Map<String, Object> awaitStatus(World w, String webhookId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Map<String, Object>> list = deliveries(w, webhookId);
            if (!list.isEmpty() && status.equals(list.get(0).get("status"))) {
                return list.get(0);
            }
            assertTrue(System.nanoTime() < deadline, "delivery never became " + status + ": " + list);
            Thread.sleep(200);
        }
    }

    static Map<String, Object> awaitAttempts(World w, String webhookId, int attempts) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Map<String, Object>> list = deliveries(w, webhookId);
            if (!list.isEmpty() && ((Integer) list.get(0).get("attempts")) >= attempts) {
                return list.get(0);
            }
            assertTrue(System.nanoTime() < deadline, "delivery never reached " + attempts + " attempts: " + list);
            Thread.sleep(200);
        }
    }
}
