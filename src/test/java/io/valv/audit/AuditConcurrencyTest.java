package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** Many concurrent writers, through the service and through the API: one gapless chain that verifies. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditConcurrencyTest {

    static final int THREADS = 16;
    static final int PER_THREAD = 25;

    @Inject
    AuditLog log;

    @Test
    void sixteenWritersKeepOneChain() throws Exception {
        World world = World.create();
        World other = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(100, 11));
        String marker = "run " + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        if (thread % 4 == 0) {
                            // through the API: an audited metadata read
                            given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/materials/" + id).then()
                                    .statusCode(200);
                        } else {
                            log.appendSeparately(AuditEntry.of("test.concurrency").detail(marker)
                                    .client(i % 3 == 0 ? null : i % 3 == 1 ? world.client : other.client));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(12 * PER_THREAD, Database.count("select count(*) from audit_event where detail = ?", marker));
        assertEquals(Database.count("select count(*) from audit_event"), Database.count("select max(seq) from audit_event"));
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true));
    }
}
