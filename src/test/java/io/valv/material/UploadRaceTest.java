package io.valv.material;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.Database;
import io.valv.testing.HeldBody;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * Lifecycle rule 1 against the race the outside attack found: an upload still streaming when its job,
 * DPA or client is closed must not become stored afterwards. Each closing operation runs while the upload's
 * body is held half-sent; then the body finishes, and the upload is refused, its object deleted.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class UploadRaceTest {

    private static final Map<String, Object> IMMEDIATELY = Map.of("waitDays", 0, "reason", "test: no waiting period");

    @TestHTTPResource("/")
    URL base;

    @Test
    void anUploadStreamingWhileItsJobIsCompletedIsNotStored() throws Exception {
        raceAgainst("job-closed", world -> given().auth().oauth2(Tokens.admin())
                .post("/api/v1/jobs/" + world.jobId + "/complete").then().statusCode(200));
    }

    @Test
    void anUploadStreamingWhileItsJobIsErasedIsNotStored() throws Exception {
        raceAgainst("job-erased", world -> given().auth().oauth2(Tokens.clientAdmin(world.client))
                .delete("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(202));
    }

    @Test
    void anUploadStreamingWhileItsDpaIsTerminatedIsNotStored() throws Exception {
        raceAgainst("dpa-not-active", world -> given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(IMMEDIATELY).post("/api/v1/clients/" + world.client + "/dpas/" + world.dpaId + "/terminate").then()
                .statusCode(202));
    }

    @Test
    void anUploadStreamingWhileItsDpaTerminationIsScheduledIsNotStored() throws Exception {
        // {} = the defaults: a bare RestAssured POST carries a non-JSON Content-Type, which is refused (415)
        raceAgainst("dpa-not-active", world -> given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/clients/" + world.client + "/dpas/" + world.dpaId + "/terminate").then().statusCode(202));
    }

    @Test
    void anUploadStreamingWhileItsClientIsOffboardedIsNotStored() throws Exception {
        raceAgainst("client-offboarded", world -> given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(IMMEDIATELY).post("/api/v1/clients/" + world.client + "/offboard").then().statusCode(202));
    }

    @Test
    void anUploadStreamingWhileItsClientsOffboardingIsScheduledIsNotStored() throws Exception {
        raceAgainst("end-of-contract-scheduled", world -> given().auth().oauth2(Tokens.admin())
                .contentType(ContentType.JSON).body("{}").post("/api/v1/clients/" + world.client + "/offboard").then()
                .statusCode(202));
    }

    /** An upload begun after the erasure instruction is a new one, and is stored. */
    @Test
    void anUploadBegunAfterAJobErasureIsStored() {
        World world = World.create();
        given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/jobs/" + world.jobId + "/materials").then()
                .statusCode(202);
        given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=\"a.wav\"")
                .header("Valv-Personal-Data", "false").contentType("audio/wav").body(new byte[10])
                .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(201);
    }

    private void raceAgainst(String refusal, Consumer<World> close) throws Exception {
        World world = World.create();
        HeldBody body = new HeldBody(3 * MaterialApiTest.MIB, 2 * MaterialApiTest.MIB);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v1/jobs/" + world.jobId + "/materials"))
                .header("Authorization", "Bearer " + Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename=\"slow.wav\"").header("Valv-Personal-Data", "false")
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .timeout(Duration.ofSeconds(60)).build();
        CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient().sendAsync(request,
                HttpResponse.BodyHandlers.ofString());

        // the upload is under way: its row exists, half its body has been sent
        awaitUploading(world.jobId);
        assertTrue(body.held.await(30, TimeUnit.SECONDS), "the body reached its hold");
        try {
            close.accept(world);
        } finally {
            body.release.countDown();
        }

        HttpResponse<String> answer = response.get(60, TimeUnit.SECONDS);
        assertEquals(409, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("/" + refusal + "\""), answer.body());
        assertEquals(0, Database.count("select count(*) from material where job_id = ?::uuid and state <> 'PURGED'"
                + " and state <> 'PURGE_PENDING'", java.util.UUID.fromString(world.jobId)), "no material left behind");
        StoredObjects.awaitNoOrphans();
    }

    private static void awaitUploading(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Database.count("select count(*) from material where job_id = ?::uuid and state = 'UPLOADING'",
                java.util.UUID.fromString(jobId)) == 0) {
            assertTrue(System.nanoTime() < deadline, "upload did not start");
            Thread.sleep(50);
        }
    }
}
