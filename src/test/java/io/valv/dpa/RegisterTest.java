package io.valv.dpa;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/** The sub-processor register's change notices (Art. 28(2)) and the record of processing (Art. 30(2)). */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class RegisterTest {

    @Test
    void clientAdminsSeeSubProcessorChangesWithTheirEffectiveDate() {
        World world = World.create();
        String name = "Backup provider " + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "purpose", "Encrypted off-site backups", "country", "DE",
                        "transferMechanism", "none (EU)", "effectiveFrom", "2027-03-01"))
                .post("/api/v1/subprocessors").then().statusCode(201);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/subprocessors/changes").then().statusCode(200)
                .body("find { it.subProcessor == '" + name + "' }.effectiveFrom", equalTo("2027-03-01"))
                .body("find { it.subProcessor == '" + name + "' }.change", equalTo("added"));
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/subprocessors/changes").then().statusCode(403);
    }

    @Test
    void recordOfProcessingIsGeneratedFromTheLiveState() {
        World world = World.create();
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/record-of-processing").then().statusCode(200)
                .body("controllers.clientId", hasItem(world.client))
                .body("controllers.find { it.clientId == '" + world.client + "' }.agreements[0].reference",
                        equalTo("DPA-" + world.client))
                .body("controllers.find { it.clientId == '" + world.client + "' }.agreements[0].subProcessors[0].name",
                        equalTo(World.STORAGE))
                .body("controllers.find { it.clientId == '" + world.client + "' }.agreements[0].dataCategories",
                        hasItem("voice recordings"));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/record-of-processing").then().statusCode(403);
    }
}
