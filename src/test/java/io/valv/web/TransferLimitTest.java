package io.valv.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.HeldBody;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * The transfer limit (issue #20): with one upload and one download allowed at once, a second of either is
 * refused at the edge with {@code 503 transfers-busy} and {@code Retry-After}, changing nothing (no material
 * row), and is taken as soon as the first has ended, whether it completed or its client went away. A body that
 * trickles (here 500 B/s against a minimum of 8 KiB/s over 2 s of waiting) is cut off and gives its slot back.
 */
@QuarkusTest
@TestProfile(TransferLimitTest.OneAtATime.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class TransferLimitTest {

    static final int MIB = 1 << 20;

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("valv.transfers.max-uploads", "1", "valv.transfers.max-downloads", "1",
                    "valv.transfers.min-upload-rate", "8K", "valv.transfers.min-upload-rate-window", "2s");
        }
    }

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aSecondUploadWaitsForTheFirstToEnd() throws Exception {
        World world = World.create();
        HeldBody body = new HeldBody(3 * MIB, MIB);
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(URI.create(base
                + "api/v1/jobs/" + world.jobId + "/materials"))
                .header("Authorization", "Bearer " + Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename=\"first.wav\"").header("Valv-Personal-Data", "false")
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(body.held.await(30, TimeUnit.SECONDS), "the first upload is under way");

        try {
            given().auth().oauth2(Tokens.uploader(world.client))
                    .header("Content-Disposition", "attachment; filename=second.wav").header("Valv-Personal-Data", "false")
                    .contentType("audio/wav").body(Uploads.randomBytes(1000, 3)).post(Uploads.url(world.jobId)).then()
                    .statusCode(503).contentType("application/problem+json").header("Retry-After", "10")
                    .body("type", endsWith("/transfers-busy"));
        } finally {
            body.release.countDown();
        }
        assertEquals(201, first.get(60, TimeUnit.SECONDS).statusCode());
        assertEquals(1, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId),
                "the refused upload left nothing: the one material is the first");
        Uploads.stored(world, world.jobId, "second.wav", Uploads.randomBytes(1000, 3));
    }

    @Test
    void aClientThatExpects100ContinueIsToldToSendItsBodyOnlyWhenTheUploadIsTaken() throws Exception {
        World world = World.create();
        // raw sockets: what the server answers to the head alone is the point (JDK 17's HttpClient never returns
        // a final answer to an Expect: 100-continue request, JDK-8286171)
        try (Socket first = new Socket(base.getHost(), base.getPort());
                Socket second = new Socket(base.getHost(), base.getPort())) {
            first.setSoTimeout(30_000);
            second.setSoTimeout(30_000);
            BufferedReader firstIn = expectContinue(first, world, "first.wav", 2000);
            // the interim answer comes once the upload is taken and its body is read (Quarkus sends it then)
            assertEquals("HTTP/1.1 100 Continue", firstIn.readLine(), "the first is taken: send the body");
            BufferedReader secondIn = expectContinue(second, world, "second.wav", 1000);
            assertEquals("HTTP/1.1 503 Service Unavailable", secondIn.readLine(), "the second is refused before its body");
            first.getOutputStream().write(Uploads.randomBytes(2000, 6));
            first.getOutputStream().flush();
            firstIn.readLine(); // the blank line after the interim answer
            assertEquals("HTTP/1.1 201 Created", firstIn.readLine());
        }
        assertEquals(1, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId));
    }

    private static BufferedReader expectContinue(Socket socket, World world, String filename, int length)
            throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/jobs/" + world.jobId + "/materials HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + Tokens.uploader(world.client) + "\r\n"
                + "Content-Disposition: attachment; filename=\"" + filename + "\"\r\nValv-Personal-Data: false\r\n"
                + "Content-Type: audio/wav\r\nContent-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Test
    void aTricklingBodyIsCutOffAndGivesItsSlotBack() throws Exception {
        World world = World.create();
        long start = System.nanoTime();
        String status;
        // a raw socket: an HTTP client library would gather the trickle into larger writes
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs/" + world.jobId + "/materials HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + Tokens.uploader(world.client) + "\r\n"
                    + "Content-Disposition: attachment; filename=\"slow.wav\"\r\nValv-Personal-Data: false\r\n"
                    + "Content-Type: audio/wav\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread trickle = new Thread(() -> {
                byte[] hundred = new byte[100];
                try {
                    for (int sent = 0; sent < 1_000_000; sent += 100) {
                        out.write(hundred);
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // cut off by the server, or the test is over
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            trickle.interrupt();
        }
        long endedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("HTTP/1.1 408 Request Timeout", status);
        assertTrue(endedMs < 15_000, "cut off after the 2 s window, not the 60 s idle timeout: " + endedMs + " ms");
        // its one upload slot is free again (at once, or once the connection's end has been seen), and nothing of it was kept
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int next;
        while ((next = given().auth().oauth2(Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename=after.wav").header("Valv-Personal-Data", "false")
                .contentType("audio/wav").body(Uploads.randomBytes(1000, 4)).post(Uploads.url(world.jobId))
                .statusCode()) == 503) {
            assertTrue(System.nanoTime() < deadline, "the slot comes back");
            Thread.sleep(100);
        }
        assertEquals(201, next);
        assertEquals(0, Database.count("select count(*) from material where job_id = ?::uuid and filename = 'slow.wav'",
                world.jobId), "nothing of the trickling upload is kept");
    }

    @Test
    void aSecondDownloadWaitsForAReaderThatStoppedReading() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "long.wav", Uploads.randomBytes(24 * MIB, 5));
        String content = base + "api/v1/materials/" + id + "/content";
        // a reader that takes the head and then stops reading: the response cannot end while it holds it
        HttpResponse<InputStream> stalled = http.send(HttpRequest.newBuilder(URI.create(content))
                .header("Authorization", "Bearer " + Tokens.staff("alice")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stalled.statusCode());

        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(503)
                .header("Retry-After", "10").body("type", endsWith("/transfers-busy"));
        // metadata is no transfer
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id).then().statusCode(200);

        stalled.body().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int status;
        while ((status = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content")
                .statusCode()) == 503) {
            assertTrue(System.nanoTime() < deadline, "the slot comes back once the reader has gone");
            Thread.sleep(200);
        }
        assertEquals(200, status);
    }
}
