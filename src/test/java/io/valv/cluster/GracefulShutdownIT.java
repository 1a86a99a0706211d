package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.valv.testing.HeldBody;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Uploads;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A rolling update's SIGTERM (issue #20), on the packaged jar: replica A is stopped while three uploads are in
 * flight, with a grace of {@link #GRACE}. From the signal on, readiness is DOWN and a new upload is refused with
 * {@code 503 shutting-down} + {@code Retry-After}, changing nothing; a one-shot upload whose client finishes within
 * the grace is stored (201); a one-shot upload still held when the grace ends is cut off and rolled back by A itself
 * (no row, no object, no open multipart upload — the sweepers of B are minutes away); a resumable PATCH held
 * mid-part keeps what A read of it as its durable offset and gives its lease back, so replica B takes the rest at once
 * (no {@code 423}) and the file is intact. A exits within the grace plus the clean-up, and the audit chain verifies.
 */
@ExtendWith(ClusterServices.class)
class GracefulShutdownIT {

    static final int MIB = 1 << 20;
    static final Duration GRACE = Duration.ofSeconds(8);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Cluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sigtermRefusesNewTransfersLetsTheGraceFinishAndRollsBackTheRest() throws Exception {
        cluster = Cluster.create("shutdown");
        ValvProcess a = cluster.replica("replica-a", Map.of("QUARKUS_SHUTDOWN_TIMEOUT", GRACE.toSeconds() + "s"));
        ValvProcess b = cluster.replica("replica-b", Map.of("VALV_DEMO_ENABLED", "false"));
        a.start();
        a.awaitReady(Duration.ofSeconds(150));
        b.start();
        b.awaitReady(Duration.ofSeconds(150));
        Api apiA = new Api(a);
        Api apiB = new Api(b);
        String job = Checks.newJob(apiA, "Rolling update");

        // in flight on A: a one-shot upload that will finish, one that never does, and a resumable PATCH
        byte[] finishing = Uploads.randomBytes(20 * MIB, 21);
        HeldBody finishingBody = new HeldBody(finishing, 12 * MIB);
        CompletableFuture<HttpResponse<String>> finished = oneShot(a, job, "finishes.wav", finishing, finishingBody);
        byte[] abandoned = Uploads.randomBytes(20 * MIB, 22);
        HeldBody abandonedBody = new HeldBody(abandoned, 12 * MIB);
        CompletableFuture<HttpResponse<String>> cut = oneShot(a, job, "cut-off.wav", abandoned, abandonedBody);
        byte[] resumable = Uploads.randomBytes(2 * 8 * MIB + 4_321, 23);
        String path = createTus(apiA, job, resumable.length);
        long heldAt = 8 * MIB + 3 * MIB + 17;
        HeldBody patchBody = new HeldBody(resumable, heldAt);
        CompletableFuture<HttpResponse<String>> patch = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(a.baseUrl() + path))
                .header("Authorization", "Bearer " + Api.token("acme-upload")).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> patchBody), resumable.length))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        for (HeldBody held : new HeldBody[] { finishingBody, abandonedBody, patchBody }) {
            assertTrue(held.held.await(60, TimeUnit.SECONDS), "every upload reached its hold");
        }
        Poll.until("the first part of the PATCH durable", Duration.ofSeconds(60), 100,
                () -> cluster.count("select durable_offset from tus_upload where id = ?", id(path)) == 8L * MIB,
                () -> "durable offset " + cluster.count("select durable_offset from tus_upload where id = ?", id(path)));
        long materialsBefore = cluster.count("select count(*) from material where state = 'STORED'");
        int objectsBefore;
        try (S3Client s3 = S3ProxyResource.client()) {
            objectsBefore = cluster.objectKeys(s3).size();
        }

        long signalled = System.nanoTime();
        a.sigterm();
        Poll.until("A reports not ready", Duration.ofSeconds(10), 50, () -> status(a, "/q/health/ready") == 503,
                () -> "ready answers " + status(a, "/q/health/ready"));

        // a new upload is refused at the edge, and nothing of it is kept
        HttpResponse<byte[]> refused = apiA.send("acme-upload", "POST", "/api/v1/jobs/" + job + "/materials",
                "late".getBytes(StandardCharsets.UTF_8), "Content-Disposition", "attachment; filename=\"late.txt\"",
                "Valv-Personal-Data", "false", "Content-Type", "application/octet-stream");
        assertEquals(503, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("/shutting-down"));
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        long refusedAfterMs = (System.nanoTime() - signalled) / 1_000_000;

        // the client that finishes within the grace gets its material
        finishingBody.release.countDown();
        HttpResponse<String> stored = finished.get(GRACE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(201, stored.statusCode(), stored.body());
        String finishedId = Api.JSON.readTree(stored.body()).path("id").asText();

        int exit = a.awaitExit(GRACE.plusSeconds(20));
        long exitedAfterMs = (System.nanoTime() - signalled) / 1_000_000;
        assertNotEquals(-1, exit, "A exited by itself after the grace and the clean-up");
        assertTrue(exitedAfterMs >= GRACE.toMillis() - 500, "A waited for the grace: " + exitedAfterMs + " ms");
        abandonedBody.release.countDown();
        patchBody.release.countDown();
        assertTrue(cut.handle((r, e) -> e != null || r.statusCode() >= 500).get(60, TimeUnit.SECONDS),
                "the cut-off upload did not succeed");
        assertTrue(patch.handle((r, e) -> e != null || r.statusCode() >= 500).get(60, TimeUnit.SECONDS),
                "the cut-off PATCH did not succeed");

        // A rolled the cut-off upload back itself: only the finished material and the open tus upload are left
        assertEquals(materialsBefore + 1, cluster.count("select count(*) from material where state = 'STORED'"));
        assertEquals(0, cluster.count("select count(*) from material where filename = 'cut-off.wav'"),
                "no row of the cut-off upload");
        assertEquals(0, cluster.count("select count(*) from material where filename = 'late.txt'"));
        try (S3Client s3 = S3ProxyResource.client()) {
            assertEquals(1, cluster.pendingMultipartUploads(s3), "only the resumable upload's multipart upload is open");
        }

        // the PATCH kept what arrived, gave its lease back, and B takes the rest at once
        HttpResponse<byte[]> head = apiB.send("acme-upload", "HEAD", path, null, "Tus-Resumable", "1.0.0");
        assertEquals(200, head.statusCode());
        long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
        // what A had read of the held PATCH is durable (the last few KiB may still have sat in socket buffers)
        assertTrue(offset > 8L * MIB && offset <= heldAt, "durable offset " + offset + " past the part, up to " + heldAt);
        HttpResponse<byte[]> rest = apiB.send("acme-upload", "PATCH", path,
                Arrays.copyOfRange(resumable, (int) offset, resumable.length), "Tus-Resumable", "1.0.0", "Upload-Offset",
                String.valueOf(offset), "Content-Type", "application/offset+octet-stream");
        assertEquals(204, rest.statusCode(), new String(rest.body(), StandardCharsets.UTF_8));
        String resumedId = rest.headers().firstValue("Valv-Material-Id").orElseThrow();
        assertArrayEquals(resumable, apiB.get("alice", "/api/v1/materials/" + resumedId + "/content").body());
        JsonNode resumedMaterial = apiB.json("acme-upload", "GET", "/api/v1/materials/" + resumedId, null, 200);
        assertEquals(sha256(resumable), resumedMaterial.path("sha256").asText());
        assertArrayEquals(finishing, apiB.get("alice", "/api/v1/materials/" + finishedId + "/content").body());
        try (S3Client s3 = S3ProxyResource.client()) {
            assertEquals(objectsBefore + 2, cluster.objectKeys(s3).size(),
                    "two objects more: the finished and the resumed material");
            Poll.until("no multipart upload left open", Duration.ofSeconds(15), 200,
                    () -> cluster.pendingMultipartUploads(s3) == 0, () -> cluster.pendingMultipartUploads(s3) + " open");
        }
        Checks.assertChainIntact(apiB);
        System.out.printf("SIGTERM: new upload refused after %d ms; A exited after %d ms (grace %d s); resumed on B at %d"
                + " of %d bytes%n", refusedAfterMs, exitedAfterMs, GRACE.toSeconds(), offset, resumable.length);
    }

    private static CompletableFuture<HttpResponse<String>> oneShot(ValvProcess replica, String job, String filename,
            byte[] content, HeldBody body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/api/v1/jobs/" + job + "/materials"))
                .header("Authorization", "Bearer " + Api.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Valv-Personal-Data", "true").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                        content.length))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String createTus(Api api, String job, long length) {
        HttpResponse<byte[]> created = api.send("acme-upload", "POST", "/api/v1/jobs/" + job + "/uploads", null,
                "Tus-Resumable", "1.0.0", "Upload-Length", String.valueOf(length), "Upload-Metadata",
                "filename " + b64("resumed.wav") + ",filetype " + b64("audio/wav") + ",personal-data " + b64("true"));
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
        return URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
    }

    private static int status(ValvProcess replica, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + path)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String id(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
