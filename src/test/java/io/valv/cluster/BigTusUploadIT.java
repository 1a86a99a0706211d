package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;

/**
 * A resumable upload at the size clients really send (issue #13): 5 GiB through the tus endpoint of the packaged
 * jar under {@code -Xmx256m}, with the real tus-java-client, in PATCHes of 640 MiB (neither a part nor a segment
 * multiple, so every PATCH ends inside a part whose tail must be kept, encrypted, until the next one). If any
 * state grew with the file the JVM would die of an OutOfMemoryError; the stored material has the size and the
 * SHA-256 the client computed, and ranges across PATCH boundaries read back the bytes that were sent.
 */
@ExtendWith(ClusterServices.class)
class BigTusUploadIT {

    static final long SIZE = 5L << 30;
    static final int MIB = 1 << 20;
    /** Bytes per PATCH: not a multiple of the 8 MiB part or the 64 KiB segment. */
    static final int PATCH = 640 * MIB + 12_345;

    private Cluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFiveGibibyteTusUploadStreamsUnder256MibOfHeap() throws Exception {
        cluster = Cluster.create("big-tus");
        ValvProcess valv = cluster.replica("big", Map.of()).maxHeap("256m");
        valv.start().awaitReady(Duration.ofSeconds(150));
        Api api = new Api(valv);
        String job = Checks.newJob(api, "Five gibibytes, resumable");

        TusClient client = new TusClient();
        client.setUploadCreationURL(URI.create(valv.baseUrl() + "/api/v1/jobs/" + job + "/uploads").toURL());
        GeneratedContent source = new GeneratedContent(SIZE);
        TusUpload upload = new TusUpload();
        upload.setInputStream(source);
        upload.setSize(SIZE);
        upload.setMetadata(Map.of("filename", "week-of-interviews.mp4", "filetype", "video/mp4", "personal-data", "true"));
        long started = System.nanoTime();
        client.setHeaders(Map.of("Authorization", "Bearer " + Api.token("acme-upload")));
        TusUploader uploader = client.createUpload(upload);
        uploader.setChunkSize(4 * MIB);
        uploader.setRequestPayloadSize(PATCH);
        // the whole upload takes minutes: the next PATCH opened carries a token fresh enough for it
        while (uploader.uploadChunk() > -1) {
            client.setHeaders(Map.of("Authorization", "Bearer " + Api.token("acme-upload")));
        }
        uploader.finish();
        long uploadMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(SIZE, uploader.getOffset());
        URL location = uploader.getUploadURL();

        HttpResponse<byte[]> head = api.send("acme-upload", "HEAD", location.getPath(), null, "Tus-Resumable", "1.0.0");
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(SIZE), head.headers().firstValue("Upload-Offset").orElseThrow());
        String materialId = head.headers().firstValue("Valv-Material-Id").orElseThrow();
        JsonNode stored = api.json("acme-upload", "GET", "/api/v1/materials/" + materialId, null, 200);
        assertEquals("stored", stored.path("state").asText());
        assertEquals(SIZE, stored.path("size").asLong());
        assertEquals(source.sha256(), stored.path("sha256").asText(), "the SHA-256 of the bytes the client sent");

        // the bytes around two PATCH boundaries and at the very end are the bytes that were sent
        for (long from : new long[] { PATCH - 100_000L, 5L * PATCH - 3, SIZE - MIB }) {
            int length = (int) Math.min(200_000, SIZE - from);
            HttpResponse<byte[]> range = api.get("alice", "/api/v1/materials/" + materialId + "/content", "Range",
                    "bytes=" + from + "-" + (from + length - 1));
            assertEquals(206, range.statusCode(), "range from " + from);
            assertArrayEquals(GeneratedContent.bytesAt(from, length), range.body(), "range from " + from);
        }
        long peakKb = valv.peakRssKb();
        System.out.printf("BigTusUploadIT: 5 GiB via tus-java-client in %d PATCHes of %d bytes: %d ms (%.0f MB/s), "
                + "Valv VmHWM %d MiB under -Xmx256m%n", (SIZE + PATCH - 1) / PATCH, PATCH, uploadMillis,
                SIZE / 1e3 / uploadMillis, peakKb / 1024);
        assertTrue(valv.isAlive(), "Valv survived");
        Checks.assertChainIntact(api);
    }

    private static long peakRssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
