package io.valv.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/**
 * Builds a fresh little world per test through the public API, as the processor's admin would:
 * a uniquely named client with an active DPA permitting storage, and an open job assigned to alice.
 */
public final class World {

    public static final String STORAGE = "Object storage";
    public final String client;
    public final String dpaId;
    public final String jobId;

    private World(String client, String dpaId, String jobId) {
        this.client = client;
        this.dpaId = dpaId;
        this.jobId = jobId;
    }

    public static World create() {
        return create(true, List.of(STORAGE), 365);
    }

    public static World create(boolean personalDataAllowed, List<String> subProcessors, int retentionDays) {
        ensureStorageSubProcessor();
        String client = "c-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("id", client, "name", "Client " + client, "contact", "dpo@" + client + ".example"))
                .post("/api/v1/clients").then().statusCode(201);
        String dpaId = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("reference", "DPA-" + client, "version", "1", "effectiveFrom", "2026-01-01",
                        "personalDataAllowed", personalDataAllowed, "retentionDays", retentionDays,
                        "dataCategories", List.of("voice recordings"), "permittedSubProcessors", subProcessors))
                .post("/api/v1/clients/" + client + "/dpas").then().statusCode(201).extract().path("id");
        String jobId = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clientId", client, "title", "Interviews", "reuseRequested", false))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("staff", "alice"))
                .post("/api/v1/jobs/" + jobId + "/assignments").then().statusCode(200);
        return new World(client, dpaId, jobId);
    }

    private static void ensureStorageSubProcessor() {
        int status = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", STORAGE, "purpose", "Encrypted object storage", "country", "SE",
                        "transferMechanism", "none (EU)"))
                .post("/api/v1/subprocessors").then().extract().statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("could not register the storage sub-processor: " + status);
        }
    }
}
