package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Load under a small heap (issue #20), on the packaged jar with {@code -Xmx256m} and the limits its heap gives
 * (2 uploads, 16 downloads at once): 32 clients upload 1 GiB each at the same moment, then 64 clients download a
 * 256 MiB material at the same moment. Every request either completes — byte for byte, the upload's SHA-256 the
 * one the client computed, the download the bytes uploaded — or is refused at once with {@code 503 transfers-busy}
 * and {@code Retry-After}; the uploaders are curl with {@code Expect: 100-continue}, so a refused upload sends no
 * body. No {@code OutOfMemoryError}; the JVM's peak RSS and its GC pauses are printed
 * (docs/operations.md, "Load").
 */
@ExtendWith(ClusterServices.class)
class LoadIT {

    static final long GIB = 1L << 30;
    static final int MIB = 1 << 20;
    static final int UPLOADERS = 32;
    static final int DOWNLOADERS = 64;
    static final long DOWNLOAD_SIZE = 256L * MIB;
    private static final Pattern PAUSE = Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");

    private Cluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void uploadsAndDownloadsPastTheLimitAreRefusedAndTheRestCompleteIn256MibOfHeap() throws Exception {
        cluster = Cluster.create("load");
        Path gcLog = ValvProcess.LOGS.resolve("load-gc.log").toAbsolutePath();
        Files.deleteIfExists(gcLog);
        ValvProcess valv = cluster.replica("load", Map.of("VALV_TRANSFERS_MAX_UPLOADS", "2",
                "VALV_TRANSFERS_MAX_DOWNLOADS", "16", "JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcLog)).maxHeap("256m");
        valv.start().awaitReady(Duration.ofSeconds(150));
        Api api = new Api(valv);
        String job = Checks.newJob(api, "Under load");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        // 32 uploads of 1 GiB at once, each by its own curl (JDK 17's HttpClient never returns a final answer to
        // an Expect: 100-continue request, JDK-8286171; curl stops before the body when refused)
        ConcurrentLinkedQueue<Integer> uploadStatuses = new ConcurrentLinkedQueue<>();
        Path responses = Files.createDirectories(ValvProcess.LOGS.resolve("load-responses"));
        long started = System.nanoTime();
        Checks.concurrently(UPLOADERS, t -> {
            Curl r = curlUpload(valv, job, "load-" + t + ".wav", GIB, responses.resolve("upload-" + t));
            uploadStatuses.add(r.status());
            if (r.status() == 201) {
                assertEquals(r.sha256(), Api.JSON.readTree(r.body()).path("sha256").asText(), "stored as sent");
            } else {
                assertBusy(r.status(), r.retryAfter(), r.body());
            }
        });
        long uploadMillis = (System.nanoTime() - started) / 1_000_000;
        long uploaded = uploadStatuses.stream().filter(s -> s == 201).count();
        assertEquals(UPLOADERS, uploadStatuses.size());
        assertTrue(uploaded >= 2, "at least the limit's worth completed: " + uploadStatuses);
        long rssAfterUploads = valv.peakRssKb();

        // 64 downloads of a 256 MiB material at once
        String material = uploadGenerated(http, valv, job, DOWNLOAD_SIZE);
        ConcurrentLinkedQueue<Integer> downloadStatuses = new ConcurrentLinkedQueue<>();
        String content = valv.baseUrl() + "/api/v1/materials/" + material + "/content";
        started = System.nanoTime();
        Checks.concurrently(DOWNLOADERS, t -> {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(content))
                    .header("Authorization", "Bearer " + Api.token("alice")).timeout(Duration.ofMinutes(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            downloadStatuses.add(r.statusCode());
            try (InputStream in = r.body()) {
                if (r.statusCode() == 200) {
                    assertEquals(DOWNLOAD_SIZE, readAndCompare(in), "the whole material");
                } else {
                    assertBusy(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                            new String(in.readAllBytes()));
                }
            }
        });
        long downloadMillis = (System.nanoTime() - started) / 1_000_000;
        long downloaded = downloadStatuses.stream().filter(s -> s == 200).count();
        assertEquals(DOWNLOADERS, downloadStatuses.size());
        assertTrue(downloaded >= 16, "at least the limit's worth completed: " + downloadStatuses);

        assertTrue(valv.isAlive(), "Valv survived");
        assertFalse(valv.allLogs().contains("OutOfMemoryError"), "no OutOfMemoryError");
        long peakKb = valv.peakRssKb();
        Gc gc = Gc.of(gcLog);
        System.out.printf("LoadIT (-Xmx256m, limits 2 uploads / 16 downloads): %d uploads of 1 GiB at once: %d stored, %d"
                + " refused, %d ms; %d downloads of 256 MiB at once: %d complete, %d refused, %d ms; VmHWM %d MiB after the"
                + " uploads, %d MiB in all; GC: %d pauses, %.0f ms in all, longest %.1f ms, heap after GC at most %d MiB%n",
                UPLOADERS, uploaded, UPLOADERS - uploaded, uploadMillis, DOWNLOADERS, downloaded, DOWNLOADERS - downloaded,
                downloadMillis, rssAfterUploads / 1024, peakKb / 1024, gc.pauses, gc.totalMs, gc.longestMs, gc.maxAfterMb);
        assertTrue(gc.pauses > 0, "the GC log was read");
        assertTrue(gc.maxAfterMb < 256, "live heap after GC stays under the cap: " + gc.maxAfterMb + " MiB");
        Checks.assertChainIntact(api);
    }

    /** What curl got: the status, the Retry-After header, the body, and the SHA-256 of what it sent (null if cut short). */
    record Curl(int status, String retryAfter, String body, String sha256) {
    }

    /** One upload by curl, chunked, {@code Expect: 100-continue}, fed {@code size} generated bytes on its stdin. */
    private static Curl curlUpload(ValvProcess valv, String job, String filename, long size, Path out) throws Exception {
        Path headers = Path.of(out + ".headers");
        Path body = Path.of(out + ".body");
        Process curl = new ProcessBuilder("curl", "-sS", "-X", "POST", "-T", "-", "-o", body.toString(), "-D",
                headers.toString(), "-w", "%{http_code}", "-H", "Authorization: Bearer " + Api.token("acme-upload"), "-H",
                "Content-Disposition: attachment; filename=\"" + filename + "\"", "-H", "Valv-Personal-Data: true", "-H",
                "Content-Type: audio/wav", "-H", "Expect: 100-continue",
                valv.baseUrl() + "/api/v1/jobs/" + job + "/materials").redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        GeneratedContent content = new GeneratedContent(size);
        boolean sentAll = false;
        try (var stdin = curl.getOutputStream()) {
            byte[] buffer = new byte[MIB];
            for (int n; (n = content.read(buffer, 0, buffer.length)) > 0;) {
                stdin.write(buffer, 0, n);
            }
            sentAll = true;
        } catch (IOException e) {
            // curl stopped reading: the upload was refused, or failed
        }
        String code = new String(curl.getInputStream().readAllBytes()).trim();
        assertTrue(curl.waitFor(10, java.util.concurrent.TimeUnit.MINUTES), "curl ended");
        String retryAfter = Files.readAllLines(headers).stream().filter(h -> h.regionMatches(true, 0, "Retry-After:", 0, 12))
                .map(h -> h.substring(12).trim()).findFirst().orElse(null);
        return new Curl(Integer.parseInt(code), retryAfter, Files.readString(body), sentAll ? content.sha256() : null);
    }

    /** Uploads {@code size} generated bytes (the same as {@link GeneratedContent#bytesAt}); returns the material id. */
    private static String uploadGenerated(HttpClient http, ValvProcess valv, String job, long size) throws Exception {
        GeneratedContent body = new GeneratedContent(size);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(valv.baseUrl() + "/api/v1/jobs/" + job
                + "/materials")).header("Authorization", "Bearer " + Api.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"download.wav\"").header("Valv-Personal-Data", "true")
                .header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size))
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return Api.JSON.readTree(r.body()).path("id").asText();
    }

    /** Reads the whole body, comparing it with the generated bytes as it comes; returns how many bytes. */
    private static long readAndCompare(InputStream in) throws IOException {
        byte[] buffer = new byte[MIB];
        long position = 0;
        for (int n; (n = in.read(buffer)) > 0; position += n) {
            if (!Arrays.equals(buffer, 0, n, GeneratedContent.bytesAt(position, n), 0, n)) {
                assertArrayEquals(GeneratedContent.bytesAt(position, n), Arrays.copyOf(buffer, n),
                        "bytes at " + position);
            }
        }
        return position;
    }

    private static void assertBusy(int status, String retryAfter, String body) {
        assertEquals(503, status, body);
        assertTrue(body.contains("/transfers-busy"), body);
        assertEquals("10", retryAfter);
    }

    /** The stop-the-world pauses in a {@code -Xlog:gc} file. */
    record Gc(int pauses, double totalMs, double longestMs, int maxAfterMb) {
        static Gc of(Path log) {
            try {
                int pauses = 0;
                double total = 0;
                double longest = 0;
                int maxAfter = 0;
                List<String> lines = Files.readAllLines(log);
                for (String line : lines) {
                    Matcher m = PAUSE.matcher(line);
                    if (m.find()) {
                        pauses++;
                        double ms = Double.parseDouble(m.group(4));
                        total += ms;
                        longest = Math.max(longest, ms);
                        maxAfter = Math.max(maxAfter, Integer.parseInt(m.group(2)));
                    }
                }
                return new Gc(pauses, total, longest, maxAfter);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
