package io.valv.workspace;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.portal.PortalSession;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * The client workspace's rules over HTTP, signed in through the portal tenant's code flow against the OIDC test
 * server: the tenant comes from the token only, hostile names are shown inert, and the session-authenticated tus
 * routes take the page's CSRF token in a header and nothing cross-site. The real browser flow is
 * {@link WorkspaceBrowserTest}.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class WorkspaceTest {

    static final String HOSTILE_TITLE = "<script>alert(1)</script>Report \u202Efdp.exe";

    @OidcWireMock
    WireMockServer oidc;

    @TestHTTPResource("/")
    URL root;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void uploaderSeesOwnOpenJobsAndAHostileTitleInert() {
        World world = World.create();
        String hostileJob = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", HOSTILE_TITLE, "reuseRequested", false))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        World other = World.create();
        PortalSession uploader = signIn("ws-up-" + world.client, world.client, "client-uploader");

        String home = uploader.get("/portal/workspace").then().statusCode(200).extract().asString();
        assertTrue(home.contains("href=\"/portal/workspace/jobs/" + world.jobId + "\""), home);
        assertTrue(home.contains("href=\"/portal/workspace/jobs/" + hostileJob + "\""));
        assertFalse(home.contains(other.jobId), "nothing of another client");
        assertFalse(home.contains(other.client));
        assertInert(home);

        String job = uploader.get("/portal/workspace/jobs/" + hostileJob).then().statusCode(200).extract().asString();
        assertInert(job);
        assertTrue(job.contains("&lt;script&gt;alert(1)&lt;/script&gt;Report [U+202E]fdp.exe"), job);
        // the personal-data choice is required and nothing is chosen for the uploader
        assertTrue(job.contains("id=\"personal-data-yes\" value=\"true\" required"));
        assertTrue(job.contains("id=\"personal-data-no\" value=\"false\" required"));
        assertFalse(job.contains("checked"));
        assertFalse(job.contains("/erasure"), "an uploader is offered no erasure");

        // another client's job does not exist for this uploader; staff pages are closed; admin pages too
        uploader.get("/portal/workspace/jobs/" + other.jobId).then().statusCode(404)
                .body(not(containsString("Interviews")));
        uploader.get("/portal/jobs/" + world.jobId).then().statusCode(403);
        uploader.get("/portal/workspace/certificates").then().statusCode(403);
        uploader.get("/portal/workspace/jobs/" + world.jobId + "/erasure").then().statusCode(403);
    }

    @Test
    void clientAdminReadsItsAccessLogAndTakesItsDataBack() throws Exception {
        World world = World.create();
        String material = Uploads.upload(world, "<b>focus & group.wav", new byte[] { 1, 2, 3, 4, 5 });
        World other = World.create();
        String foreign = Uploads.upload(other, "foreign.wav", new byte[] { 9 });
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + material + "/content").then().statusCode(200);
        PortalSession admin = signIn("ws-log-" + world.client, world.client, "client-admin");

        // the log: the staff read by pseudonym, the file by its (escaped) name, nothing of another client
        String log = admin.get("/portal/workspace/access-log?jobId=" + world.jobId).then().statusCode(200).extract()
                .asString();
        assertTrue(log.contains("material.content.read"), log);
        assertTrue(log.contains("&lt;b&gt;focus &amp; group.wav"), "the file by its name, escaped");
        assertFalse(log.contains(">alice<"), "the processor's staff appear by pseudonym");
        assertFalse(log.contains(foreign) || log.contains(other.client), "nothing of another client");
        assertInert(log);
        String one = admin.get("/portal/workspace/access-log?materialId=" + material).then().statusCode(200).extract()
                .asString();
        assertTrue(one.contains("material.content.read") && one.contains("material.upload"), one);
        // another client's material: none of its events (only this read itself, which the log records too)
        admin.get("/portal/workspace/access-log?materialId=" + foreign).then().statusCode(200)
                .body(not(containsString("material.upload"))).body(not(containsString("foreign.wav")))
                .body(containsString("audit.list"));
        admin.get("/portal/workspace/access-log?from=yesterday").then().statusCode(400)
                .body(containsString("from is not a time")).body(containsString("value=\"yesterday\""));
        admin.get("/portal/workspace/access-log?page=-1").then().statusCode(400);

        // the verifiable export, as the API gives it, saved as a file
        var export = admin.get("/portal/workspace/access-log/export");
        export.then().statusCode(200).contentType(containsString("application/json"))
                .header("Content-Disposition", containsString("valv-access-log-" + world.client + ".json"));
        assertEquals(world.client, export.jsonPath().getString("clientId"));
        assertTrue(export.jsonPath().getList("events").size() >= 2, export.asString());
        assertNotNull(export.jsonPath().getString("publicKeyPem"));
        // a long log continues from any position (beyond a page number's bound), and nonsense is refused
        admin.get("/portal/workspace/access-log/export?fromClientSeq=250000").then().statusCode(200)
                .header("Content-Disposition", containsString("-from-250000.json"));
        admin.get("/portal/workspace/access-log/export?fromClientSeq=0").then().statusCode(400);
        admin.get("/portal/workspace/access-log/export?fromClientSeq=x").then().statusCode(400);

        // the return of data: what it holds, then the signed ZIP itself, all of it or one job's
        String page = admin.get("/portal/workspace/export").then().statusCode(200).extract().asString();
        assertTrue(page.contains("Download everything (1 files, 5 B)"), page);
        assertTrue(page.contains("href=\"/portal/workspace/export/download?jobId=" + world.jobId + "\""));
        assertInert(page);
        var zip = admin.get("/portal/workspace/export/download?jobId=" + world.jobId);
        zip.then().statusCode(200).contentType("application/zip")
                .header("Content-Disposition", containsString("valv-export-" + world.client + "-job-" + world.jobId));
        java.util.Set<String> entries = new java.util.HashSet<>();
        try (var in = new java.util.zip.ZipInputStream(zip.asInputStream())) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        assertTrue(entries.contains("SHA256SUMS") && entries.contains("manifest.json.p7s"), entries.toString());
        admin.get("/portal/workspace/export/download?jobId=" + other.jobId).then().statusCode(404);
        assertTrue(given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + world.client
                + "&action=job.export").then().statusCode(200).extract().jsonPath().getLong("total") >= 1,
                "the download is audited as the API's export is");

        PortalSession uploader = signIn("ws-log-up-" + world.client, world.client, "client-uploader");
        for (String path : new String[] { "/portal/workspace/access-log", "/portal/workspace/access-log/export",
                "/portal/workspace/export", "/portal/workspace/export/download" }) {
            uploader.get(path).then().statusCode(403);
        }
    }

    @Test
    void clientAdminConfirmsAnErasureThatNamesTheMaterial() {
        World world = World.create();
        String material = Uploads.upload(world, "<b>interview & one.wav", new byte[] { 1, 2, 3 });
        World other = World.create();
        String foreign = Uploads.upload(other, "foreign.wav", new byte[] { 4 });
        PortalSession admin = signIn("ws-adm-" + world.client, world.client, "client-admin");

        String job = admin.get("/portal/workspace/jobs/" + world.jobId).then().statusCode(200).extract().asString();
        assertTrue(job.contains("&lt;b&gt;interview &amp; one.wav"), job);
        assertTrue(job.contains("href=\"/portal/workspace/materials/" + material + "/erasure\""));
        assertTrue(job.contains("href=\"/portal/workspace/jobs/" + world.jobId + "/links\""), "the upload links' place");

        String confirm = admin.get("/portal/workspace/materials/" + material + "/erasure").then().statusCode(200)
                .extract().asString();
        assertTrue(confirm.contains("&lt;b&gt;interview &amp; one.wav"), "the confirmation names the file");
        assertTrue(confirm.contains("action=\"/portal/workspace/materials/" + material + "/erasure\""));
        // nothing happened yet; a form without its token changes nothing
        admin.request().contentType("application/x-www-form-urlencoded").formParam("x", "y")
                .post("/portal/workspace/materials/" + material + "/erasure").then().statusCode(400);
        materialState(world, material, "stored");

        admin.get("/portal/workspace/materials/" + foreign + "/erasure").then().statusCode(404);
        admin.request().contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", admin.csrfToken("/portal/workspace"))
                .post("/portal/workspace/materials/" + foreign + "/erasure").then().statusCode(404);
        materialState(other, foreign, "stored");

        admin.request().contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", PortalSession.formToken(confirm))
                .post("/portal/workspace/materials/" + material + "/erasure").then().statusCode(303)
                .header("Location", containsString("/portal/workspace/jobs/" + world.jobId));
        String after = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + material)
                .then().extract().asString();
        assertFalse(after.contains("\"state\":\"stored\""), after);
        admin.get("/portal/workspace/certificates").then().statusCode(200)
                .body(containsString("openssl cms -verify -inform DER"))
                .body(containsString("pdfsig certificate-"))
                .body(containsString("href=\"/api/v1/certificates/signing-certificate\""));
    }

    @Test
    void tusRoutesTakeTheSessionAndTheCsrfHeaderOnly() throws Exception {
        World world = World.create();
        World other = World.create();
        PortalSession uploader = signIn("ws-tus-" + world.client, world.client, "client-uploader");
        String token = uploader.csrfToken("/portal/workspace");
        byte[] data = "ten bytes!".getBytes(StandardCharsets.US_ASCII);
        String creation = "/portal/workspace/jobs/" + world.jobId + "/uploads";

        assertEquals(400, create(uploader, creation, data.length, null, Map.of()).statusCode(), "no token");
        assertEquals(400, create(uploader, creation, data.length, "AAAA" + token.substring(4), Map.of()).statusCode(),
                "wrong token");
        assertEquals(403, create(uploader, creation, data.length, token, Map.of("Sec-Fetch-Site", "cross-site"))
                .statusCode(), "cross-site");
        assertEquals(403, create(uploader, creation, data.length, token, Map.of("Origin", "https://evil.example"))
                .statusCode(), "foreign origin");
        // not a tus content type: refused like any other non-form request
        assertEquals(400, send(uploader, "POST", creation, token, "text/plain", new byte[0],
                Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "10")).statusCode());
        // another client's job: as if it did not exist
        assertEquals(404, create(uploader, "/portal/workspace/jobs/" + other.jobId + "/uploads", data.length, token,
                Map.of()).statusCode());

        HttpResponse<String> created = create(uploader, creation, data.length, token, Map.of());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("1.0.0", created.headers().firstValue("Tus-Resumable").orElse(null));
        assertTrue(created.headers().firstValue("Valv-Upload-Part-Size").isPresent());
        URI location = URI.create(created.headers().firstValue("Location").orElseThrow());
        assertTrue(location.getPath().startsWith("/portal/workspace/uploads/"), location.toString());
        String upload = location.getPath();

        Map<String, String> tus = Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0");
        assertEquals(400, send(uploader, "PATCH", upload, null, "application/offset+octet-stream", data, tus)
                .statusCode(), "PATCH without token");
        assertEquals(400, send(uploader, "DELETE", upload, null, null, null, Map.of("Tus-Resumable", "1.0.0"))
                .statusCode(), "DELETE without token");
        assertEquals(400, send(uploader, "PATCH", upload, token, "application/octet-stream", data, tus).statusCode());
        // without the session's cookies nobody is let in
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(root.toURI().resolve(upload.substring(1)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(anonymous.statusCode() == 401 || anonymous.statusCode() == 302, "anonymous: " + anonymous.statusCode());

        HttpResponse<String> head = send(uploader, "HEAD", upload, null, null, null, Map.of("Tus-Resumable", "1.0.0"));
        assertEquals(200, head.statusCode());
        assertEquals("1.0.0", head.headers().firstValue("Tus-Resumable").orElse(null), "the workspace's tus routes speak tus");
        HttpResponse<String> unversioned = send(uploader, "HEAD", upload, null, null, null, Map.of());
        assertEquals(412, unversioned.statusCode());
        assertEquals("1.0.0", unversioned.headers().firstValue("Tus-Version").orElse(null), "a refusal says the version");
        assertEquals("0", head.headers().firstValue("Upload-Offset").orElse(null));

        HttpResponse<String> patched = send(uploader, "PATCH", upload, token, "application/offset+octet-stream", data, tus);
        assertEquals(204, patched.statusCode(), patched.body());
        String materialId = patched.headers().firstValue("Valv-Material-Id").orElse(null);
        assertNotNull(materialId);
        String metadata = uploader.get("/portal/workspace/materials/" + materialId).then().statusCode(200)
                .contentType(containsString("application/json")).extract().asString();
        assertTrue(metadata.contains("\"sha256\":\"" + sha256(data) + "\""), metadata);
        assertTrue(metadata.contains("\"personalData\":true"));
    }

    @Test
    void clientAdminReadsTheDpaAndObjectsToASubProcessorChange() {
        World world = World.create();
        String name = "Transcripts " + world.client;
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "purpose", "Transcription tooling", "country", "SE",
                        "transferMechanism", "none (EU)"))
                .post("/api/v1/subprocessors").then().statusCode(201);
        String change = given().auth().oauth2(Tokens.admin()).get("/api/v1/subprocessors/changes").then().statusCode(200)
                .extract().jsonPath().getString("find { it.subProcessor == '" + name + "' }.id");
        assertNotNull(change);
        PortalSession admin = signIn("ws-dpa-" + world.client, world.client, "client-admin");

        String page = admin.get("/portal/workspace/dpa").then().statusCode(200).extract().asString();
        assertTrue(page.contains("DPA-" + world.client), "the DPA in force");
        assertTrue(page.contains("voice recordings") && page.contains(World.STORAGE), page);
        String action = "/portal/workspace/subprocessor-changes/" + change + "/objection";
        assertTrue(page.contains("action=\"" + action + "\""), "a form to object");
        String token = PortalSession.formToken(page);

        admin.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("reason", "   ").post(action).then().statusCode(400);
        admin.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("reason", "No <b>transfers</b>, please.").post(action).then().statusCode(303);
        String after = admin.get("/portal/workspace/dpa").then().statusCode(200).extract().asString();
        assertTrue(after.contains("No &lt;b&gt;transfers&lt;/b&gt;, please."), after);
        assertFalse(after.contains("action=\"" + action + "\""), "objected once");

        // the processor's admin and DPO see it; the client's admin cannot list everyone's
        given().auth().oauth2(Tokens.admin()).get("/api/v1/subprocessor-changes/" + change + "/objections").then()
                .statusCode(200).body(containsString(world.client)).body(containsString("No <b>transfers</b>, please."));
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/subprocessor-changes/" + change + "/objections").then()
                .statusCode(200);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/subprocessor-changes/" + change
                + "/objections").then().statusCode(403);
        // the API's objection is the same service: a second one answers the first, unchanged
        given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType(ContentType.JSON)
                .body(Map.of("reason", "again")).post("/api/v1/clients/" + world.client + "/subprocessor-changes/"
                        + change + "/objection")
                .then().statusCode(200).body(containsString("No <b>transfers</b>, please."));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType(ContentType.JSON)
                .body(Map.of("reason", "")).post("/api/v1/clients/" + world.client + "/subprocessor-changes/"
                        + change + "/objection")
                .then().statusCode(400);
        World other = World.create();
        given().auth().oauth2(Tokens.clientAdmin(other.client)).contentType(ContentType.JSON)
                .body(Map.of("reason", "x")).post("/api/v1/clients/" + world.client + "/subprocessor-changes/"
                        + change + "/objection")
                .then().statusCode(404);
    }

    private PortalSession signIn(String user, String client, String role) {
        PortalSession.stubLogin(oidc, user, client, role);
        return PortalSession.signIn("valv-" + user);
    }

    private HttpResponse<String> create(PortalSession session, String path, int length, String token,
            Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put("Tus-Resumable", "1.0.0");
        headers.put("Upload-Length", Integer.toString(length));
        headers.put("Upload-Metadata", "filename " + b64("notes.txt") + ",filetype " + b64("text/plain")
                + ",personal-data " + b64("true"));
        return send(session, "POST", path, token, null, null, headers);
    }

    /** A request as the page's tus client sends it: the session's cookies, no body or an offset stream. */
    private HttpResponse<String> send(PortalSession session, String method, String path, String token,
            String contentType, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(root.toURI().resolve(path.substring(1)));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        request.header("Cookie", session.cookies().entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                .collect(Collectors.joining("; ")));
        request.header("Sec-Fetch-Site", headers.getOrDefault("Sec-Fetch-Site", "same-origin"));
        headers.forEach((name, value) -> {
            if (!name.equals("Sec-Fetch-Site")) {
                request.header(name, value);
            }
        });
        if (token != null) {
            request.header("X-CSRF-Token", token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertInert(String html) {
        assertFalse(html.contains("<script>alert"), "markup from data is escaped");
        assertFalse(html.contains("\u202E"), "no raw bidi override reaches the page");
    }

    private static void materialState(World world, String material, String state) {
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + material).then()
                .statusCode(200).body(containsString("\"state\":\"" + state + "\""));
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
