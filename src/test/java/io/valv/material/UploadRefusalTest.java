package io.valv.material;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** Every refused upload gets a clear problem+json 4xx and leaves no row and no object behind. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class UploadRefusalTest {

    private static RequestSpecification uploadAs(World world) {
        return given().auth().oauth2(Tokens.uploader(world.client)).contentType("application/octet-stream");
    }

    private static void assertNothingStored(World world) {
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/jobs/" + world.jobId + "/materials").then()
                .statusCode(200).body("", hasSize(0));
        StoredObjects.awaitNoOrphans();
    }

    @Test
    void digestMismatchIsRefusedAndNothingStays() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(3 * MaterialApiTest.MIB, 7);
        uploadAs(world).header("Content-Disposition", "attachment; filename=a.bin").header("Valv-Personal-Data", "false")
                .header("Content-Digest", "sha-256=:" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + ":")
                .body(data).post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/digest-mismatch"));
        assertNothingStored(world);
    }

    @Test
    void oversizeBodyIsRefusedWhileStreamingAndNothingStays() {
        World world = World.create();
        // 65 MiB against the 64 MiB test limit, sent chunked so that only streaming can notice
        InputStream body = new PatternStream(65L * MaterialApiTest.MIB);
        uploadAs(world).header("Content-Disposition", "attachment; filename=big.bin").header("Valv-Personal-Data", "false")
                .body(body).post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(413).contentType("application/problem+json").body("type", endsWith("/too-large"));
        assertNothingStored(world);
    }

    @Test
    void badHeadersAreRefusedWithStableTypes() {
        World world = World.create();
        Map<String, Map<String, String>> cases = Map.of(
                "missing-filename", Map.of("Valv-Personal-Data", "false"),
                "invalid-filename", Map.of("Content-Disposition", "attachment; filename=\"../../etc/passwd\"",
                        "Valv-Personal-Data", "false"),
                "missing-personal-data-declaration", Map.of("Content-Disposition", "attachment; filename=a.wav"),
                "invalid-personal-data-declaration", Map.of("Content-Disposition", "attachment; filename=a.wav",
                        "Valv-Personal-Data", "maybe"),
                "invalid-content-digest", Map.of("Content-Disposition", "attachment; filename=a.wav",
                        "Valv-Personal-Data", "true", "Content-Digest", "sha-256=notbase64"));
        cases.forEach((type, headers) -> given().auth().oauth2(Tokens.uploader(world.client))
                .contentType("application/octet-stream").headers(headers).body(new byte[100])
                .post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(400).contentType("application/problem+json").body("type", endsWith("/" + type))
                .body("detail", not(containsString("passwd"))));
        // control characters smuggled through the RFC 8187 form
        uploadAs(world).header("Content-Disposition", "attachment; filename*=UTF-8''evil%0D%0Aname.wav")
                .header("Valv-Personal-Data", "false").body(new byte[10])
                .post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(400).body("type", endsWith("/invalid-filename"));
        uploadAs(world).header("Content-Disposition", "attachment; filename*=UTF-8''..%2F..%2Fx")
                .header("Valv-Personal-Data", "false").body(new byte[10])
                .post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(400).body("type", endsWith("/invalid-filename"));
        given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=a.wav")
                .header("Valv-Personal-Data", "false").contentType("not a media type").body(new byte[10])
                .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(415)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/jobs/not-a-uuid/materials").then()
                .statusCode(404).contentType("application/problem+json");
        assertNothingStored(world);
    }

    @Test
    void uploadNeedsADpaThatPermitsStorageAndThePersonalData() {
        World noStorage = World.create(true, List.of(), 365);
        uploadAs(noStorage).header("Content-Disposition", "attachment; filename=a.wav").header("Valv-Personal-Data", "false")
                .body(new byte[10]).post("/api/v1/jobs/" + noStorage.jobId + "/materials")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/sub-processor-not-permitted"));
        assertNothingStored(noStorage);

        World noPersonalData = World.create(false, List.of(World.STORAGE), 30);
        uploadAs(noPersonalData).header("Content-Disposition", "attachment; filename=a.wav")
                .header("Valv-Personal-Data", "true")
                .body(new byte[10]).post("/api/v1/jobs/" + noPersonalData.jobId + "/materials")
                .then().statusCode(409).body("type", endsWith("/personal-data-not-allowed"));
        // material declared free of personal data is fine under that DPA, and expires per its retention
        String expires = uploadAs(noPersonalData).header("Content-Disposition", "attachment; filename=a.wav")
                .header("Valv-Personal-Data", "false").body(new byte[10])
                .post("/api/v1/jobs/" + noPersonalData.jobId + "/materials").then().statusCode(201)
                .extract().path("expiresAt");
        String uploaded = given().auth().oauth2(Tokens.uploader(noPersonalData.client))
                .get("/api/v1/jobs/" + noPersonalData.jobId + "/materials").then().extract().path("[0].uploadedAt");
        assertEquals(30,
                java.time.Duration.between(java.time.Instant.parse(uploaded), java.time.Instant.parse(expires)).toDays());

        World terminated = World.create();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("waitDays", 0, "reason", "test"))
                .post("/api/v1/clients/" + terminated.client + "/dpas/" + terminated.dpaId + "/terminate").then()
                .statusCode(202).body("status", equalTo("terminated"));
        uploadAs(terminated).header("Content-Disposition", "attachment; filename=a.wav").header("Valv-Personal-Data", "false")
                .body(new byte[10]).post("/api/v1/jobs/" + terminated.jobId + "/materials")
                .then().statusCode(409).body("type", endsWith("/dpa-not-active"));
        assertNothingStored(terminated);
    }

    @Test
    void aJobNeedsAnActiveDpa() {
        World world = World.create();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("waitDays", 0, "reason", "test"))
                .post("/api/v1/clients/" + world.client + "/dpas/" + world.dpaId + "/terminate").then().statusCode(202);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", "t", "reuseRequested", false))
                .post("/api/v1/jobs").then().statusCode(409).body("type", endsWith("/no-active-dpa"));
    }

    /** A deterministic, never-buffered body of a given length. */
    static class PatternStream extends InputStream {

        private long remaining;

        PatternStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            return remaining-- > 0 ? (int) (remaining & 0x7f) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((remaining - i) & 0x7f);
            }
            remaining -= n;
            return n;
        }
    }
}
