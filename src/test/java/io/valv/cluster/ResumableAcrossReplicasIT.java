package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
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
 * A resumable upload (tus 1.0.0) survives the replica that was taking it (issue #13): two replicas of the packaged
 * jar on one database and bucket; replica A takes a PATCH that sends the whole file and is SIGKILLed once two parts
 * are durable; replica B answers HEAD with that durable offset, refuses a PATCH while A's lease holds
 * ({@code 423 upload-busy}), then takes the rest, and the material is stored byte-identical with the SHA-256 a
 * one-shot upload reports, with no multipart upload left open and the audit chain intact.
 */
@ExtendWith(ClusterServices.class)
class ResumableAcrossReplicasIT {

    static final int MIB = 1 << 20;
    static final int PART = 8 * MIB;
    static final Duration LEASE = Duration.ofSeconds(10);

    private Cluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReplicaKilledMidPatchLeavesADurableOffsetThatAnotherReplicaResumesFrom() throws Exception {
        cluster = Cluster.create("tus-kill");
        Map<String, String> env = Map.of("VALV_UPLOAD_RESUMABLE_LEASE", LEASE.toSeconds() + "s");
        ValvProcess a = cluster.replica("replica-a", env);
        ValvProcess b = cluster.replica("replica-b", TwoReplicasIT.with(env, "VALV_DEMO_ENABLED", "false"));
        a.start();
        a.awaitReady(Duration.ofSeconds(150));
        b.start();
        b.awaitReady(Duration.ofSeconds(150));
        Api apiA = new Api(a);
        Api apiB = new Api(b);
        String job = Checks.newJob(apiA, "Resumable across replicas");
        byte[] data = Uploads.randomBytes(3 * PART + 12_345, 13);

        HttpResponse<byte[]> created = apiA.send("acme-upload", "POST", "/api/v1/jobs/" + job + "/uploads", null,
                "Tus-Resumable", "1.0.0", "Upload-Length", String.valueOf(data.length), "Upload-Metadata",
                "filename " + b64("kill.wav") + ",filetype " + b64("audio/wav") + ",personal-data " + b64("true"));
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
        String path = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
        String uploadId = path.substring(path.lastIndexOf('/') + 1);

        // one PATCH for the whole file into A, held after two parts and a half: A is killed while it waits
        int holdAt = 2 * PART + PART / 2;
        HeldBody body = new HeldBody(data, holdAt);
        CompletableFuture<HttpResponse<String>> patch = HttpClient.newHttpClient().sendAsync(HttpRequest
                .newBuilder(URI.create(a.baseUrl() + path)).header("Authorization", "Bearer " + Api.token("acme-upload"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> body), data.length))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(body.held.await(60, TimeUnit.SECONDS), "the PATCH reached its hold");
        Poll.until("two parts durable on A", Duration.ofSeconds(60), 100,
                () -> cluster.count("select durable_offset from tus_upload where id = ?", uploadId) == 2L * PART,
                () -> "durable offset " + cluster.count("select durable_offset from tus_upload where id = ?", uploadId));
        a.kill9();
        body.release.countDown();
        assertTrue(patch.handle((r, e) -> e != null || r.statusCode() >= 500).get(60, TimeUnit.SECONDS),
                "the killed replica's PATCH did not succeed");

        // B knows the durable offset: the two whole parts, not the half part A held only in memory
        HttpResponse<byte[]> head = apiB.send("acme-upload", "HEAD", path, null, "Tus-Resumable", "1.0.0");
        assertEquals(200, head.statusCode());
        long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(2L * PART, offset);

        // A's lease still holds the upload for a while: B refuses a PATCH meanwhile, then takes the rest
        long killedAt = System.nanoTime();
        List<Integer> refusals = new ArrayList<>();
        HttpResponse<byte[]> rest;
        while (true) {
            rest = apiB.send("acme-upload", "PATCH", path, Arrays.copyOfRange(data, (int) offset, data.length),
                    "Tus-Resumable", "1.0.0", "Upload-Offset", String.valueOf(offset), "Content-Type",
                    "application/offset+octet-stream");
            if (rest.statusCode() != 423) {
                break;
            }
            refusals.add(rest.statusCode());
            assertTrue(System.nanoTime() - killedAt < LEASE.multipliedBy(3).toNanos(), "the lease lapses");
            Thread.sleep(500);
        }
        assertEquals(204, rest.statusCode(), new String(rest.body(), StandardCharsets.UTF_8));
        assertEquals(String.valueOf(data.length), rest.headers().firstValue("Upload-Offset").orElseThrow());
        String materialId = rest.headers().firstValue("Valv-Material-Id").orElseThrow();

        JsonNode stored = apiB.json("acme-upload", "GET", "/api/v1/materials/" + materialId, null, 200);
        assertEquals("stored", stored.path("state").asText());
        assertEquals(data.length, stored.path("size").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                stored.path("sha256").asText(), "the SHA-256 sha256sum prints");
        HttpResponse<byte[]> content = apiB.get("alice", "/api/v1/materials/" + materialId + "/content");
        assertEquals(200, content.statusCode());
        assertArrayEquals(data, content.body(), "byte-identical after the kill and the resume");
        try (S3Client s3 = S3ProxyResource.client()) {
            assertEquals(1, cluster.objectKeys(s3).size(), "one object, the material's");
            Poll.until("no multipart upload left open", Duration.ofSeconds(15), 200,
                    () -> cluster.pendingMultipartUploads(s3) == 0, () -> cluster.pendingMultipartUploads(s3) + " open");
        }
        assertEquals(1, cluster.count("select count(*) from tus_upload where id = ? and completed", uploadId),
                "the upload is complete");
        Checks.assertChainIntact(apiB);
        System.out.printf("resumed on B at %d of %d bytes after %d refusal(s) while A's lease held%n", offset,
                data.length, refusals.size());
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
