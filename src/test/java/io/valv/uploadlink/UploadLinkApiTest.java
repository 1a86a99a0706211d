package io.valv.uploadlink;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUploader;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * Upload links through the API: who may create, list and revoke them, their limits and expiry, the token kept
 * only as a hash and never in the audit log or the log output, and uploads through a link with the real tus Java
 * client, audited with the link's id; after revocation, expiry, job completion or DPA termination the link
 * refuses and nothing changes.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class UploadLinkApiTest {

    static final List<String> LOG = new ArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (LOG) {
                LOG.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Valv's own loggers, opened down to DEBUG and below while this class runs, so that no level hides a token. */
    static final java.util.logging.Logger VALV = java.util.logging.Logger.getLogger("io.valv");
    static java.util.logging.Level valvLevel;

    @BeforeAll
    static void captureLog() {
        valvLevel = VALV.getLevel();
        VALV.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void release() {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
        VALV.setLevel(valvLevel);
    }

    @Test
    void onlyTheClientsAdminCreatesListsAndRevokes() {
        World world = World.create();
        World other = World.create();
        Map<String, Object> body = body(days(7), 1_000_000L, 5, "Hej");
        create(Tokens.uploader(world.client), world, body).then().statusCode(403);
        create(Tokens.staff("alice"), world, body).then().statusCode(403);
        create(Tokens.admin(), world, body).then().statusCode(403);
        create(Tokens.clientAdmin(other.client), world, body).then().statusCode(404).body("type", endsWith("/not-found"));
        given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs/" + world.jobId + "/upload-links").then()
                .statusCode(401);

        Response created = create(Tokens.clientAdmin(world.client), world, body);
        created.then().statusCode(201).body("id", notNullValue()).body("expiresAt", notNullValue())
                .body("url", matchesPattern("http://[^/]+/upload/[A-Za-z0-9_-]{32}"));
        String id = created.path("id");

        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/jobs/" + world.jobId + "/upload-links").then()
                .statusCode(200).body("", hasSize(1)).body("[0].id", equalTo(id)).body("[0].note", equalTo("Hej"))
                .body("[0].maxBytes", equalTo(1_000_000)).body("[0].maxFiles", equalTo(5))
                .body("[0].active", equalTo(true)).body("[0].filesUploaded", equalTo(0))
                .body("[0].bytesUploaded", equalTo(0)).body("[0].revokedAt", nullValue())
                .body("[0].url", nullValue()).body("[0].token", nullValue());
        given().auth().oauth2(Tokens.clientAdmin(other.client)).get("/api/v1/jobs/" + world.jobId + "/upload-links").then()
                .statusCode(404);
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/jobs/" + world.jobId + "/upload-links").then()
                .statusCode(403);

        given().auth().oauth2(Tokens.clientAdmin(other.client)).delete("/api/v1/upload-links/" + id).then().statusCode(404);
        given().auth().oauth2(Tokens.uploader(world.client)).delete("/api/v1/upload-links/" + id).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/upload-links/" + id).then().statusCode(204);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/upload-links/" + id).then().statusCode(204);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/jobs/" + world.jobId + "/upload-links").then()
                .body("[0].revokedAt", notNullValue()).body("[0].active", equalTo(false));
        assertEquals(1, Database.count("select count(*) from audit_event where action = 'uploadlink.revoke' and detail = ?",
                "link " + id));
    }

    @Test
    void expiryAndLimitsAreChecked() {
        World world = World.create();
        String admin = Tokens.clientAdmin(world.client);
        create(admin, world, body(days(31), 1000L, 1, null)).then().statusCode(400).body("type",
                endsWith("/upload-link-expiry"));
        create(admin, world, body(Instant.now().minusSeconds(60), 1000L, 1, null)).then().statusCode(400)
                .body("type", endsWith("/upload-link-expiry"));
        create(admin, world, body(null, 1000L, 1, null)).then().statusCode(400);
        create(admin, world, body(days(1), 0L, 1, null)).then().statusCode(400).body("type", endsWith("/validation"));
        create(admin, world, body(days(1), 60_000_000_000L, 1, null)).then().statusCode(400);
        create(admin, world, body(days(1), 1000L, 0, null)).then().statusCode(400);
        create(admin, world, body(days(1), 1000L, 1001, null)).then().statusCode(400);
        create(admin, world, body(days(1), 1000L, null, null)).then().statusCode(400);
        create(admin, world, body(days(1), 1000L, 1, "x".repeat(501))).then().statusCode(400);
        create(admin, world, body(days(1), 1000L, 1, "a\u0000b")).then().statusCode(400);
        create(admin, world, body(Instant.now().plus(30, ChronoUnit.DAYS).minusSeconds(60), 1000L, 1, null)).then()
                .statusCode(201);
        assertEquals(1, Database.count("select count(*) from upload_link where job_id = ?::uuid", world.jobId));

        // limits: files, bytes, and uploads in progress count with their declared length
        String bytesToken = token(create(admin, world, body(days(1), 1000L, 10, null)));
        tusCreate(bytesToken, 600).then().statusCode(201);
        tusCreate(bytesToken, 600).then().statusCode(409).body("type", endsWith("/upload-link-limit"));
        tusCreate(bytesToken, 400).then().statusCode(201);
        String filesToken = token(create(admin, world, body(days(1), 1000L, 1, null)));
        tusCreate(filesToken, 10).then().statusCode(201);
        tusCreate(filesToken, 10).then().statusCode(409).body("type", endsWith("/upload-link-limit"));
        assertEquals(3, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId));
    }

    @Test
    void theTokenIsStoredOnlyAsItsHashAndNeverAuditedOrLogged() throws Exception {
        World world = World.create();
        Response created = create(Tokens.clientAdmin(world.client), world, body(days(2), 10_000_000L, 3, "Intervjuer"));
        String token = token(created);
        String id = created.path("id");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        try (Connection c = Database.connect();
                PreparedStatement s = c
                        .prepareStatement("select token_sha256, t::text from upload_link t where id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                assertEquals(HexFormat.of().formatHex(digest), HexFormat.of().formatHex(r.getBytes(1)));
                assertFalse(r.getString(2).contains(token), "the row holds no token");
            }
        }
        // an upload, a refusal through the link (wrong tus version) and the page: the token is in none of the events
        upload(token, "a.wav", new byte[5000]);
        given().header("Tus-Resumable", "0.2.0").header("Upload-Length", "1").post(uploads(token)).then().statusCode(412)
                .header("Tus-Resumable", "1.0.0").header("Tus-Version", "1.0.0");
        given().get("/upload/" + token).then().statusCode(200);
        given().delete("/api/v1/upload-links/" + id).then().statusCode(401);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/upload-links/" + id).then().statusCode(204);
        given().header("Tus-Resumable", "1.0.0").header("Upload-Length", "1").post(uploads(token)).then().statusCode(410)
                .header("Tus-Resumable", "1.0.0");
        given().get("/upload/" + token).then().statusCode(410);

        assertEquals(0, Database.count("select count(*) from audit_event e where e::text like ?", "%" + token + "%"));
        assertTrue(Database.count("select count(*) from audit_event where action = 'access.denied' and detail like ?",
                "%/api/v1/upload-links/…/uploads%") >= 2, "refusals are audited with the token replaced");
        assertTrue(Database.count("select count(*) from audit_event where action = 'access.denied' and detail like ?",
                "%/upload/…%") >= 1);
        // proof that the capture sees Valv's lines, at the lowest level a Valv class logs at
        String canary = "capture-canary-" + id;
        org.jboss.logging.Logger.getLogger(UploadLinkService.class).trace(canary);
        synchronized (LOG) {
            assertTrue(LOG.stream().anyMatch(line -> line.contains(canary)), "the log is captured");
            assertFalse(LOG.stream().anyMatch(line -> line.contains(token)), "no log line carries the token");
        }
    }

    @Test
    void anUploadThroughALinkIsStoredAndAuditedWithTheLinksId() throws Exception {
        World world = World.create();
        Response created = create(Tokens.clientAdmin(world.client), world, body(days(2), 50_000_000L, 3, null));
        String token = token(created);
        String id = created.path("id");
        byte[] data = new byte[9 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        String materialId = upload(token, "interview.wav", data);

        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + materialId).then()
                .statusCode(200).body("state", equalTo("stored")).body("size", equalTo(data.length))
                .body("sha256", equalTo(sha256(data))).body("personalData", equalTo(true));
        assertEquals(1, Database.count("select count(*) from audit_event where action = 'material.upload' and actor_subject = ?"
                + " and material_id = ?::uuid", "upload-link:" + id, materialId));
        assertEquals(1, Database.count("select count(*) from audit_event where action = 'material.upload.create'"
                + " and actor_subject = ?", "upload-link:" + id));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/jobs/" + world.jobId + "/upload-links").then()
                .body("[0].filesUploaded", equalTo(1)).body("[0].bytesUploaded", equalTo(data.length))
                .body("[0].lastUsedAt", notNullValue());
        // a bearer uploader of the same client cannot touch the link's uploads, nor the link those of others
        String other = tusCreate(token, 10).then().statusCode(201).extract().header("Location");
        String uploadId = other.substring(other.lastIndexOf('/') + 1);
        given().auth().oauth2(Tokens.uploader(world.client)).header("Tus-Resumable", "1.0.0")
                .head("/api/v1/uploads/" + uploadId).then().statusCode(404);
    }

    @Test
    void aLinkRefusesOnceRevokedExpiredOrItsJobOrDpaEndedAndChangesNothing() throws Exception {
        for (String reason : List.of("revoked", "expired", "job completed", "dpa terminated")) {
            World world = World.create();
            Response created = create(Tokens.clientAdmin(world.client), world, body(days(3), 10_000_000L, 5, null));
            String token = token(created);
            String id = created.path("id");
            given().get("/upload/" + token).then().statusCode(200);
            switch (reason) {
                case "revoked" -> given().auth().oauth2(Tokens.clientAdmin(world.client))
                        .delete("/api/v1/upload-links/" + id).then().statusCode(204);
                case "expired" -> sql("update upload_link set expires_at = now() - interval '1 minute' where id = ?::uuid", id);
                case "job completed" -> given().auth().oauth2(Tokens.admin()).post("/api/v1/jobs/" + world.jobId + "/complete")
                        .then().statusCode(200);
                default -> given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"waitDays\":7}")
                        .post("/api/v1/clients/" + world.client + "/dpas/" + world.dpaId + "/terminate").then().statusCode(202);
            }
            long events = Database.count("select count(*) from audit_event where job_id = ?::uuid and action like 'material.%'",
                    world.jobId);
            tusCreate(token, 10).then().statusCode(410).contentType("application/problem+json")
                    .body("type", endsWith("/upload-link-gone")).header("Tus-Resumable", "1.0.0");
            String page = given().get("/upload/" + token).then().statusCode(410).contentType(ContentType.HTML).extract()
                    .asString();
            assertTrue(page.contains("This upload link does not work"), reason + ": " + page);
            assertEquals(0, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId), reason);
            assertEquals(events, Database.count(
                    "select count(*) from audit_event where job_id = ?::uuid and action like 'material.%'", world.jobId),
                    reason);
        }
        given().get("/upload/" + "A".repeat(32)).then().statusCode(404).body(org.hamcrest.Matchers.containsString(
                "This upload link does not work"));
        given().get("/upload/short").then().statusCode(404);
    }

    @Test
    void thePageShowsTheNoteEscapedAndTheLimitsWithThePortalHeaders() {
        World world = World.create();
        String token = token(create(Tokens.clientAdmin(world.client), world,
                body(days(3), 2_000_000_000L, 4, "<script>alert(1)</script> evil\u202Etxt.exe")));
        Response page = given().get("/upload/" + token);
        page.then().statusCode(200).header("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'"))
                .header("X-Frame-Options", "DENY").header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-store");
        String html = page.asString();
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; evil[U+202E]txt.exe"), html);
        assertFalse(html.contains("<script>alert"));
        assertFalse(html.contains("\u202E"));
        assertTrue(html.contains("/portal/assets/upload-link.js"));
        assertTrue(html.contains(world.jobId) == false, "the page names no job");
        String swedish = given().get("/upload/" + token + "?lang=sv").then().statusCode(200).extract().asString();
        assertTrue(swedish.contains("Innehåller materialet personuppgifter?"), swedish);
    }

    @Test
    void requestsThroughOneLinkAreRateLimited() {
        World world = World.create();
        String token = token(create(Tokens.clientAdmin(world.client), world, body(days(1), 1000L, 1, null)));
        int status = 200;
        for (int i = 0; i < 120 && status == 200; i++) {
            status = given().get("/upload/" + token).statusCode();
        }
        assertEquals(429, status);
        given().get("/upload/" + token).then().statusCode(429).header("Retry-After", notNullValue());
        tusCreate(token, 10).then().statusCode(429).contentType("application/problem+json")
                .body("type", endsWith("/too-many-requests")).header("Retry-After", notNullValue());
    }

    // --- helpers

    static Map<String, Object> body(Instant expiresAt, Long maxBytes, Integer maxFiles, String note) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        body.put("maxBytes", maxBytes);
        body.put("maxFiles", maxFiles);
        body.put("note", note);
        return body;
    }

    static Instant days(int n) {
        return Instant.now().plus(n, ChronoUnit.DAYS);
    }

    static Response create(String bearer, World world, Map<String, Object> body) {
        return given().auth().oauth2(bearer).contentType(ContentType.JSON).body(body)
                .post("/api/v1/jobs/" + world.jobId + "/upload-links");
    }

    static String token(Response created) {
        String url = created.then().statusCode(201).extract().path("url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    static String uploads(String token) {
        return "/api/v1/upload-links/" + token + "/uploads";
    }

    static Response tusCreate(String token, long length) {
        return given().header("Tus-Resumable", "1.0.0").header("Upload-Length", "" + length)
                .header("Upload-Metadata", "filename " + b64("f.bin") + ",personal-data " + b64("false")).post(uploads(token));
    }

    /** Uploads with the official tus Java client and no credentials but the link; answers the material id. */
    static String upload(String token, String filename, byte[] data) throws Exception {
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL("http://127.0.0.1:" + RestAssured.port + uploads(token)));
        io.tus.java.client.TusUpload upload = new io.tus.java.client.TusUpload();
        upload.setInputStream(new ByteArrayInputStream(data));
        upload.setSize(data.length);
        upload.setFingerprint(filename + "-" + data.length);
        upload.setMetadata(Map.of("filename", filename, "filetype", "audio/wav", "personal-data", "true"));
        TusUploader uploader = client.createUpload(upload);
        uploader.setChunkSize(1024 * 1024);
        uploader.setRequestPayloadSize(8 * 1024 * 1024);
        while (uploader.uploadChunk() > -1) {
            // next PATCH
        }
        uploader.finish();
        return given().header("Tus-Resumable", "1.0.0").head(uploader.getUploadURL().toString()).then().statusCode(200)
                .extract().header("Valv-Material-Id");
    }

    static void sql(String statement, Object... args) throws Exception {
        try (Connection c = Database.connect(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            assertEquals(1, s.executeUpdate());
        }
    }

    static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
