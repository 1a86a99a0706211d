package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Return of data at the size clients really send (issue 19): a 5 GiB recording uploaded to the packaged
 * jar under {@code -Xmx256m}, then exported and read back through a ZIP reader on the fly. Both directions
 * stream in constant memory, or the JVM dies of an OutOfMemoryError; the file in the archive is the file
 * uploaded, byte for byte (SHA-256), and the signed manifest at the end names it.
 */
@ExtendWith(ClusterServices.class)
class BigExportIT {

    static final long SIZE = 5L << 30;
    static final int MIB = 1 << 20;

    private Cluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFiveGibibyteExportStreamsUnder256MibOfHeap() throws Exception {
        cluster = Cluster.create("big-export");
        ValvProcess valv = cluster.replica("big", java.util.Map.of()).maxHeap("256m");
        valv.start().awaitReady(Duration.ofSeconds(150));
        Api api = new Api(valv);
        String job = Checks.newJob(api, "Five gibibytes");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        GeneratedContent body = new GeneratedContent(SIZE);
        long started = System.nanoTime();
        HttpResponse<String> uploaded = http
                .send(HttpRequest.newBuilder(URI.create(valv.baseUrl() + "/api/v1/jobs/" + job + "/materials"))
                        .header("Authorization", "Bearer " + Api.token("acme-upload"))
                        .header("Content-Disposition", "attachment; filename=\"long-interview.wav\"")
                        .header("Valv-Personal-Data", "true")
                        .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                        .timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        long uploadMillis = (System.nanoTime() - started) / 1_000_000;
        String sha256 = body.sha256();
        assertEquals(sha256, Api.JSON.readTree(uploaded.body()).path("sha256").asText());

        started = System.nanoTime();
        HttpResponse<InputStream> export = http.send(HttpRequest.newBuilder(URI.create(valv.baseUrl()
                + "/api/v1/clients/acme/export?jobId=" + job)).header("Authorization", "Bearer " + Api.token("acme-admin"))
                .timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, export.statusCode());
        String exportedSha = null;
        long exportedBytes = 0;
        JsonNode manifest = null;
        try (ZipInputStream zip = new ZipInputStream(export.body())) {
            byte[] buffer = new byte[MIB];
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().startsWith("files/")) {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    for (int n; (n = zip.read(buffer)) > 0;) {
                        digest.update(buffer, 0, n);
                        exportedBytes += n;
                    }
                    exportedSha = HexFormat.of().formatHex(digest.digest());
                } else if (e.getName().equals("manifest.json")) {
                    manifest = Api.JSON.readTree(zip.readAllBytes());
                }
            }
        }
        long exportMillis = (System.nanoTime() - started) / 1_000_000;
        long peakKb = valv.peakRssKb();
        System.out.printf("BigExportIT: 5 GiB upload %d ms (%.0f MB/s), export %d ms (%.0f MB/s), Valv VmHWM %d MiB "
                + "under -Xmx256m%n", uploadMillis, SIZE / 1e3 / uploadMillis, exportMillis, SIZE / 1e3 / exportMillis,
                peakKb / 1024);
        assertEquals(SIZE, exportedBytes, "the whole file is in the archive");
        assertEquals(sha256, exportedSha, "byte for byte what was uploaded");
        assertTrue(manifest != null && manifest.path("complete").asBoolean(), "signed manifest says complete: " + manifest);
        assertEquals(sha256, manifest.path("files").path(0).path("sha256").asText());
        assertTrue(valv.isAlive(), "Valv survived");
    }
}
