package io.valv.purge;

import static io.restassured.RestAssured.given;
import static io.valv.purge.PurgeLifecycleTest.awaitState;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.Database;
import io.valv.testing.MovableClock;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Lifecycle rule 5: offboarding and DPA termination wait a cancellable period (7 days by default), during
 * which the controller takes its data back or confirms deletion early; then the purge destroys everything.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class EndOfContractTest {

    @Inject
    MovableClock clock;

    @AfterEach
    void backToToday() {
        clock.reset();
    }

    @Test
    void anOffboardingWaitsSevenDaysDuringWhichDataCanBeReturnedAndItCanBeCancelled() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        Instant before = Instant.now();
        String scheduledFor = given().auth().oauth2(Tokens.admin()).post("/api/v1/clients/" + world.client + "/offboard")
                .then().statusCode(202).body("status", equalTo("active")).body("scheduledFor", notNullValue())
                .extract().path("scheduledFor");
        long days = Duration.between(before, Instant.parse(scheduledFor)).toHours();
        assertTrue(days >= 7 * 24 - 1 && days <= 7 * 24, "scheduled seven days ahead: " + scheduledFor);

        // the client admin sees it coming, and can still take its data back
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/clients/" + world.client).then()
                .statusCode(200).body("scheduledFor", equalTo(scheduledFor));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + id + "/content").then()
                .statusCode(200);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/clients/" + world.client + "/export").then()
                .statusCode(200);
        // but nothing new comes in
        refusedUpload(world, "end-of-contract-scheduled");
        // asking again changes nothing
        given().auth().oauth2(Tokens.admin()).post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202)
                .body("scheduledFor", equalTo(scheduledFor));

        given().auth().oauth2(Tokens.admin()).post("/api/v1/clients/" + world.client + "/offboard/cancel").then()
                .statusCode(200).body("status", equalTo("active")).body("scheduledFor", nullValue());
        assertEquals("stored", given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + id)
                .then().extract().path("state"));
        Uploads.upload(world, "rec.wav", new byte[5]);
        given().auth().oauth2(Tokens.admin()).post("/api/v1/clients/" + world.client + "/offboard/cancel").then()
                .statusCode(409).body("type", endsWith("/nothing-scheduled"));
        assertEquals(List.of("client.offboard.schedule", "client.offboard.cancel"), actions(world.client, "client.offboard%"));
    }

    @Test
    void anOffboardingIsCarriedOutWhenTheWaitIsOver() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("waitDays", 8))
                .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202);
        clock.travel(Duration.ofDays(7));
        sleepSeconds(5); // several scheduler runs (every 2 s in tests): not yet due
        assertEquals("stored", given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + id)
                .then().extract().path("state"));
        clock.travel(Duration.ofDays(1).plusMinutes(1));
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("offboarded"));
        assertEquals(1, Database.count("select count(*) from client where id = ? and wrapped_key is null", world.client));
        assertEquals(1, Database.count("select count(*) from deletion_certificate where material_id = ?::uuid", id));
        assertEquals(List.of("client.offboard.schedule", "client.offboard"), actions(world.client, "client.offboard%"));
        given().auth().oauth2(Tokens.admin()).post("/api/v1/clients/" + world.client + "/offboard/cancel").then()
                .statusCode(409).body("type", endsWith("/end-of-contract-done"));
    }

    @Test
    void theClientAdminTakesItsDataBackThenConfirmsAndTheCertificateNamesTheExport() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        given().auth().oauth2(Tokens.admin()).post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202);
        byte[] zip = given().auth().oauth2(Tokens.clientAdmin(world.client))
                .get("/api/v1/clients/" + world.client + "/export").then().statusCode(200).extract().asByteArray();
        byte[] manifest = null;
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals("manifest.json")) {
                    manifest = in.readAllBytes();
                }
            }
        }
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(manifest));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).post("/api/v1/clients/" + world.client + "/offboard/confirm")
                .then().statusCode(200);
        awaitState(world, id, "purged");
        String certificate = awaitCertificateOf(world, id);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/certificates/" + certificate).then()
                .statusCode(200).body("returnOfData.exported", equalTo(true))
                .body("returnOfData.manifestSha256", equalTo(digest));
        String pdf = pdfText(given().auth().oauth2(Tokens.clientAdmin(world.client))
                .get("/api/v1/certificates/" + certificate + "/pdf").then().statusCode(200).extract().asByteArray());
        assertTrue(pdf.contains("Return of data") && pdf.replaceAll("\\s", "").contains(digest), pdf);
    }

    @Test
    void withoutAnExportTheCertificateSaysNoneWasTaken() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(PurgeLifecycleTest.IMMEDIATELY)
                .post("/api/v1/clients/" + world.client + "/dpas/" + world.dpaId + "/terminate").then().statusCode(202);
        awaitState(world, id, "purged");
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/certificates/" + awaitCertificateOf(world, id))
                .then().statusCode(200).body("returnOfData.exported", equalTo(false))
                .body("returnOfData.manifestSha256", nullValue());
    }

    private static String pdfText(byte[] pdf) throws java.io.IOException {
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
        }
    }

    private static String awaitCertificateOf(World world, String materialId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Map<String, Object>> list = given().auth().oauth2(Tokens.clientAdmin(world.client))
                    .get("/api/v1/certificates?clientId=" + world.client).then().statusCode(200).extract().jsonPath()
                    .getList("$");
            for (Map<String, Object> c : list) {
                if (materialId.equals(c.get("materialId"))) {
                    return (String) c.get("id");
                }
            }
            assertTrue(System.nanoTime() < deadline, "no certificate for " + materialId + ": " + list);
            sleepSeconds(1);
        }
    }

    @Test
    void theClientAdminConfirmsDeletionEarly() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).post("/api/v1/clients/" + world.client + "/offboard/confirm")
                .then().statusCode(409).body("type", endsWith("/nothing-scheduled"));
        given().auth().oauth2(Tokens.admin()).post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202);
        given().auth().oauth2(Tokens.clientAdmin("someone-else")).post("/api/v1/clients/" + world.client + "/offboard/confirm")
                .then().statusCode(404);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).post("/api/v1/clients/" + world.client + "/offboard/confirm")
                .then().statusCode(200).body("status", equalTo("offboarded"));
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("offboarded"));
        assertEquals(List.of("client.offboard.schedule", "client.offboard.confirm", "client.offboard"),
                actions(world.client, "client.offboard%"));
    }

    @Test
    void aShorterWaitNeedsAReasonAndBadBodiesChangeNothing() {
        World world = World.create();
        for (Map<String, Object> body : List.of(Map.<String, Object> of("waitDays", 0), Map.<String, Object> of("waitDays", 3),
                Map.<String, Object> of("waitDays", 0, "reason", " "))) {
            given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(400)
                    .contentType("application/problem+json").body("type", endsWith("/reason-required"));
        }
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("waitDays", -1))
                .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(400);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("waitDays", 91))
                .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(400);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("waitDays", 0, "reason", "x".repeat(501)))
                .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(400);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/clients/" + world.client).then().body("status", equalTo("active"))
                .body("scheduledFor", nullValue());
        assertEquals(List.of(), actions(world.client, "client.offboard%"));

        // an emergency says why, and the reason is kept with the schedule and in the audit log
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("waitDays", 0, "reason", "court order 2026-17"))
                .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202)
                .body("status", equalTo("offboarded"));
        assertEquals(1, Database.count("select count(*) from audit_event where client_id = ? and action = ?"
                + " and detail like '%reason: court order 2026-17'", world.client, "client.offboard.schedule"));
    }

    @Test
    void aDpaTerminationWaitsCanBeCancelledAndIsCarriedOutWhenDue() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        String dpa = "/api/v1/clients/" + world.client + "/dpas/" + world.dpaId;
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("waitDays", 7))
                .post(dpa + "/terminate").then().statusCode(202).body("status", equalTo("active"))
                .body("scheduledFor", notNullValue());
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/clients/" + world.client + "/dpas").then()
                .body("[0].scheduledFor", notNullValue());
        refusedUpload(world, "dpa-not-active");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", "t", "reuseRequested", false)).post("/api/v1/jobs").then()
                .statusCode(409).body("type", endsWith("/no-active-dpa"));

        given().auth().oauth2(Tokens.admin()).post(dpa + "/terminate/cancel").then().statusCode(200)
                .body("status", equalTo("active")).body("scheduledFor", nullValue());
        Uploads.upload(world, "rec.wav", new byte[3]);

        given().auth().oauth2(Tokens.admin()).post(dpa + "/terminate").then().statusCode(202);
        clock.travel(Duration.ofDays(7).plusMinutes(1));
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("dpa-terminated"));
        assertEquals(List.of("dpa.terminate.schedule", "dpa.terminate.cancel", "dpa.terminate.schedule", "dpa.terminate"),
                actions(world.client, "dpa.terminate%"));
    }

    @Test
    void theClientAdminConfirmsATerminationEarly() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        String dpa = "/api/v1/clients/" + world.client + "/dpas/" + world.dpaId;
        given().auth().oauth2(Tokens.admin()).post(dpa + "/terminate").then().statusCode(202);
        given().auth().oauth2(Tokens.uploader(world.client)).post(dpa + "/terminate/confirm").then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).post(dpa + "/terminate/confirm").then().statusCode(200)
                .body("status", equalTo("terminated"));
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("dpa-terminated"));
    }

    private static void refusedUpload(World world, String type) {
        given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=x")
                .header("Valv-Personal-Data", "false").body(new byte[1]).post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(409).body("type", endsWith("/" + type));
    }

    /** The client's audit actions matching a LIKE pattern, in chain order. */
    static List<String> actions(String client, String like) {
        List<String> actions = new java.util.ArrayList<>();
        try (var c = Database.connect();
                var s = c.prepareStatement(
                        "select action from audit_event where client_id = ? and action like ? order by seq")) {
            s.setString(1, client);
            s.setString(2, like);
            try (var r = s.executeQuery()) {
                while (r.next()) {
                    actions.add(r.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return actions;
    }

    private static void sleepSeconds(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
