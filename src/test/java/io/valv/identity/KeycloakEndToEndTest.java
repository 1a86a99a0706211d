package io.valv.identity;

import static io.restassured.RestAssured.given;
import static io.valv.testing.KeycloakResource.clientCredentialsToken;
import static io.valv.testing.KeycloakResource.token;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Uploads;

/**
 * Valv against a real Keycloak running the shipped realm (keycloak/valv-realm.json): the tokens that
 * people and client integrations really get, with roles from {@code realm_access} and the tenant from the
 * {@code vault_client} mapper, decide what each demo user may do.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@WithTestResource(S3ProxyResource.class)
class KeycloakEndToEndTest {

    static final String STORAGE = "Object storage";
    static final List<String> DEMO_USERS = List.of("admin", "alice", "sam", "dora", "acme-admin", "acme-upload",
            "globex-admin");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDemoUserGetsATokenCarryingTheirNameRolesTenantAndAudience() throws IOException {
        Map<String, String> roles = Map.of("admin", "vault-admin", "alice", "staff", "sam", "staff", "dora", "auditor",
                "acme-admin", "client-admin", "acme-upload", "client-uploader", "globex-admin", "client-admin");
        Map<String, String> tenants = Map.of("acme-admin", "acme", "acme-upload", "acme", "globex-admin", "globex");
        for (String user : DEMO_USERS) {
            JsonNode claims = claims(token(user));
            assertEquals(KeycloakResource.baseUrl(), claims.path("iss").asText(), user);
            assertEquals(user, claims.path("preferred_username").asText(), user);
            // Quarkus names the principal after `upn` first: it must not be there to shadow the user name
            assertTrue(claims.path("upn").isMissingNode(), user);
            assertTrue(textValues(claims.path("realm_access").path("roles")).contains(roles.get(user)), user);
            assertTrue(textValues(claims.path("aud")).contains(KeycloakResource.AUDIENCE), user);
            assertEquals(tenants.getOrDefault(user, ""), claims.path("vault_client").asText(""), user);
        }
        JsonNode integration = claims(clientCredentialsToken(KeycloakResource.ACME_INTEGRATION,
                KeycloakResource.ACME_INTEGRATION_SECRET));
        assertEquals("acme", integration.path("vault_client").asText());
        assertTrue(textValues(integration.path("realm_access").path("roles")).contains("client-uploader"));
    }

    @Test
    void eachDemoUserSeesWhatTheirRoleAndClientAllow() {
        ensureClient("acme");
        ensureClient("globex");
        given().auth().oauth2(token("admin")).get("/api/v1/clients").then().statusCode(200)
                .body("id", hasItem("acme")).body("id", hasItem("globex"));
        given().auth().oauth2(token("dora")).get("/api/v1/clients").then().statusCode(200)
                .body("id", hasItem("globex"));
        given().auth().oauth2(token("acme-admin")).get("/api/v1/clients").then().statusCode(200)
                .body("id", contains("acme"));
        given().auth().oauth2(token("acme-upload")).get("/api/v1/clients").then().statusCode(200)
                .body("id", contains("acme"));
        given().auth().oauth2(token("globex-admin")).get("/api/v1/clients").then().statusCode(200)
                .body("id", contains("globex"));
        given().auth().oauth2(token("globex-admin")).get("/api/v1/clients/acme").then().statusCode(404);
        for (String staff : List.of("alice", "sam")) {
            given().auth().oauth2(token(staff)).get("/api/v1/clients").then().statusCode(403)
                    .contentType("application/problem+json");
        }
        for (String user : DEMO_USERS) {
            given().auth().oauth2(token(user)).get("/api/v1/jobs").then().statusCode(200);
        }
    }

    @Test
    void anIntegrationUploadsAndOnlyTheAssignedStaffAndTheClientAdminReadIt() {
        String job = openJob("acme");
        byte[] data = Uploads.randomBytes(3 * (1 << 20) + 17, 7);
        String material = upload(clientCredentialsToken(KeycloakResource.ACME_INTEGRATION,
                KeycloakResource.ACME_INTEGRATION_SECRET), job, data).then().statusCode(201)
                .body("size", equalTo(data.length)).extract().path("id");

        assertArrayEquals(data, readContent("alice", material).then().statusCode(200).extract().asByteArray());
        assertArrayEquals(data, readContent("acme-admin", material).then().statusCode(200).extract().asByteArray());
        readContent("alice", material, "bytes=100-199").then().statusCode(206);
        readContent("sam", material).then().statusCode(403).contentType("application/problem+json");
        readContent("globex-admin", material).then().statusCode(404).contentType("application/problem+json");
        readContent("dora", material).then().statusCode(403).contentType("application/problem+json");
        readContent("admin", material).then().statusCode(403).contentType("application/problem+json");
        readContent("acme-upload", material).then().statusCode(403).contentType("application/problem+json");

        // the processor's admin and DPO see the metadata, never the content; the other client not even that
        given().auth().oauth2(token("admin")).get("/api/v1/materials/" + material).then().statusCode(200)
                .body("clientId", equalTo("acme"));
        given().auth().oauth2(token("dora")).get("/api/v1/materials/" + material).then().statusCode(200);
        given().auth().oauth2(token("globex-admin")).get("/api/v1/materials/" + material).then().statusCode(404);

        // the other client's integration cannot even find the job
        upload(clientCredentialsToken(KeycloakResource.GLOBEX_INTEGRATION, KeycloakResource.GLOBEX_INTEGRATION_SECRET),
                job, data).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theTenantComesFromTheTokenNeverFromTheRequest() {
        String globexJob = openJob("globex");
        byte[] data = Uploads.randomBytes(1000, 3);
        upload(token("acme-upload"), globexJob, data).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(token("acme-upload")).header("vault_client", "globex").header("Valv-Client", "globex")
                .queryParam("clientId", "globex").queryParam("vault_client", "globex")
                .header("Content-Disposition", "attachment; filename=\"x.wav\"").header("Valv-Personal-Data", "true")
                .contentType("audio/wav").body(data)
                .post("/api/v1/jobs/" + globexJob + "/materials")
                .then().statusCode(404);
        upload(token("globex-admin"), globexJob, data).then().statusCode(201);
    }

    @Test
    void aTamperedOrMissingTokenIsRefusedWithAProblem() {
        String job = openJob("acme");
        String valid = token("acme-upload");
        String[] parts = valid.split("\\.");
        char[] signature = parts[2].toCharArray();
        int middle = signature.length / 2;
        signature[middle] = signature[middle] == 'A' ? 'B' : 'A';
        String tampered = parts[0] + "." + parts[1] + "." + new String(signature);
        assertNotEquals(valid, tampered);

        upload(tampered, job, Uploads.randomBytes(100, 1)).then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        given().auth().oauth2(tampered).get("/api/v1/jobs").then().statusCode(401)
                .contentType("application/problem+json");
        given().get("/api/v1/jobs").then().statusCode(401).contentType("application/problem+json");

        // claims edited to another tenant, signature kept: refused as well
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"vault_client\":\"acme\""), payload);
        payload = payload.replace("\"vault_client\":\"acme\"", "\"vault_client\":\"globex\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        given().auth().oauth2(forged).get("/api/v1/jobs").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aUserCannotMoveThemselvesToAnotherClientThroughKeycloak() throws Exception {
        // a fresh token, not the cached one: this test talks to Keycloak's own account API
        HttpResponse<String> tokenResponse = KeycloakResource.tokenEndpoint(Map.of("grant_type", "password",
                "client_id", KeycloakResource.CLI_CLIENT, "username", "acme-upload", "password", "acme-upload"));
        String accessToken = JSON.readTree(tokenResponse.body()).path("access_token").asText();
        String profile = "{\"username\":\"acme-upload\",\"email\":\"acme-upload@acme.example\",\"firstName\":\"Acme\","
                + "\"lastName\":\"Uploader\",\"attributes\":{\"vault_client\":[\"globex\"]}}";
        HttpResponse<String> update = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(KeycloakResource.baseUrl() + "/account/"))
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(profile)).build(), HttpResponse.BodyHandlers.ofString());
        assertFalse(update.statusCode() >= 200 && update.statusCode() < 300,
                "Keycloak accepted a self-service change of vault_client: " + update.statusCode());

        HttpResponse<String> again = KeycloakResource.tokenEndpoint(Map.of("grant_type", "password",
                "client_id", KeycloakResource.CLI_CLIENT, "username", "acme-upload", "password", "acme-upload"));
        assertEquals("acme", claims(JSON.readTree(again.body()).path("access_token").asText())
                .path("vault_client").asText());
    }

    @Test
    void wrongPasswordsAndSecretsGetNoToken() {
        assertEquals(401, KeycloakResource.tokenEndpoint(Map.of("grant_type", "client_credentials",
                "client_id", KeycloakResource.ACME_INTEGRATION, "client_secret", "wrong")).statusCode());
        // the portal's confidential client cannot be used for password grants
        assertNotEquals(200, KeycloakResource.tokenEndpoint(Map.of("grant_type", "password",
                "client_id", KeycloakResource.PORTAL_CLIENT, "client_secret", KeycloakResource.PORTAL_SECRET,
                "username", "alice", "password", "alice")).statusCode());
    }

    @Test
    void signingOutEndsTheSessionEverywhereThroughBackChannelLogout() throws IOException {
        // signed out on the portal: the copy of the cookie taken before no longer works either
        Browser alice = Browser.signIn("alice");
        Map<String, String> copy = alice.appCookies();
        alice.app("/portal").then().statusCode(200);
        Response out = alice.app("/portal/logout");
        assertEquals(302, out.statusCode());
        String endSession = out.header("Location");
        assertTrue(endSession.startsWith(KeycloakResource.baseUrl() + "/protocol/openid-connect/logout"), endSession);
        // Keycloak ends its session and POSTs a logout token to /portal/back-channel-logout before it answers
        Response ended = alice.keycloak(endSession);
        assertEquals(302, ended.statusCode(), ended.asString());
        assertTrue(ended.header("Location").contains("/portal/signed-out"), ended.header("Location"));
        awaitSignedOut(copy);

        // signed out in Keycloak (here by its admin): the portal session ends with it
        Browser sam = Browser.signIn("sam");
        sam.app("/portal").then().statusCode(200);
        HttpResponse<String> users = KeycloakResource.admin("GET", "/users?exact=true&username=sam");
        assertEquals(200, users.statusCode(), users.body());
        String id = JSON.readTree(users.body()).path(0).path("id").asText();
        HttpResponse<String> logout = KeycloakResource.admin("POST", "/users/" + id + "/logout");
        assertEquals(204, logout.statusCode(), logout.body());
        awaitSignedOut(sam.appCookies());
    }

    /**
     * The logout is recorded by the portal: the session cookie now leads to a new sign-in, and keeps doing so
     * when replayed (quarkus-oidc holds a back-channel logout for one use only; EndedSessions keeps it).
     */
    private static void awaitSignedOut(Map<String, String> sessionCookies) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = given().redirects().follow(false).cookies(sessionCookies).get("/portal").statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        // 302 to a new login when quarkus-oidc consumes the logout token; 401 once the session is recorded ended
        assertTrue(status == 302 || status == 401, "a session of a signed-out provider session opened the portal: "
                + status);
        for (int replay = 0; replay < 2; replay++) {
            given().redirects().follow(false).cookies(sessionCookies).get("/portal").then().statusCode(401);
        }
    }

    /**
     * A browser's cookie jars, one for Valv and one for Keycloak, and the real authorization-code login: the
     * portal sends it to Keycloak's login page, whose form is filled in and posted as a person would.
     */
    static final class Browser {

        private static final java.util.regex.Pattern FORM_ACTION = java.util.regex.Pattern
                .compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
        private final Map<String, String> app = new java.util.LinkedHashMap<>();
        private final Map<String, String> keycloak = new java.util.LinkedHashMap<>();

        static Browser signIn(String user) {
            Browser browser = new Browser();
            Response challenge = browser.app("/portal");
            assertEquals(302, challenge.statusCode());
            Response loginPage = browser.keycloak(challenge.header("Location"));
            assertEquals(200, loginPage.statusCode(), loginPage.asString());
            java.util.regex.Matcher action = FORM_ACTION.matcher(loginPage.asString());
            assertTrue(action.find(), loginPage.asString());
            Response posted = browser.keep(browser.keycloak, browser.as(browser.keycloak)
                    .contentType("application/x-www-form-urlencoded").formParam("username", user)
                    .formParam("password", user).post(action.group(1).replace("&amp;", "&")));
            assertEquals(302, posted.statusCode(), posted.asString());
            String callback = posted.header("Location");
            assertTrue(callback.contains("/portal/callback?"), callback);
            Response back = browser.app(callback);
            for (int hop = 0; hop < 3 && back.statusCode() == 302; hop++) {
                back = browser.app(back.header("Location"));
            }
            assertEquals(200, back.statusCode(), "signed in as " + user + " and back on the portal");
            return browser;
        }

        /** A GET to Valv: a path, or an absolute URL Valv redirected to (its host and port are RestAssured's). */
        Response app(String pathOrUrl) {
            String path = pathOrUrl.startsWith("http") ? pathOrUrl.replaceFirst("^https?://[^/]+", "") : pathOrUrl;
            return keep(app, as(app).get(path));
        }

        Response keycloak(String url) {
            return keep(keycloak, as(keycloak).get(url));
        }

        /** URLs as the servers sent them: already encoded, so RestAssured must not encode them again. */
        private io.restassured.specification.RequestSpecification as(Map<String, String> jar) {
            return given().urlEncodingEnabled(false).redirects().follow(false).cookies(jar);
        }

        Map<String, String> appCookies() {
            return Map.copyOf(app);
        }

        private Response keep(Map<String, String> jar, Response response) {
            for (io.restassured.http.Cookie c : response.detailedCookies()) {
                if (c.getMaxAge() == 0 || c.getValue() == null || c.getValue().isEmpty()) {
                    jar.remove(c.getName());
                } else {
                    jar.put(c.getName(), c.getValue());
                }
            }
            return response;
        }
    }

    // --- world building through the public API, as the processor's admin would do it

    static Response upload(String token, String job, byte[] data) {
        return given().auth().oauth2(token).header("Content-Disposition", "attachment; filename=\"interview.wav\"")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(data)
                .post("/api/v1/jobs/" + job + "/materials");
    }

    static Response readContent(String user, String material) {
        return given().auth().oauth2(token(user)).get("/api/v1/materials/" + material + "/content");
    }

    static Response readContent(String user, String material, String range) {
        return given().auth().oauth2(token(user)).header("Range", range)
                .get("/api/v1/materials/" + material + "/content");
    }

    /** An open job of the client, under its active DPA, assigned to alice (not to sam). */
    static String openJob(String client) {
        ensureClient(client);
        String job = given().auth().oauth2(token("admin")).contentType(ContentType.JSON)
                .body(Map.of("clientId", client, "title", "Interviews", "reuseRequested", false))
                .post("/api/v1/jobs").then().statusCode(201).body("clientId", equalTo(client)).extract().path("id");
        given().auth().oauth2(token("admin")).contentType(ContentType.JSON).body(Map.of("staff", "alice"))
                .post("/api/v1/jobs/" + job + "/assignments").then().statusCode(200);
        return job;
    }

    /**
     * The demo clients share the run's database with other test classes, so they are created only if
     * absent (201 or 409), and get an active DPA permitting the storage sub-processor only if they lack one.
     */
    static void ensureClient(String client) {
        int sub = given().auth().oauth2(token("admin")).contentType(ContentType.JSON)
                .body(Map.of("name", STORAGE, "purpose", "Encrypted object storage", "country", "SE",
                        "transferMechanism", "none (EU)"))
                .post("/api/v1/subprocessors").then().extract().statusCode();
        assertTrue(sub == 201 || sub == 409, "sub-processor: " + sub);
        int created = given().auth().oauth2(token("admin")).contentType(ContentType.JSON)
                .body(Map.of("id", client, "name", client + " (demo)", "contact", "dpo@" + client + ".example"))
                .post("/api/v1/clients").then().extract().statusCode();
        assertTrue(created == 201 || created == 409, "client " + client + ": " + created);
        List<String> active = given().auth().oauth2(token("admin")).get("/api/v1/clients/" + client + "/dpas")
                .then().statusCode(200).extract().path("findAll { it.status == 'active' }.reference");
        if (active.isEmpty()) {
            given().auth().oauth2(token("admin")).contentType(ContentType.JSON)
                    .body(Map.of("reference", "DPA-" + client, "version", "1", "effectiveFrom", "2026-01-01",
                            "personalDataAllowed", true, "retentionDays", 365,
                            "dataCategories", List.of("voice recordings"), "permittedSubProcessors", List.of(STORAGE)))
                    .post("/api/v1/clients/" + client + "/dpas").then().statusCode(201)
                    .body("status", startsWith("active"));
        }
    }

    static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static List<String> textValues(JsonNode node) {
        if (node.isArray()) {
            return StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList();
        }
        return node.isMissingNode() ? List.of() : List.of(node.asText());
    }

}
