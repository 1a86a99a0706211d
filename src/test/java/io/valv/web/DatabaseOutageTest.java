package io.valv.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.PrivatePostgresResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;

/**
 * A database restart under a running Valv (its own PostgreSQL, stopped and started again): while it is
 * down every request answers a short 503 {@code database-unavailable} with {@code Retry-After}, never a
 * 500; once it accepts connections again, requests succeed at once — the pool validates a connection idle
 * for more than a second before handing it out, instead of handing out its dead connections one by one.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(PrivatePostgresResource.class)
class DatabaseOutageTest {

    @Test
    void aDatabaseRestartIsAShort503AndRequestsSucceedWithinTwoSecondsOfItsReturn() throws Exception {
        given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs").then().statusCode(200);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200);

        PrivatePostgresResource.stopServer();
        try {
            for (String path : List.of("/api/v1/jobs", "/api/v1/clients")) {
                given().auth().oauth2(Tokens.admin()).get(path).then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", "5").body("type", endsWith("/database-unavailable"));
            }
            // the audit log's own fail-closed answer: nothing is served whose event could not be written
            given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "5")
                    .body("type", endsWith("/audit-unavailable"));
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            PrivatePostgresResource.startServer();
        }

        // the database accepts connections again: one request every 200 ms, as a light client would send
        long back = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        long firstOk = -1;
        while (System.nanoTime() - back < 4_000_000_000L) {
            int status = given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs").then().extract().statusCode();
            statuses.add(status);
            if (status == 200 && firstOk < 0) {
                firstOk = (System.nanoTime() - back) / 1_000_000;
            }
            Thread.sleep(200);
        }
        System.out.printf("DatabaseOutageTest: first success %d ms after the database was back; statuses %s%n", firstOk,
                statuses);
        assertTrue(firstOk >= 0 && firstOk <= 2000, "first success after " + firstOk + " ms: " + statuses);
        int firstOkIndex = statuses.indexOf(200);
        assertEquals(List.of(200), statuses.subList(firstOkIndex, statuses.size()).stream().distinct().toList(),
                "once back, every request succeeds: " + statuses);
        assertTrue(statuses.stream().noneMatch(s -> s == 500), "never a 500: " + statuses);
        given().get("/q/health/ready").then().statusCode(200);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200);
    }
}
