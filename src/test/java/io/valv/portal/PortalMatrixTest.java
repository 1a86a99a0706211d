package io.valv.portal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.valv.security.Roles;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * docs/authorization.md's portal table, cell by cell, against the running portal: each column a signed-in
 * session (authorization-code flow against the OIDC test server), each row a page or a form. GET cells are all
 * checked; POST rows only where they refuse (a refusal changes nothing, so every cell shares one world).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class PortalMatrixTest {

    private static final Path DOC = Path.of("docs", "authorization.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST) (/[^` ]*)`[^|]*((?:\\|[^|]*)+)\\|\\s*$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)\\}");
    private static final List<String> COLUMNS = List.of("anon", "admin", "dpo", "staff+", "staff−", "up", "up✕", "cadm",
            "cadm✕");
    private static final Set<Integer> REFUSED_ANONYMOUS_POST = Set.of(302, 400);

    @OidcWireMock
    WireMockServer oidc;

    record Cell(String method, String path, String column, String expected) {
    }

    @Test
    void everyCellOfThePortalTableHolds() throws IOException {
        World world = World.create();
        World other = World.create();
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("job", world.jobId);
        // a webhook endpoint of the world's client, registered before the upload so that it has a delivery
        String webhooks = "/api/v1/clients/" + world.client + "/webhooks";
        String webhook = given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/matrix", "events", List.of("material.stored")))
                .post(webhooks).then().statusCode(201).extract().path("id");
        targets.put("webhook", webhook);
        targets.put("material", PortalTest.upload(world, "matrix.wav", Wav.sine(1, 8000, 440)));
        targets.put("delivery", given().auth().oauth2(Tokens.clientAdmin(world.client))
                .get(webhooks + "/" + webhook + "/deliveries").then().statusCode(200).extract().jsonPath()
                .getString("[0].id"));
        targets.put("client", world.client);
        targets.put("dpa", world.dpaId);
        targets.put("seq", String.valueOf(given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + world.client)
                .then().statusCode(200).extract().jsonPath().getLong("items[0].seq")));
        var link = given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType("application/json")
                .body(Map.of("expiresAt", java.time.Instant.now().plus(java.time.Duration.ofDays(7)).toString(),
                        "maxBytes", 1_000_000, "maxFiles", 3, "note", "matrix"))
                .post("/api/v1/jobs/" + world.jobId + "/upload-links").then().statusCode(201).extract();
        targets.put("link", link.path("id"));
        String url = link.path("url");
        targets.put("token", url.substring(url.lastIndexOf('/') + 1));
        targets.put("certificate", certificateOf(world));
        targets.put("incident", io.valv.testing.Incidents.withWindow(world));
        targets.put("change", given().auth().oauth2(Tokens.admin()).get("/api/v1/subprocessors/changes").then()
                .statusCode(200).extract().jsonPath().getString("[0].id"));

        Map<String, PortalSession> sessions = new LinkedHashMap<>();
        sessions.put("admin", signIn("admin", null, Roles.VAULT_ADMIN));
        sessions.put("dpo", signIn("dora", null, Roles.AUDITOR));
        sessions.put("staff+", signIn("alice", null, Roles.STAFF));
        sessions.put("staff−", signIn("sam", null, Roles.STAFF));
        sessions.put("up", signIn("up-" + world.client, world.client, Roles.CLIENT_UPLOADER));
        sessions.put("up✕", signIn("up-" + other.client, other.client, Roles.CLIENT_UPLOADER));
        sessions.put("cadm", signIn("adm-" + world.client, world.client, Roles.CLIENT_ADMIN));
        sessions.put("cadm✕", signIn("adm-" + other.client, other.client, Roles.CLIENT_ADMIN));

        List<Cell> cells = cells();
        assertTrue(cells.size() >= 9 * 10, "the table was read: " + cells.size() + " cells");
        List<String> wrong = new ArrayList<>();
        for (Cell cell : cells) {
            String path = substitute(cell.path(), targets);
            boolean post = cell.method().equals("POST");
            if (post && !isRefusal(cell.expected())) {
                continue; // allowed form posts change their target; the feature tests run them
            }
            PortalSession session = sessions.get(cell.column());
            Response response;
            if (session == null) {
                response = post ? given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                        .formParam("x", "y").post(path) : given().redirects().follow(false).get(path);
            } else {
                response = post ? submit(session, path) : session.get(path);
            }
            int status = response.statusCode();
            boolean ok = cell.expected().equals("refused") ? REFUSED_ANONYMOUS_POST.contains(status)
                    : status == Integer.parseInt(cell.expected());
            if (!ok) {
                wrong.add(cell.method() + " " + cell.path() + " as " + cell.column() + ": expected " + cell.expected()
                        + ", got " + status);
            }
        }
        assertEquals(List.of(), wrong, "portal cells that do not hold");
    }

    /** A deletion certificate of the world's client: a material erased by its admin, then purged (every 2 s here). */
    private static String certificateOf(World world) {
        String erased = PortalTest.upload(world, "erased.wav", Wav.sine(1, 8000, 440));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/materials/" + erased).then()
                .statusCode(202);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            List<String> ids = given().auth().oauth2(Tokens.clientAdmin(world.client))
                    .get("/api/v1/certificates?clientId=" + world.client).then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.materialId == '" + erased + "' }.id");
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            assertTrue(System.nanoTime() < deadline, "no certificate for the erased material");
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The rows between the portal-matrix markers; each cell's first word is its status (or {@code refused}). */
    static List<Cell> cells() throws IOException {
        String doc = Files.readString(DOC);
        String table = doc.substring(doc.indexOf("<!-- portal-matrix:start -->"), doc.indexOf("<!-- portal-matrix:end -->"));
        List<Cell> cells = new ArrayList<>();
        for (String line : table.split("\n")) {
            Matcher m = ROW.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String[] values = m.group(3).substring(1).split("\\|");
            assertEquals(COLUMNS.size(), values.length, "columns of: " + line);
            for (int i = 0; i < values.length; i++) {
                cells.add(new Cell(m.group(1), m.group(2), COLUMNS.get(i), values[i].strip().split("[ /(]")[0]));
            }
        }
        return cells;
    }

    private static final Pattern META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    /** A form post with the session's own CSRF token, read from its landing page (following its redirects). */
    private static Response submit(PortalSession session, String path) {
        Response page = session.get("/portal");
        for (int hop = 0; hop < 3 && page.statusCode() / 100 == 3; hop++) {
            page = session.get(URI.create(page.header("Location")).getPath());
        }
        Matcher m = META.matcher(page.asString());
        assertTrue(m.find(), "the session's landing page states its CSRF token");
        return session.keep(session.request().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("csrf-token", m.group(1)).post(path));
    }

    private static boolean isRefusal(String expected) {
        return expected.equals("refused") || expected.startsWith("4");
    }

    private static String substitute(String path, Map<String, String> targets) {
        Matcher m = PLACEHOLDER.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = targets.get(m.group(1));
            assertTrue(value != null, "PortalMatrixTest has no target for {" + m.group(1) + "} in " + path);
            m.appendReplacement(out, value);
        }
        return m.appendTail(out).toString();
    }

    /** The code flow against the OIDC test server, whose token endpoint answers this user's tokens for its code. */
    private PortalSession signIn(String user, String client, String... roles) {
        String code = "matrix-" + UUID.randomUUID();
        String access = Tokens.claims(user, client, roles).sign();
        String id = Tokens.claims(user, client, roles).audience("quarkus-web-app")
                .claim("sid", UUID.randomUUID().toString()).sign();
        oidc.stubFor(post(urlEqualTo("/auth/realms/quarkus/token")).atPriority(1)
                .withRequestBody(containing("code=" + code + "&"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"access_token\":\""
                        + access + "\",\"id_token\":\"" + id + "\",\"refresh_token\":\"r-" + user
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":600}")));
        PortalSession session = new PortalSession();
        Response challenge = session.get("/portal");
        assertEquals(302, challenge.statusCode(), "an anonymous visit is sent to the identity provider");
        String state = challenge.header("Location").replaceAll(".*[?&]state=([^&]+).*", "$1");
        Response back = session.get("/portal/callback?state=" + state + "&code=" + code);
        assertEquals(302, back.statusCode(), "the code flow completes for " + user);
        session.get(URI.create(back.header("Location")).getPath());
        return session;
    }
}
