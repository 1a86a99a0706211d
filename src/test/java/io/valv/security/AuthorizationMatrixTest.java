package io.valv.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * Walks every cell of the matrix in docs/authorization.md against the running service. The document is
 * the specification: a cell that differs fails the build. Operations that change their target's state
 * run against a fresh client, job and material per cell; all others share one.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuthorizationMatrixTest {

    static final String OTHER = "other-client";
    static final List<String> CALLERS = List.of("anon", "admin", "dpo", "staff+", "staff−", "up", "up✕", "cadm", "cadm✕");

    static final java.util.Set<String> DESTRUCTIVE = java.util.Set.of(
            "POST /api/v1/clients/{client}/offboard",
            "POST /api/v1/clients/{client}/offboard/cancel",
            "POST /api/v1/clients/{client}/offboard/confirm",
            "POST /api/v1/clients/{client}/dpas/{dpa}/terminate",
            "POST /api/v1/clients/{client}/dpas/{dpa}/terminate/cancel",
            "POST /api/v1/clients/{client}/dpas/{dpa}/terminate/confirm",
            "POST /api/v1/jobs/{job}/complete",
            "DELETE /api/v1/jobs/{job}/materials",
            "DELETE /api/v1/materials/{material}",
            "DELETE /api/v1/uploads/{upload}",
            "PATCH /api/v1/upload-links/{token}/uploads/{linkupload}",
            "DELETE /api/v1/upload-links/{token}/uploads/{linkupload}",
            // a client objects once per change: each cell objects for a fresh client
            "POST /api/v1/clients/{client}/subprocessor-changes/{change}/objection");

    record Row(String method, String path, Map<String, Integer> expected) {
    }

    static List<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/authorization.md"));
        int start = lines.indexOf("<!-- matrix:start -->");
        int end = lines.indexOf("<!-- matrix:end -->");
        assertTrue(start >= 0 && end > start, "matrix markers present");
        List<String> header = cells(lines.get(start + 1));
        assertEquals(CALLERS, header.subList(1, header.size()), "matrix columns");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 3, end)) {
            List<String> cells = cells(line);
            String[] endpoint = cells.get(0).replace("`", "").split(" ", 2);
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (int i = 1; i < cells.size(); i++) {
                expected.put(header.get(i), Integer.parseInt(cells.get(i)));
            }
            rows.add(new Row(endpoint[0], endpoint[1], expected));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.trim().split("\\|")) {
            if (!cell.isBlank()) {
                cells.add(cell.trim());
            }
        }
        return cells;
    }

    @Test
    void everyCellOfTheDocumentedMatrixHolds() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() >= 25, "the matrix covers the API");
        List<String> mismatches = new ArrayList<>();
        Fixture shared = Fixture.create(true);
        for (Row row : rows) {
            for (String caller : CALLERS) {
                // operations that change the target's state get a fresh one per cell; the rest share one
                Fixture fixture = DESTRUCTIVE.contains(row.method() + " " + row.path()) ? Fixture.create(false) : shared;
                int status = send(row, caller, fixture);
                int expected = row.expected().get(caller);
                if (status != expected) {
                    mismatches.add(
                            row.method() + " " + row.path() + " as " + caller + ": expected " + expected + ", got " + status);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /**
     * The table is complete: every operation the running service publishes under /api (its OpenAPI
     * document, generated from the JAX-RS resources) has a row, and every row names a real operation. A new
     * endpoint without a row fails here, so it cannot ship with unchecked authorization.
     */
    @Test
    void theMatrixCoversEveryApiOperation() throws IOException {
        java.util.Set<String> documented = new java.util.TreeSet<>();
        for (Row row : rows()) {
            documented.add(row.method() + " " + normalise(row.path()));
        }
        java.util.Set<String> published = new java.util.TreeSet<>();
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        paths.forEach((path, operations) -> {
            if (path.startsWith("/api/")) {
                for (String method : operations.keySet()) {
                    if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                        published.add(method.toUpperCase(java.util.Locale.ROOT) + " " + normalise(path));
                    }
                }
            }
        });
        assertEquals(published, documented, "docs/authorization.md rows vs the service's /api operations");
    }

    /** Path parameters and query strings do not name an operation: {@code /jobs/{jobId}} = {@code /jobs/{job}}. */
    private static String normalise(String path) {
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).replaceAll("\\{[^}]+}", "{}");
    }

    /**
     * A fresh client with an active DPA, an open job assigned to alice, one stored material, a resumable upload,
     * and an upload link (its id and token) with a resumable upload made through it.
     */
    record Fixture(World world, String materialId, String certificateId, String uploadId, String linkId,
            String linkToken, String linkUploadId) {

        static Fixture create(boolean withCertificate) {
            World world = World.create();
            String material = given().auth().oauth2(Tokens.uploader(world.client))
                    .header("Content-Disposition", "attachment; filename=m.wav").header("Valv-Personal-Data", "true")
                    .contentType("audio/wav").body(new byte[64]).post("/api/v1/jobs/" + world.jobId + "/materials")
                    .then().statusCode(201).extract().path("id");
            String certificate = null;
            if (withCertificate) {
                certificate = given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType(ContentType.JSON)
                        .body(Map.of("scope", "job", "jobId", world.jobId)).post("/api/v1/certificates")
                        .then().statusCode(201).extract().path("id");
            }
            // a resumable upload of 16 bytes that "up" created: only its creator may touch it
            String location = given().auth().oauth2(Tokens.uploader(world.client)).header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", "16").header("Upload-Metadata", "filename dS5iaW4=,personal-data ZmFsc2U=")
                    .post("/api/v1/jobs/" + world.jobId + "/uploads").then().statusCode(201).extract().header("Location");
            io.restassured.response.Response link = given().auth().oauth2(Tokens.clientAdmin(world.client))
                    .contentType(ContentType.JSON).body(Map.of("expiresAt", java.time.Instant.now().plus(Duration.ofDays(1))
                            .toString(), "maxBytes", 1_000_000, "maxFiles", 100))
                    .post("/api/v1/jobs/" + world.jobId + "/upload-links").then().statusCode(201).extract().response();
            String url = link.path("url");
            String linkToken = url.substring(url.lastIndexOf('/') + 1);
            String linkUpload = given().header("Tus-Resumable", "1.0.0").header("Upload-Length", "16")
                    .header("Upload-Metadata", "filename dS5iaW4=,personal-data ZmFsc2U=")
                    .post("/api/v1/upload-links/" + linkToken + "/uploads").then().statusCode(201).extract().header("Location");
            return new Fixture(world, material, certificate, location.substring(location.lastIndexOf('/') + 1),
                    link.path("id"), linkToken, linkUpload.substring(linkUpload.lastIndexOf('/') + 1));
        }
    }

    static String token(String caller, String client) {
        return switch (caller) {
            case "admin" -> Tokens.admin();
            case "dpo" -> Tokens.auditor();
            case "staff+" -> Tokens.staff("alice");
            case "staff−" -> Tokens.staff("sam");
            case "up" -> Tokens.uploader(client);
            case "up✕" -> Tokens.uploader(OTHER);
            case "cadm" -> Tokens.clientAdmin(client);
            case "cadm✕" -> Tokens.clientAdmin(OTHER);
            default -> null;
        };
    }

    static int send(Row row, String caller, Fixture f) {
        String path = row.path().replace("{client}", f.world().client).replace("{dpa}", f.world().dpaId)
                .replace("{job}", f.world().jobId).replace("{material}", f.materialId())
                .replace("{certificate}", String.valueOf(f.certificateId())).replace("{upload}", f.uploadId())
                .replace("{link}", f.linkId()).replace("{token}", f.linkToken()).replace("{linkupload}", f.linkUploadId());
        if (path.contains("{change}")) {
            path = path.replace("{change}", aSubProcessorChange());
        }
        if (path.contains("{event}")) {
            path = path.replace("{event}", coveredUploadEvent(f.materialId()));
        }
        if (path.contains("{incident}")) {
            path = path.replace("{incident}", INCIDENTS.computeIfAbsent(f.world().client,
                    c -> io.valv.testing.Incidents.withWindow(f.world())));
        }
        if (path.contains("{webhook}")) {
            // DELETE removes its target: a fresh endpoint per cell; the others share one with a delivery
            String[] hook = row.method().equals("DELETE") ? newWebhook(f)
                    : WEBHOOKS.computeIfAbsent(f.world().client,
                            c -> webhookWithDelivery(f));
            path = path.replace("{webhook}", hook[0]).replace("{delivery}", hook[1]);
        }
        scheduleFirst(row, f);
        RequestSpecification request = given();
        String token = token(caller, f.world().client);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        request = withBody(request, row, f);
        return request.request(row.method(), path).then().extract().statusCode();
    }

    /** Cancelling or confirming needs something scheduled: the admin schedules it with the default wait. */
    private static void scheduleFirst(Row row, Fixture f) {
        if (row.path().endsWith("/offboard/cancel") || row.path().endsWith("/offboard/confirm")) {
            given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/clients/" + f.world().client + "/offboard").then().statusCode(202);
        } else if (row.path().endsWith("/terminate/cancel") || row.path().endsWith("/terminate/confirm")) {
            given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/clients/" + f.world().client + "/dpas/" + f.world().dpaId + "/terminate").then()
                    .statusCode(202);
        }
    }

    private static final Map<String, String[]> WEBHOOKS = new ConcurrentHashMap<>();
    private static final Map<String, String> INCIDENTS = new ConcurrentHashMap<>();

    /** An endpoint of the fixture's client (nothing listens there: its deliveries fail and are retried). */
    static String[] newWebhook(Fixture f) {
        String id = given().auth().oauth2(Tokens.clientAdmin(f.world().client)).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("material.stored")))
                .post("/api/v1/clients/" + f.world().client + "/webhooks").then().statusCode(201).extract().path("id");
        return new String[] { id, "none" };
    }

    /** An endpoint and one of its deliveries: an upload after registering writes the outbox row in its commit. */
    static String[] webhookWithDelivery(Fixture f) {
        String id = newWebhook(f)[0];
        given().auth().oauth2(Tokens.uploader(f.world().client)).header("Content-Disposition", "attachment; filename=w.wav")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(new byte[8])
                .post("/api/v1/jobs/" + f.world().jobId + "/materials").then().statusCode(201);
        try (Connection c = Database.connect();
                PreparedStatement s = c.prepareStatement("select id from webhook_delivery where endpoint_id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "delivery of webhook " + id);
                return new String[] { id, r.getString(1) };
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<String, String> UPLOAD_EVENTS = new ConcurrentHashMap<>();

    /**
     * The id of the material's upload event, once a signed tree head covers it (one is signed every
     * valv.audit.checkpoint-every, 3 s in tests), so that a proof of it exists.
     */
    static String coveredUploadEvent(String materialId) {
        return UPLOAD_EVENTS.computeIfAbsent(materialId, m -> {
            try (Connection c = Database.connect();
                    PreparedStatement s = c.prepareStatement("select id, seq from audit_event"
                            + " where material_id = ?::uuid and action = 'material.upload'")) {
                s.setString(1, m);
                String id;
                long seq;
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next(), "upload event of " + m);
                    id = r.getString(1);
                    seq = r.getLong(2);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (Database.count("select count(*) from audit_tree_head where tree_size >= ?", seq) == 0) {
                    assertTrue(System.nanoTime() < deadline, "no tree head covers seq " + seq);
                    Thread.sleep(200);
                }
                return id;
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A change in the sub-processor register (registering the storage sub-processor for World made one). */
    private static String aSubProcessorChange() {
        return given().auth().oauth2(Tokens.admin()).get("/api/v1/subprocessors/changes").then().statusCode(200)
                .extract().path("[0].id");
    }

    private static RequestSpecification withBody(RequestSpecification request, Row row, Fixture f) {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String key = row.method() + " " + row.path();
        return switch (key) {
            case "POST /api/v1/clients" -> request.contentType(ContentType.JSON).body(Map.of("id", "m-" + unique, "name", "M"));
            case "POST /api/v1/clients/{client}/dpas" -> request.contentType(ContentType.JSON).body(Map.of("reference", "R",
                    "version", "2", "effectiveFrom", "2026-01-01", "retentionDays", 30, "permittedSubProcessors",
                    List.of(World.STORAGE)));
            case "POST /api/v1/subprocessors" -> request.contentType(ContentType.JSON).body(Map.of("name", "P " + unique,
                    "purpose", "p", "country", "SE", "transferMechanism", "none"));
            case "POST /api/v1/jobs" -> request.contentType(ContentType.JSON).body(Map.of("clientId", f.world().client,
                    "title", "t", "reuseRequested", false));
            case "POST /api/v1/jobs/{job}/assignments" -> request.contentType(ContentType.JSON).body(Map.of("staff", "bob"));
            case "POST /api/v1/jobs/{job}/materials" -> request.header("Content-Disposition", "attachment; filename=x.wav")
                    .header("Valv-Personal-Data", "false").contentType("audio/wav").body(new byte[16]);
            // the defaults, as an explicit JSON body (a bare POST is EndOfContractTest's)
            case "POST /api/v1/clients/{client}/offboard", "POST /api/v1/clients/{client}/dpas/{dpa}/terminate" ->
                request.contentType(ContentType.JSON).body("{}");
            case "POST /api/v1/clients/{client}/webhooks" -> request.contentType(ContentType.JSON).body(Map.of("url",
                    "http://127.0.0.1:9/hook", "events", List.of("material.stored")));
            case "PATCH /api/v1/clients/{client}/webhooks/{webhook}" ->
                request.contentType(ContentType.JSON).body(Map.of("enabled", false));
            case "PUT /api/v1/clients/{client}/email-notifications" -> request.contentType(ContentType.JSON).body(Map.of(
                    "events", List.of("material.purged"), "language", "sv"));
            case "POST /api/v1/jobs/{job}/uploads" -> request.header("Tus-Resumable", "1.0.0").header("Upload-Length", "16")
                    .header("Upload-Metadata", "filename eC53YXY=,personal-data ZmFsc2U=");
            case "PATCH /api/v1/uploads/{upload}" -> request.header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                    .contentType("application/offset+octet-stream").body(new byte[16]);
            case "DELETE /api/v1/uploads/{upload}", "DELETE /api/v1/upload-links/{token}/uploads/{linkupload}" ->
                request.header("Tus-Resumable", "1.0.0");
            case "POST /api/v1/jobs/{job}/upload-links" -> request.contentType(ContentType.JSON).body(Map.of("expiresAt",
                    java.time.Instant.now().plus(Duration.ofDays(1)).toString(), "maxBytes", 1000, "maxFiles", 1));
            case "POST /api/v1/upload-links/{token}/uploads" -> request.header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", "16").header("Upload-Metadata", "filename eC53YXY=,personal-data ZmFsc2U=");
            case "PATCH /api/v1/upload-links/{token}/uploads/{linkupload}" -> request.header("Tus-Resumable", "1.0.0")
                    .header("Upload-Offset", "0").contentType("application/offset+octet-stream").body(new byte[16]);
            case "POST /api/v1/incidents" -> request.contentType(ContentType.JSON).body(Map.of("nature", "n",
                    "dataSubjectCategories", "c", "approximateDataSubjects", 1, "recordCategories", "r", "approximateRecords",
                    1,
                    "likelyConsequences", "l", "measures", "m", "contactPoint", "dpo@processor.example", "detectedAt",
                    "2026-01-01T00:00:00Z", "clientIds", List.of(f.world().client)));
            case "POST /api/v1/clients/{client}/subprocessor-changes/{change}/objection" -> request
                    .contentType(ContentType.JSON).body(Map.of("reason", "We do not accept transfers outside the EU."));
            case "POST /api/v1/certificates" -> request.contentType(ContentType.JSON).body(Map.of("scope", "job", "jobId",
                    f.world().jobId));
            default -> request;
        };
    }
}
