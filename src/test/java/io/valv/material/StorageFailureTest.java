package io.valv.material;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** The object store failing, and clients going away: never a stored row without its object, never an orphan. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class StorageFailureTest {

    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void storeIsBack() {
        S3ProxyResource.restart();
    }

    @Test
    void storeDownAtUploadGives503AndNothingStays() {
        World world = World.create();
        S3ProxyResource.kill();
        given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=a.bin")
                .header("Valv-Personal-Data", "false").contentType("application/octet-stream")
                .body(Uploads.randomBytes(2 * MaterialApiTest.MIB, 11))
                .post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(503).contentType("application/problem+json").body("type", endsWith("/storage-unavailable"));
        S3ProxyResource.restart();
        assertEquals(0, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId));
        StoredObjects.awaitNoOrphans();
    }

    @Test
    void storeFailingMidUploadGives503AndTheSweeperCleansUp() {
        World world = World.create();
        // the store dies after 20 MiB of a 40 MiB body has gone through
        InputStream body = new UploadRefusalTest.PatternStream(40L * MaterialApiTest.MIB) {
            long sent;

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent > 20L * MaterialApiTest.MIB) {
                    S3ProxyResource.kill();
                }
                int n = super.read(b, off, len);
                sent += Math.max(0, n);
                return n;
            }
        };
        given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=b.bin")
                .header("Valv-Personal-Data", "false").contentType("application/octet-stream").body(body)
                .post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(503).body("type", endsWith("/storage-unavailable"));
        S3ProxyResource.restart();
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/jobs/" + world.jobId + "/materials").then()
                .statusCode(200).body("", hasSize(0));
        // the abort could not reach the store; the sweeper finishes it once the store is back
        awaitNoRows(world);
        StoredObjects.awaitNoOrphans();
    }

    @Test
    void clientAbortMidBodyLeavesNothing() throws Exception {
        World world = World.create();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            String head = "POST /api/v1/jobs/" + world.jobId + "/materials HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + "\r\n"
                    + "Authorization: Bearer " + Tokens.uploader(world.client) + "\r\n"
                    + "Content-Disposition: attachment; filename=\"gone.bin\"\r\n"
                    + "Valv-Personal-Data: false\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + 30 * MaterialApiTest.MIB + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = Uploads.randomBytes(MaterialApiTest.MIB, 12);
            for (int i = 0; i < 10; i++) {
                out.write(chunk);
            }
            out.flush();
        }
        awaitNoRows(world);
        StoredObjects.awaitNoOrphans();
    }

    @Test
    void declaredOversizeIsRefusedWithoutReadingTheBody() throws Exception {
        World world = World.create();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/v1/jobs/" + world.jobId + "/materials HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + "\r\n"
                    + "Authorization: Bearer " + Tokens.uploader(world.client) + "\r\n"
                    + "Content-Disposition: attachment; filename=\"huge.bin\"\r\n"
                    + "Valv-Personal-Data: false\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + 100L * MaterialApiTest.MIB + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] response = new byte[512];
            int n = socket.getInputStream().read(response);
            String status = new String(response, 0, Math.max(0, n), StandardCharsets.US_ASCII);
            assertTrue(status.startsWith("HTTP/1.1 413"), status);
        }
        assertEquals(0, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId));
    }

    @Test
    void readsFailCleanlyWhileTheStoreIsDownAndWorkAfterwards() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(3 * MaterialApiTest.MIB, 13);
        String id = MaterialApiTest.upload(world, Tokens.uploader(world.client), data, "c.wav").then().statusCode(201)
                .extract().path("id");
        S3ProxyResource.kill();
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(503)
                .contentType("application/problem+json");
        S3ProxyResource.restart();
        byte[] back = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then()
                .statusCode(200).extract().asByteArray();
        assertArrayEquals(data, back);
    }

    private static void awaitNoRows(World world) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Database.count("select count(*) from material where job_id = ?::uuid", world.jobId) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("upload rows remain for job " + world.jobId);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}
