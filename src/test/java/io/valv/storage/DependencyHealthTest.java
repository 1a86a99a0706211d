package io.valv.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.S3ProxyResource;

/**
 * The object store and the identity provider each have a check of their own, which says DOWN while the
 * dependency is out and UP once it is back, without taking the replica out of readiness (docs/operations.md,
 * "Health checks"): readiness is the database's.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class DependencyHealthTest {

    @Test
    void eachDependencyIsReportedByNameAndOnlyTheDatabaseGatesReadiness() throws Exception {
        given().get("/q/health/well").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'object-store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'identity-provider' }.status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", not(hasItem("object-store")))
                .body("checks.name", not(hasItem("identity-provider")));

        S3ProxyResource.kill();
        try {
            given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'object-store' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'identity-provider' }.status", equalTo("UP"));
            // the replica still answers: reads and uploads say 503 storage-unavailable themselves
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            S3ProxyResource.restart();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (given().get("/q/health/well").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the object store check did not come back UP");
            }
            Thread.sleep(200);
        }
        given().get("/q/health/well").then().body("checks.find { it.name == 'object-store' }.status", equalTo("UP"));
    }
}
