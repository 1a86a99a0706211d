package io.valv.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * A job's life through {@code /api/v1/jobs} as its people meet it: who may open one, who sees it, who reads its
 * staff, and that a completed job takes nothing more (docs/api.md, docs/authorization.md).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class JobApiTest {

    @Test
    void aClientAdminOpensJobsForItsOwnClientOnlyAndAnUploaderOpensNone() {
        World world = World.create();
        World other = World.create();
        given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", "Focus groups")).post("/api/v1/jobs").then()
                .statusCode(201).body("clientId", equalTo(world.client)).body("status", equalTo("open"))
                .body("dpaId", equalTo(world.dpaId)).body("closedAt", nullValue());
        // another client's jobs are not even known to exist; an uploader opens none
        given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType(ContentType.JSON)
                .body(Map.of("clientId", other.client, "title", "Not mine")).post("/api/v1/jobs").then().statusCode(404);
        given().auth().oauth2(Tokens.uploader(world.client)).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", "Uploaders do not open jobs")).post("/api/v1/jobs").then()
                .statusCode(403);
        // a title the API cannot take changes nothing
        int before = jobsOf(world.client).size();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", "x".repeat(301))).post("/api/v1/jobs").then()
                .statusCode(400).contentType("application/problem+json");
        assertEquals(before, jobsOf(world.client).size());
    }

    @Test
    void eachCallerSeesTheJobsItsRoleAllows() {
        World world = World.create();
        World other = World.create();
        List<String> clientSees = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/jobs").then()
                .statusCode(200).extract().path("id");
        assertEquals(List.of(world.jobId), clientSees, "a client sees its own jobs only");
        List<String> aliceSees = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/jobs").then().statusCode(200)
                .extract().path("id");
        assertTrue(aliceSees.containsAll(List.of(world.jobId, other.jobId)), "assigned staff see their jobs");
        List<String> samSees = given().auth().oauth2(Tokens.staff("sam")).get("/api/v1/jobs").then().statusCode(200)
                .extract().path("id");
        assertFalse(samSees.contains(world.jobId), "unassigned staff do not");
        given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs").then().statusCode(200)
                .body("id", hasItem(world.jobId)).body("id", hasItem(other.jobId));

        given().auth().oauth2(Tokens.staff("sam")).get("/api/v1/jobs/" + world.jobId).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(other.client)).get("/api/v1/jobs/" + world.jobId).then().statusCode(404);
    }

    @Test
    void theClientSeesItsJobsStaffByPseudonymAndTheProcessorByName() {
        World world = World.create();
        given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs/" + world.jobId).then().statusCode(200)
                .body("staff", equalTo(List.of("alice")));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/jobs/" + world.jobId).then()
                .statusCode(200).body("staff.size()", equalTo(1)).body("staff", not(hasItem("alice")));
    }

    @Test
    void aCompletedJobStaysCompletedAndTakesNoMoreUploads() {
        World world = World.create();
        given().auth().oauth2(Tokens.staff("sam")).post("/api/v1/jobs/" + world.jobId + "/complete").then()
                .statusCode(403);
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/complete").then()
                .statusCode(200).body("status", equalTo("completed")).body("closedAt", notNullValue());
        // completing again is a no-op, not an error (a retried request)
        given().auth().oauth2(Tokens.clientAdmin(world.client)).post("/api/v1/jobs/" + world.jobId + "/complete").then()
                .statusCode(200).body("status", equalTo("completed"));
        given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=\"late.txt\"")
                .header("Valv-Personal-Data", "false").contentType("text/plain").body("too late")
                .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(409)
                .body("type", equalTo("https://valv.io/problems/job-closed"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("staff", "sam"))
                .post("/api/v1/jobs/" + world.jobId + "/assignments").then().statusCode(409);
    }

    private static List<String> jobsOf(String client) {
        return given().auth().oauth2(Tokens.clientAdmin(client)).get("/api/v1/jobs").then().statusCode(200).extract()
                .path("id");
    }
}
