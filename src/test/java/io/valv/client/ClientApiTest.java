package io.valv.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;

/**
 * Client (controller) records through {@code /api/v1/clients}: the processor's admin registers them, each
 * client's own people read only their own record, and a bad or second registration changes nothing (the end of
 * a contract is EndOfContractTest's).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class ClientApiTest {

    @Test
    void theAdminRegistersAClientOnceAndOnlyTheAdminCan() {
        String id = newId();
        Map<String, Object> body = Map.of("id", id, "name", "Åkerlund & Co", "orgNumber", "556000-0000", "contact",
                "dpo@" + id + ".example");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/clients").then()
                .statusCode(201).body("id", equalTo(id)).body("name", equalTo("Åkerlund & Co"))
                .body("status", equalTo("active")).body("createdAt", notNullValue());
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/clients").then()
                .statusCode(409).body("type", equalTo("https://valv.io/problems/client-exists"));
        for (String token : List.of(Tokens.auditor(), Tokens.staff("alice"), Tokens.clientAdmin(id))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("id", newId(), "name", "x"))
                    .post("/api/v1/clients").then().statusCode(403);
        }
    }

    @Test
    void anIdThatIsNotASlugOrAContactThatIsNotAnAddressIsRefusedAndNothingIsCreated() {
        String id = newId();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("id", "Acme Corp", "name", "Acme")).post("/api/v1/clients").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("https://valv.io/problems/validation"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "Acme", "contact", "not an address")).post("/api/v1/clients").then()
                .statusCode(400);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/clients/" + id).then().statusCode(404);
    }

    @Test
    void eachClientsPeopleReadTheirOwnRecordOnlyAndTheProcessorReadsAll() {
        String mine = register();
        String theirs = register();
        assertEquals(List.of(mine), given().auth().oauth2(Tokens.clientAdmin(mine)).get("/api/v1/clients").then()
                .statusCode(200).extract().path("id"));
        assertEquals(List.of(mine), given().auth().oauth2(Tokens.uploader(mine)).get("/api/v1/clients").then()
                .statusCode(200).extract().path("id"));
        given().auth().oauth2(Tokens.clientAdmin(mine)).get("/api/v1/clients/" + mine).then().statusCode(200)
                .body("contact", equalTo("dpo@" + mine + ".example"));
        // another client's record is not known to exist, whether it does or not
        given().auth().oauth2(Tokens.clientAdmin(mine)).get("/api/v1/clients/" + theirs).then().statusCode(404);
        given().auth().oauth2(Tokens.clientAdmin(mine)).get("/api/v1/clients/" + newId()).then().statusCode(404);
        // staff know clients exist but do not read their records
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/clients/" + mine).then().statusCode(403);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/clients").then().statusCode(200)
                .body("id", hasItem(mine)).body("id", hasItem(theirs));
    }

    private static String register() {
        String id = newId();
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "Client " + id, "contact", "dpo@" + id + ".example"))
                .post("/api/v1/clients").then().statusCode(201);
        return id;
    }

    private static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
