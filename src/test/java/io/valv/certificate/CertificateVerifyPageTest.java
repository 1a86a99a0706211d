package io.valv.certificate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.valv.testing.Browser;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * The public verify page (issue 18): yes for the id and the SHA-256 of the signed JSON or the CMS file, one
 * and the same no for everything else; portal headers; English and Swedish; axe-core clean; rate-limited.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertificateVerifyPageTest {

    @TestHTTPResource("/")
    URL root;

    private static String certificateId;
    private static String client;

    /** A real certificate: an upload erased on the client's instruction. */
    static synchronized String certificate() throws Exception {
        if (certificateId == null) {
            World w = World.create();
            String material = given().auth().oauth2(Tokens.uploader(w.client))
                    .header("Content-Disposition", "attachment; filename=verify.wav").header("Valv-Personal-Data", "true")
                    .contentType("audio/wav").body(new byte[16]).post("/api/v1/jobs/" + w.jobId + "/materials").then()
                    .statusCode(201).extract().path("id");
            given().auth().oauth2(Tokens.clientAdmin(w.client)).delete("/api/v1/materials/" + material).then().statusCode(202);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<String> ids;
            do {
                Thread.sleep(300);
                ids = given().auth().oauth2(Tokens.clientAdmin(w.client)).get("/api/v1/certificates?clientId=" + w.client)
                        .then()
                        .statusCode(200).extract().jsonPath().getList("id");
            } while (ids.isEmpty() && System.nanoTime() < deadline);
            certificateId = ids.get(0);
            client = w.client;
        }
        return certificateId;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] cms(String id) {
        return given().auth().oauth2(Tokens.clientAdmin(client)).get("/api/v1/certificates/" + id + "/signed").then()
                .statusCode(200).extract().asByteArray();
    }

    static byte[] json(String id) {
        return given().auth().oauth2(Tokens.clientAdmin(client)).get("/api/v1/certificates/" + id).then().statusCode(200)
                .extract().asByteArray();
    }

    @Test
    @Order(1)
    void theDigestOfTheCmsFileOrTheSignedJsonVerifiesAndNothingElseDoes() throws Exception {
        String id = certificate();
        for (String digest : List.of(sha256(cms(id)), sha256(json(id)), sha256(cms(id)).toUpperCase())) {
            Response r = given().queryParam("id", id).queryParam("d", digest).get("/verify");
            assertEquals(200, r.statusCode());
            String page = r.asString();
            assertTrue(page.contains("Valid") && page.contains("for client " + client), page);
            assertTrue(page.contains("Valv issued certificate " + id + " on 20"), page);
            assertFalse(page.contains("verify.wav"), "no file name");
        }
        // the purge event's place in the log, and (once a tree head is signed, every 3 s here) that it is covered
        long seq = io.restassured.path.json.JsonPath.from(new String(json(id), java.nio.charset.StandardCharsets.UTF_8))
                .getLong("auditEvent.seq");
        String proof = "";
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!proof.contains("is covered by the log") && System.nanoTime() < until) {
            String page = given().queryParam("id", id).queryParam("d", sha256(cms(id))).get("/verify").asString();
            proof = page.replaceAll("(?s).*<p id=\"proof\">(.*?)</p>.*", "$1");
            assertTrue(proof.contains("number " + seq + " of the audit log"), page);
            Thread.sleep(300);
        }
        assertTrue(
                proof.contains("is covered by the log's signed tree head of 20")
                        || proof.contains("is covered by the log&#39;s"),
                proof);

        // the QR code's link form
        String linked = given().queryParam("d", sha256(cms(id))).get("/verify/" + id).then().statusCode(200).extract()
                .asString();
        assertTrue(linked.contains("for client " + client));

        // wrong digest, unknown id, malformed input: one and the same answer, naming nobody
        String unknown = java.util.UUID.randomUUID().toString();
        String wrongDigest = sha256(new byte[] { 1 });
        for (Map<String, String> q : List.of(Map.of("id", id, "d", wrongDigest), Map.of("id", unknown, "d", sha256(cms(id))),
                Map.of("id", "not-a-uuid", "d", "zz"), Map.of("id", id, "d", ""))) {
            String page = given().queryParams(q).get("/verify").then().statusCode(200).extract().asString();
            assertTrue(page.contains("Not verified"), page);
            assertFalse(page.contains(client), "a refused check names no client: " + page);
        }

        // the form, with the portal's headers
        Response form = given().get("/verify");
        assertEquals(200, form.statusCode());
        assertTrue(form.header("Content-Security-Policy").contains("script-src 'self'"));
        assertEquals("DENY", form.header("X-Frame-Options"));
        assertEquals("no-referrer", form.header("Referrer-Policy"));
        assertTrue(form.asString().contains("<form method=\"get\" action=\"/verify\">"));

        // input is escaped, never markup
        String hostile = given().queryParam("id", "<script>alert(1)</script>").queryParam("d", "x").get("/verify").asString();
        assertFalse(hostile.contains("<script>alert(1)"));

        // audited: the match on the client's chain
        List<Map<String, Object>> events = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + client)
                .then().statusCode(200).extract().path("items.findAll { it.action == 'certificate.verify' }");
        assertTrue(events.size() >= 4, events.toString());
        assertEquals("certificate " + id + " matched", events.get(0).get("detail"));
    }

    @Test
    @Order(2)
    void swedishIsChosenBySwitchOrAcceptLanguage() throws Exception {
        String id = certificate();
        String sv = given().queryParam("id", id).queryParam("d", sha256(cms(id))).queryParam("lang", "sv").get("/verify")
                .then().statusCode(200).extract().asString();
        assertTrue(sv.contains("lang=\"sv\"") && sv.contains("Giltigt") && sv.contains("för klient " + client), sv);
        String accept = given().header("Accept-Language", "sv-SE,sv;q=0.9").get("/verify").then().statusCode(200).extract()
                .asString();
        assertTrue(accept.contains("Kontrollera ett raderingsintyg"), accept);
    }

    @Test
    @Order(3)
    void thePageIsAccessibleInBothLanguages() throws Exception {
        String id = certificate();
        String digest = sha256(cms(id));
        for (String language : List.of("en", "sv")) {
            try (Browser browser = Browser.start(language)) {
                browser.get(url("/verify?lang=" + language));
                browser.assertAccessible("verify-form-" + language);
                browser.get(url("/verify/" + id + "?d=" + digest + "&lang=" + language));
                browser.assertAccessible("verify-valid-" + language);
                browser.get(url("/verify?id=" + id + "&d=" + "0".repeat(64) + "&lang=" + language));
                browser.assertAccessible("verify-invalid-" + language);
            }
        }
    }

    @Test
    @Order(4)
    void tooManyChecksFromOneAddressAreRefusedForTheMinute() throws Exception {
        String id = certificate();
        int limited = 0;
        for (int i = 0; i < 40 && limited == 0; i++) {
            Response r = given().queryParam("id", id).queryParam("d", "0".repeat(64)).get("/verify");
            if (r.statusCode() == 429) {
                limited = i;
                assertEquals("60", r.header("Retry-After"));
                assertTrue(r.asString().contains("Too many requests"));
            }
        }
        assertTrue(limited > 0, "refused within 40 requests (valv.certificate.verify-per-minute=30)");
        // the form alone is not counted: it checks nothing
        given().get("/verify").then().statusCode(200);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + root.getPort() + path;
    }
}
