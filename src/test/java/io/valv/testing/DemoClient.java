package io.valv.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;

/**
 * The shipped realm's demo client {@code acme} (its people {@code acme-admin} and {@code acme-upload} sign in
 * through Keycloak), set up through the API as the processor's admin would: the storage sub-processor, the
 * client and an active DPA, each only if it is not there yet, so that browser tests can share one Keycloak.
 */
public final class DemoClient {

    public static final String ID = "acme";

    private DemoClient() {
    }

    /** A fresh open job of {@code acme} titled {@code title}; its id. */
    public static String openJob(String title) {
        String admin = ensureClient();
        List<String> active = given().auth().oauth2(admin).get("/api/v1/clients/acme/dpas").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.status == 'active' }.id");
        if (active.isEmpty()) {
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("reference", "DPA-ACME-DEMO", "version", "1", "effectiveFrom", "2026-01-01",
                            "personalDataAllowed", true, "retentionDays", 365, "dataCategories", List.of("voices"),
                            "permittedSubProcessors", List.of(World.STORAGE)))
                    .post("/api/v1/clients/acme/dpas").then().statusCode(201);
        }
        return given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("clientId", ID, "title", title, "reuseRequested", false)).post("/api/v1/jobs").then()
                .statusCode(201).extract().path("id");
    }

    /** The storage sub-processor and the client {@code acme}, each registered unless it is already; the admin's token. */
    public static String ensureClient() {
        String admin = KeycloakResource.token("admin");
        int sub = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", World.STORAGE, "purpose", "Encrypted object storage", "country", "SE",
                        "transferMechanism", "none (EU)"))
                .post("/api/v1/subprocessors").then().extract().statusCode();
        assertTrue(sub == 201 || sub == 409, "storage sub-processor: " + sub);
        int client = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", ID, "name", "Acme Research AB", "contact", "dpo@acme.example"))
                .post("/api/v1/clients").then().extract().statusCode();
        assertTrue(client == 201 || client == 409, "client acme: " + client);
        return admin;
    }

    /** As {@link #openJob}, with {@code staff} assigned to it. */
    public static String openJobAssignedTo(String title, String staff) {
        String jobId = openJob(title);
        given().auth().oauth2(KeycloakResource.token("admin")).contentType(ContentType.JSON).body(Map.of("staff", staff))
                .post("/api/v1/jobs/" + jobId + "/assignments").then().statusCode(200);
        return jobId;
    }
}
