package io.valv.purge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.valv.testing.Database;
import io.valv.testing.MovableClock;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
import io.valv.testing.Tools;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** The lifecycle rules, end to end: what triggers a purge, what it leaves behind, and the certificate. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class PurgeLifecycleTest {

    /** An end of contract carried out at once, as an emergency must say why. */
    static final Map<String, Object> IMMEDIATELY = Map.of("waitDays", 0, "reason", "test: no waiting period");

    @Inject
    MovableClock clock;

    @Inject
    PurgeScheduler scheduler;

    @Inject
    PurgeRunner runner;

    @AfterEach
    void backToToday() {
        clock.reset();
        S3ProxyResource.restart();
    }

    static String objectKeyOf(String materialId) {
        try (var c = Database.connect(); var s = c.prepareStatement("select object_key from material where id = ?::uuid")) {
            s.setString(1, materialId);
            var r = s.executeQuery();
            r.next();
            return r.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response awaitState(World world, String materialId, String state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Response r = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + materialId);
            if (state.equals(r.path("state")) || System.nanoTime() > deadline) {
                assertEquals(state, r.path("state"));
                return r;
            }
            sleep(200);
        }
    }

    @Test
    void completingAJobPurgesItsMaterialAtOnceWithASignedCertificate() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[5000]);
        String key = objectKeyOf(id);
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(200);
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/attestations").then()
                .statusCode(204);
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/complete").then().statusCode(200);

        awaitState(world, id, "purged").then().body("purgeReason", equalTo("job-completed"));
        assertFalse(StoredObjects.keys().contains(key), "ciphertext object deleted");
        assertEquals(0, Database.count("select count(*) from material_key where material_id = ?::uuid", id),
                "data key destroyed");
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + id + "/content").then()
                .statusCode(410);

        String certId = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/certificates")
                .then().statusCode(200).body("size()", equalTo(1)).extract().path("[0].id");
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/certificates/" + certId).then().statusCode(200)
                .body("media.materialId", equalTo(id)).body("media.sizeBytes", equalTo(5000))
                .body("reason", equalTo("job-completed")).body("sanitization.technique", equalTo("cryptographic erase"))
                .body("localCopyAttestations[0].staff", equalTo("alice"))
                .body("accesses", equalTo(1))
                .body("dpa.reference", equalTo("DPA-" + world.client));

        byte[] p7s = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/certificates/" + certId + "/signed")
                .then().statusCode(200).extract().asByteArray();
        String pem = given().get("/api/v1/certificates/signing-certificate").then().statusCode(200).extract().asString();
        Path dir = Files.createTempDirectory("cert");
        Files.write(dir.resolve("cert.p7s"), p7s);
        Files.writeString(dir.resolve("signer.pem"), pem);
        Tools.Result ok = openssl(dir, "cms", "-verify", "-inform", "DER", "-in", "cert.p7s", "-CAfile", "signer.pem");
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.stdout().contains("\"materialId\":\"" + id + "\""), "verified content is the certificate JSON");

        p7s[p7s.length / 2] ^= 0x01;
        Files.write(dir.resolve("tampered.p7s"), p7s);
        Tools.Result bad = openssl(dir, "cms", "-verify", "-inform", "DER", "-in", "tampered.p7s", "-CAfile", "signer.pem");
        assertNotEquals(0, bad.exit(), "an altered byte must fail verification");

        byte[] pdf = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/certificates/" + certId + "/pdf")
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        assertTrue(new String(pdf, 0, 5, StandardCharsets.US_ASCII).startsWith("%PDF-"));
        // The PDF itself is signed (PAdES): poppler's pdfsig checks the signature over the whole file...
        Files.write(dir.resolve("cert.pdf"), pdf);
        Tools.Result signed = Tools.run(dir, "pdfsig", "cert.pdf");
        assertTrue(signed.stdout().contains("Signature Validation: Signature is Valid."), signed.output());
        assertTrue(signed.stdout().contains("ETSI.CAdES.detached") || signed.stdout().contains("PAdES"), signed.output());
        assertTrue(signed.stdout().contains("Total document signed"), signed.output());
        // ...and an altered byte of the signed content (inside the first stream: the page's text) is caught.
        byte[] altered = pdf.clone();
        int at = indexOf(altered, "stream".getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0, "a content stream in the PDF");
        altered[at + 12] ^= 0x01;
        Files.write(dir.resolve("altered.pdf"), altered);
        Tools.Result broken = Tools.run(dir, "pdfsig", "altered.pdf");
        assertTrue(broken.stdout().contains("Digest Mismatch"), broken.output());
        // other clients see nothing of it
        World other = World.create();
        given().auth().oauth2(Tokens.clientAdmin(other.client)).get("/api/v1/certificates/" + certId).then().statusCode(404);
    }

    @Test
    void reuseKeepsMaterialUntilExpiryAndNeverBeyondAYear() {
        World world = World.create();
        String jobId = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", "Reuse", "reuseRequested", true))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("staff", "alice"))
                .post("/api/v1/jobs/" + jobId + "/assignments").then().statusCode(200);
        String id = given().auth().oauth2(Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename=r.wav")
                .header("Valv-Personal-Data", "true").body(new byte[100]).contentType("audio/wav")
                .post("/api/v1/jobs/" + jobId + "/materials").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + jobId + "/complete").then().statusCode(200);
        scheduler.runNow();
        awaitState(world, id, "stored");

        clock.travel(Duration.ofDays(364));
        scheduler.runNow();
        awaitState(world, id, "stored");

        clock.travel(Duration.ofDays(2));
        scheduler.runNow();
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("retention-expired"));
    }

    @Test
    void expiryPurgesWhateverTheJobState() {
        World world = World.create(true, List.of(World.STORAGE), 30);
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        clock.travel(Duration.ofDays(31));
        scheduler.runNow();
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("retention-expired"));
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/jobs/" + world.jobId).then()
                .body("status", equalTo("open"));
    }

    @Test
    void clientErasureInstructionIsAcceptedAndCarriedOut() {
        World world = World.create();
        World other = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[100]);
        given().auth().oauth2(Tokens.uploader(world.client)).delete("/api/v1/materials/" + id).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(other.client)).delete("/api/v1/materials/" + id).then().statusCode(404);
        given().auth().oauth2(Tokens.staff("alice")).delete("/api/v1/materials/" + id).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/materials/" + id).then().statusCode(202);
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("client-instruction"));
        // repeating the instruction is harmless
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/materials/" + id).then().statusCode(202);
        assertEquals(1, Database.count("select count(*) from deletion_certificate where material_id = ?::uuid", id));
    }

    @Test
    void terminatingTheDpaPurgesEverythingUnderIt() {
        World world = World.create();
        String a = Uploads.upload(world, "rec.wav", new byte[10]);
        String b = Uploads.upload(world, "rec.wav", new byte[20]);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(IMMEDIATELY)
                .post("/api/v1/clients/" + world.client + "/dpas/" + world.dpaId + "/terminate").then().statusCode(202);
        awaitState(world, a, "purged").then().body("purgeReason", equalTo("dpa-terminated"));
        awaitState(world, b, "purged");
    }

    @Test
    void offboardingDestroysTheClientKeyAndPurgesEverything() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(IMMEDIATELY)
                .post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202)
                .body("status", equalTo("offboarded"));
        assertEquals(1, Database.count("select count(*) from client where id = ? and wrapped_key is null", world.client));
        awaitState(world, id, "purged").then().body("purgeReason", equalTo("offboarded"));
        given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=x")
                .header("Valv-Personal-Data", "false").body(new byte[1]).post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(409).body("type", endsWith("/client-offboarded"));
    }

    @Test
    void storeDownDuringPurgeIsRetriedAndEndsWithOneCertificate() {
        World world = World.create();
        String id = Uploads.upload(world, "rec.wav", new byte[10]);
        S3ProxyResource.kill();
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/complete").then().statusCode(200);
        scheduler.runNow();
        awaitState(world, id, "purge-pending");
        S3ProxyResource.restart();
        scheduler.runNow();
        awaitState(world, id, "purged");
        assertEquals(1, Database.count("select count(*) from deletion_certificate where material_id = ?::uuid", id));
    }

    @Test
    void concurrentRunsNeverPurgeTwice() throws Exception {
        World world = World.create();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(Uploads.upload(world, "rec.wav", new byte[10 + i]));
        }
        // mark without triggering: expiry of a 1-day DPA would also do, but SQL keeps it direct
        try (var c = Database.connect();
                var s = c.prepareStatement(
                        "update material set state = 'PURGE_PENDING', purge_reason = 'client-instruction' where job_id = ?::uuid")) {
            s.setString(1, world.jobId);
            assertEquals(12, s.executeUpdate());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit((Callable<Integer>) () -> scheduler.runNow()));
        }
        for (Future<Integer> run : runs) {
            run.get();
        }
        pool.shutdown();
        for (String id : ids) {
            awaitState(world, id, "purged");
            assertEquals(1, Database.count("select count(*) from deletion_certificate where material_id = ?::uuid", id));
        }
    }

    @Test
    void batchesRunningAtOnceEachPurgeDisjointMaterialsExactlyOnce() throws Exception {
        World world = World.create();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Uploads.upload(world, "rec.wav", new byte[10 + i]));
        }
        long eventsBefore = Database.count("select count(*) from audit_event");
        try (var c = Database.connect();
                var s = c.prepareStatement(
                        "update material set state = 'PURGE_PENDING', purge_reason = 'client-instruction' where job_id = ?::uuid")) {
            s.setString(1, world.jobId);
            assertEquals(20, s.executeUpdate());
        }
        // two loops of batches of 3, side by side: seven batches, each loop skipping the other's locked rows
        // (the scheduler may join in; every run still ends each material once)
        int purgedHere = runner.drain(2, 3);
        assertTrue(purgedHere > 0 && purgedHere <= 20, "purged by these loops: " + purgedHere);
        ids.forEach(id -> awaitState(world, id, "purged"));
        List<String> stored = StoredObjects.keys();
        for (String id : ids) {
            assertEquals(1, Database.count("select count(*) from deletion_certificate where material_id = ?::uuid", id));
            assertEquals(1, Database.count("select count(*) from audit_event where action = 'material.purge'"
                    + " and material_id = ?::uuid", id));
            assertEquals(1, Database.count("select count(*) from audit_event where action = 'certificate.issue'"
                    + " and material_id = ?::uuid", id));
            assertFalse(stored.contains(objectKeyOf(id)), "ciphertext object deleted");
        }
        assertTrue(Database.count("select count(*) from audit_event") >= eventsBefore + 40);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true));
    }

    static Tools.Result openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return Tools.run(dir, command.toArray(String[]::new));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
