package io.valv.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.HeldBody;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * The transfer limit (issue #20): with one upload and one download allowed at once, a second of either is
 * refused at the edge with {@code 503 transfers-busy} and {@code Retry-After}, changing nothing (no material
 * row), and is taken as soon as the first has ended, whether it completed or its client went away.
 */
@QuarkusTest
@TestProfile(TransferLimitTest.OneAtATime.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class TransferLimitTest {

    static final int MIB = 1 << 20;

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("valv.transfers.max-uploads", "1", "valv.transfers.max-downloads", "1");
        }
    }

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aSecondUploadWaitsForTheFirstToEnd() throws Exception {
        World world = World.create();
        HeldBody body = new HeldBody(3 * MIB, MIB);
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(URI.create(base
                + "api/v1/jobs/" + world.jobId + "/materials"))
                .header("Authorization", "Bearer " + Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename=\"first.wav\"").header("Valv-Personal-Data", "false")
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(body.held.await(30, TimeUnit.SECONDS), "the first upload is under way");

        try {
            given().auth().oauth2(Tokens.uploader(world.client))
                    .header("Content-Disposition", "attachment; filename=second.wav").header("Valv-Personal-Data", "false")
                    .contentType("audio/wav").body(Uploads.randomBytes(1000, 3)).post(Uploads.url(world.jobId)).then()
                    .statusCode(503).contentType("application/problem+json").header("Retry-After", "10")
                    .body("type", endsWith("/transfers-busy"));
        } finally {
            body.release.countDown();
        }
        assertEquals(201, first.get(60, TimeUnit.SECONDS).statusCode());
        assertEquals(1, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId),
                "the refused upload left nothing: the one material is the first");
        Uploads.stored(world, world.jobId, "second.wav", Uploads.randomBytes(1000, 3));
    }

    @Test
    void aSecondDownloadWaitsForAReaderThatStoppedReading() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "long.wav", Uploads.randomBytes(24 * MIB, 5));
        String content = base + "api/v1/materials/" + id + "/content";
        // a reader that takes the head and then stops reading: the response cannot end while it holds it
        HttpResponse<InputStream> stalled = http.send(HttpRequest.newBuilder(URI.create(content))
                .header("Authorization", "Bearer " + Tokens.staff("alice")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stalled.statusCode());

        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(503)
                .header("Retry-After", "10").body("type", endsWith("/transfers-busy"));
        // metadata is no transfer
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id).then().statusCode(200);

        stalled.body().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int status;
        while ((status = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content")
                .statusCode()) == 503) {
            assertTrue(System.nanoTime() < deadline, "the slot comes back once the reader has gone");
            Thread.sleep(200);
        }
        assertEquals(200, status);
    }
}
