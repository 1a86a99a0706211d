package io.valv.material;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.valv.testing.Database;
import io.valv.testing.NetworkCut;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Resumable uploads with the official tus JavaScript client (npm {@code tus-js-client} 4.3.1, run by Node from
 * {@code src/test/node}): the client browsers use, with its own retry and resume logic, against S3Proxy.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class TusJsClientTest {

    private static final File NODE_DIR = new File("src/test/node");
    private static final int MIB = MaterialApiTest.MIB;

    /** 1 MiB chunks, as a browser page sends them: every PATCH's offset is the one it reached. */
    @Test
    void browserSizedChunksArriveByteIdentical() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(17 * MIB + 333, 51);
        Process node = start(world, RestAssured.port, data, String.valueOf(MIB));
        JsonNode result = finish(node);
        List<Long> offsets = new ObjectMapper().convertValue(result.get("offsets"),
                new com.fasterxml.jackson.core.type.TypeReference<List<Long>>() {
                });
        assertEquals(18, offsets.size(), "one PATCH per chunk: " + offsets);
        for (int i = 0; i < offsets.size(); i++) {
            assertEquals(Math.min((long) (i + 1) * MIB, data.length), offsets.get(i), "offset after PATCH " + (i + 1));
        }
        assertStoredIdentical(world, result.get("materialId").asText(), data);
        StoredObjects.awaitNoOrphans();
    }

    /** One PATCH for the whole file, its connection cut mid-body: tus-js-client retries, resumes, completes. */
    @Test
    void aCutConnectionIsResumedByTheClientItself() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(30 * MIB + 5, 52);
        try (NetworkCut link = new NetworkCut(RestAssured.port)) {
            // the link stalls after 20 MiB of the body, so the cut lands mid-way however fast the machine is
            link.stallUpstreamAfter(20L * MIB);
            Process node = start(world, link.port(), data, "Infinity");
            // cut once the server holds more than a part and a bit of the next one
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (durableOffset(world) < 9L * MIB && System.nanoTime() < deadline && node.isAlive()) {
                Thread.sleep(20);
            }
            long beforeCut = durableOffset(world);
            assertTrue(beforeCut >= 9L * MIB && beforeCut < data.length, "the upload was mid-way: " + beforeCut);
            link.cut();
            Thread.sleep(1500);
            link.restore();
            JsonNode result = finish(node);
            assertStoredIdentical(world, result.get("materialId").asText(), data);
        }
        StoredObjects.awaitNoOrphans();
    }

    private static Process start(World world, int port, byte[] data, String chunkSize) throws IOException {
        Path file = Files.createTempFile("valv-tus-js", ".bin");
        file.toFile().deleteOnExit();
        Files.write(file, data);
        ProcessBuilder builder = new ProcessBuilder("node", "tus-upload.js",
                "http://127.0.0.1:" + port + "/api/v1/jobs/" + world.jobId + "/uploads", file.toString(), chunkSize,
                "interview.wav").directory(NODE_DIR).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("VALV_TOKEN", Tokens.uploader(world.client));
        return builder.start();
    }

    private static JsonNode finish(Process node) throws Exception {
        assertTrue(node.waitFor(180, TimeUnit.SECONDS), "tus-js-client finished in time");
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), "tus-js-client: " + out);
        JsonNode result = new ObjectMapper().readTree(out);
        assertNotNull(result.get("materialId"), "the completing request answered Valv-Material-Id: " + out);
        return result;
    }

    private static long durableOffset(World world) {
        return Database.count("select coalesce(max(u.durable_offset), 0) from tus_upload u join material m "
                + "on m.id = u.material_id where m.job_id = ?::uuid", world.jobId);
    }

    private static void assertStoredIdentical(World world, String materialId, byte[] data) throws Exception {
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/materials/" + materialId).then().statusCode(200)
                .body("size", equalTo(data.length)).body("state", equalTo("stored"))
                .body("sha256", equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))));
        byte[] content = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + materialId + "/content")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(data, content);
    }
}
