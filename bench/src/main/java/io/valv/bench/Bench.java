package io.valv.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * The benchmark client. bench/run starts S3Proxy and Valv and calls this once per phase:
 * <pre>
 *   setup                         create sub-processor, client, DPA, job, assignment (state/job)
 *   s3warm FILE                   untimed direct put+get, to warm S3Proxy before the cold phases
 *   upload LABEL FILE SHA256      one timed upload through Valv, recorded as LABEL.*
 *   warm FILE SHA256              warm uploads, downloads and ranges, Valv vs direct S3
 *   tus NODE_DIR FILE SHA256 PEER_URL   resumable uploads with tus-js-client: Valv's tus endpoint, Valv's one-shot
 *                                 POST from the same Node process, and @tus/server + @tus/s3-store at PEER_URL
 *   purge COUNT BYTES THREADS BATCH BUDGET_S   purge throughput, Valv vs direct multi-object delete ({@link Ops})
 *   audit SECONDS ROUNDS THREADS...   audit cost: audited vs unaudited reads, Valv's audit timer ({@link Ops})
 *   report OUT.md COMMAND...      write the markdown report from the recorded results
 * </pre>
 * Environment: BENCH_VALV (base URL), BENCH_S3 (S3Proxy URL), BENCH_KEY (PKCS#8 DER RSA key),
 * BENCH_RESULTS (results file, key=value lines, appended), BENCH_STATE (directory for ids).
 * Everything is streamed from/to files or a discarding sink; no GiB is ever held in memory.
 */
public final class Bench {

    static final long MiB = 1L << 20;
    static final int WARM_RUNS = 3;
    static final int RANGE_WARMUP = 5;
    static final int RANGE_RUNS = 20;
    static final String DIRECT_BUCKET = "bench-direct";

    private final Results results;
    private final Path state;
    private final String valv;
    private final String s3Endpoint;
    private final Jwt jwt;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    Bench() throws Exception {
        this.results = new Results(Path.of(env("BENCH_RESULTS")));
        this.state = Path.of(env("BENCH_STATE"));
        this.valv = System.getenv("BENCH_VALV");
        this.s3Endpoint = System.getenv("BENCH_S3");
        String key = System.getenv("BENCH_KEY");
        this.jwt = key == null ? null : new Jwt(Path.of(key));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Bench setup|upload|s3warm|warm|purge|audit|report ...");
            System.exit(2);
        }
        Bench bench = new Bench();
        int rc = switch (args[0]) {
            case "setup" -> bench.setup();
            case "upload" -> bench.uploadOnce(args[1], Path.of(args[2]), args[3]);
            case "download" -> bench.downloadOnce(args[1], Files.readString(bench.state.resolve(args[2] + ".id")).trim(),
                    Long.parseLong(args[3]));
            case "s3warm" -> bench.s3warm(Path.of(args[1]));
            case "warm" -> bench.warm(Path.of(args[1]), args[2]);
            case "ranges" -> bench.rangesOnly(Path.of(args[1]));
            case "tus" -> bench.tus(Path.of(args[1]), Path.of(args[2]), args[3], args[4]);
            case "purge" -> bench.recorded("purge", () -> bench.ops().purge(Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5])));
            case "audit" -> bench.recorded("audit", () -> bench.ops().audit(Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]), Arrays.stream(args, 3, args.length).map(Integer::valueOf).toList()));
            case "report" -> Report.write(bench.results.read(), Path.of(args[1]),
                    String.join(" ", Arrays.asList(args).subList(2, args.length)));
            default -> {
                System.err.println("unknown command " + args[0]);
                yield 2;
            }
        };
        System.exit(rc);
    }

    /** Runs a phase; a failure is recorded as LABEL.error (the report shows it) instead of a figure. */
    private int recorded(String label, java.util.concurrent.Callable<Integer> phase) {
        try {
            return phase.call();
        } catch (Exception e) {
            e.printStackTrace();
            return fail(label, e);
        }
    }

    private Ops ops() {
        return new Ops(results, state, valv, s3Endpoint, jwt);
    }

    // ------------------------------------------------------------------------------------------ setup

    int setup() throws Exception {
        String admin = jwt.token("bench-admin", List.of("vault-admin"), null);
        post(admin, "/api/v1/subprocessors",
                "{\"name\":\"Object storage\",\"purpose\":\"storage\",\"country\":\"SE\",\"transferMechanism\":\"none\"}");
        post(admin, "/api/v1/clients", "{\"id\":\"bench\",\"name\":\"Bench AB\"}");
        post(admin, "/api/v1/clients/bench/dpas", "{\"reference\":\"DPA-B\",\"version\":\"1\",\"effectiveFrom\":\"2026-01-01\","
                + "\"personalDataAllowed\":true,\"retentionDays\":365,\"permittedSubProcessors\":[\"Object storage\"]}");
        String job = jsonString(post(admin, "/api/v1/jobs", "{\"clientId\":\"bench\",\"title\":\"bench\",\"reuseRequested\":false}"),
                "id");
        post(admin, "/api/v1/jobs/" + job + "/assignments", "{\"staff\":\"alice\"}");
        Files.createDirectories(state);
        Files.writeString(state.resolve("job"), job);
        System.out.println("setup: job " + job);
        return 0;
    }

    private String post(String token, String path, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(valv + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(BodyPublishers.ofString(json)).build();
        HttpResponse<String> resp = http.send(req, BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " -> " + resp.statusCode() + " " + resp.body());
        }
        return resp.body();
    }

    // ------------------------------------------------------------------------------------------ Valv calls

    private String job() throws IOException {
        return Files.readString(state.resolve("job")).trim();
    }

    private String uploadToken() throws Exception {
        return jwt.token("bench-upload", List.of("client-uploader"), "bench");
    }

    private String readToken() throws Exception {
        return jwt.token("alice", List.of("staff"), null);
    }

    /** Uploads the file through Valv; returns {seconds, material id}. Fails unless 201 with the right size and hash. */
    private Object[] valvUpload(String token, Path file, String sha256) throws Exception {
        long size = Files.size(file);
        HttpRequest req = HttpRequest.newBuilder(URI.create(valv + "/api/v1/jobs/" + job() + "/materials"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"")
                .header("Valv-Personal-Data", "false").timeout(Duration.ofHours(2))
                .POST(BodyPublishers.ofFile(file)).build();
        long t0 = System.nanoTime();
        HttpResponse<String> resp = http.send(req, BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (resp.statusCode() != 201) {
            throw new IllegalStateException("upload -> HTTP " + resp.statusCode() + " " + truncate(resp.body()));
        }
        String id = jsonString(resp.body(), "id");
        long gotSize = jsonLong(resp.body(), "size");
        String gotSha = jsonString(resp.body(), "sha256");
        if (gotSize != size || !gotSha.equalsIgnoreCase(sha256)) {
            throw new IllegalStateException("upload answered size " + gotSize + " sha256 " + gotSha + ", expected " + size
                    + " " + sha256);
        }
        return new Object[] { seconds, id };
    }

    int uploadOnce(String label, Path file, String sha256) throws Exception {
        long size = Files.size(file);
        try {
            Object[] r = valvUpload(uploadToken(), file, sha256);
            double s = (double) r[0];
            results.put(label + ".ok", "true");
            results.put(label + ".bytes", size);
            results.put(label + ".seconds", fmt(s));
            results.put(label + ".mbps", fmt(size / s / 1e6));
            Files.writeString(state.resolve(label + ".id"), (String) r[1]);
            System.out.printf(Locale.ROOT, "%s: %d bytes in %.2f s = %.1f MB/s (material %s)%n", label, size, s,
                    size / s / 1e6, r[1]);
            return 0;
        } catch (Exception e) {
            results.put(label + ".ok", "false");
            results.put(label + ".bytes", size);
            results.put(label + ".error", oneLine(e.toString()));
            System.err.println(label + " FAILED: " + e);
            return 1;
        }
    }

    /**
     * One timed full download of an uploaded material (the body counted, not kept), with the Valv JVM's CPU per
     * GiB: for profiling and reruns outside the interleaved warm phase.
     */
    int downloadOnce(String label, String materialId, long size) throws Exception {
        URI content = URI.create(valv + "/api/v1/materials/" + materialId + "/content");
        double cpu0 = valvCpuSeconds();
        double s = jdkCount(content, Map.of("Authorization", "Bearer " + readToken()), size);
        double cpu1 = valvCpuSeconds();
        results.put(label + ".mbps", fmt(size / s / 1e6));
        results.put(label + ".cpu.s_per_gib", fmt((cpu1 - cpu0) * (1L << 30) / size));
        System.out.printf(Locale.ROOT, "%s: %.1f MB/s, Valv CPU %.2f s/GiB%n", label, size / s / 1e6,
                (cpu1 - cpu0) * (1L << 30) / size);
        return 0;
    }

    /** Untimed: pushes the file through S3Proxy twice so that both cold-Valv phases meet an already warm store. */
    int s3warm(Path file) throws Exception {
        try (S3Client s3 = s3Client()) {
            try {
                s3.createBucket(b -> b.bucket(DIRECT_BUCKET));
            } catch (BucketAlreadyOwnedByYouException e) {
                // rerun against the same S3Proxy directory
            }
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                s3.putObject(b -> b.bucket(DIRECT_BUCKET).key("direct.bin"), RequestBody.fromFile(file));
                try (InputStream in = s3.getObject(b -> b.bucket(DIRECT_BUCKET).key("direct.bin"))) {
                    drain(in, null);
                }
                System.out.printf(Locale.ROOT, "s3warm pass %d: put+get %.1f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------ warm phase

    int warm(Path file, String sha256) throws Exception {
        long size = Files.size(file);
        int failures = 0;
        try (S3Client s3 = s3Client(); S3Presigner presigner = presigner()) {
            try {
                s3.createBucket(b -> b.bucket(DIRECT_BUCKET));
            } catch (BucketAlreadyOwnedByYouException e) {
                // rerun against the same S3Proxy directory
            }
            String uploadToken = uploadToken();
            String readToken = readToken();

            // --- 2. uploads: Valv vs direct PutObject, plus a presigned PUT with the JDK client for reference.
            // One untimed warm-up each, then the timed runs interleaved (Valv, direct, presigned, Valv, ...).
            String[] lastId = new String[1];
            Timed valvUp = () -> {
                Object[] r = valvUpload(uploadToken, file, sha256);
                lastId[0] = (String) r[1];
                return (double) r[0];
            };
            Timed directUp = () -> {
                long t0 = System.nanoTime();
                s3.putObject(PutObjectRequest.builder().bucket(DIRECT_BUCKET).key("direct.bin").build(),
                        RequestBody.fromFile(file));
                return (System.nanoTime() - t0) / 1e9;
            };
            Timed presignedUp = () -> {
                PresignedPutObjectRequest p = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofHours(1))
                        .putObjectRequest(o -> o.bucket(DIRECT_BUCKET).key("presigned.bin")));
                HttpRequest.Builder req = HttpRequest.newBuilder(p.url().toURI()).timeout(Duration.ofHours(1))
                        .PUT(BodyPublishers.ofFile(file));
                copySignedHeaders(p.signedHeaders(), req);
                long t0 = System.nanoTime();
                HttpResponse<String> resp = http.send(req.build(), BodyHandlers.ofString());
                double s = (System.nanoTime() - t0) / 1e9;
                if (resp.statusCode() != 200) {
                    throw new IllegalStateException("presigned PUT -> " + resp.statusCode() + " " + truncate(resp.body()));
                }
                return s;
            };
            // Same shape as Valv's store writes: ciphertext-sized parts of 8 x (1 MiB + 16), 2 in flight.
            Timed multipartUp = () -> directMultipart(s3, file, 8 * (MiB + 16), 2);
            failures += interleaved(size, List.of(new Named("up.valv", valvUp, valvUp),
                    new Named("up.direct", directUp, directUp), new Named("up.presigned", presignedUp, presignedUp),
                    new Named("up.multipart", multipartUp, multipartUp)));
            if (!completeSeconds.isEmpty()) {
                results.put("up.multipart.complete.samples",
                        completeSeconds.stream().map(Bench::fmt).collect(Collectors.joining(" ")));
                results.put("up.multipart.complete.s", fmt(median(completeSeconds)));
            }
            String id = lastId[0];
            if (id != null) {
                Files.writeString(state.resolve("warm.id"), id);
            }

            // --- 3. downloads. The untimed first pass of each path hashes the body and checks it against the
            // file; the timed passes discard the body and only count bytes.
            URI content = URI.create(valv + "/api/v1/materials/" + id + "/content");
            URI presignedGet = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofHours(2))
                    .getObjectRequest(o -> o.bucket(DIRECT_BUCKET).key("direct.bin"))).url().toURI();
            Map<String, String> auth = Map.of("Authorization", "Bearer " + readToken);
            Opener directOpen = () -> s3.getObject(GetObjectRequest.builder().bucket(DIRECT_BUCKET).key("direct.bin").build());
            List<Named> downloads = new ArrayList<>();
            if (id == null) {
                results.put("down.valv.error", "no material was uploaded in the warm phase");
                failures++;
            } else {
                downloads.add(new Named("down.valv", verify(size, sha256, () -> jdkOpen(content, auth)),
                        () -> jdkCount(content, auth, size)));
            }
            downloads.add(new Named("down.direct", verify(size, sha256, directOpen), () -> {
                long t0 = System.nanoTime();
                try (InputStream in = directOpen.open()) {
                    checkCount(drain(in, null), size);
                }
                return (System.nanoTime() - t0) / 1e9;
            }));
            downloads.add(new Named("down.presigned", verify(size, sha256, () -> jdkOpen(presignedGet, Map.of())),
                    () -> jdkCount(presignedGet, Map.of(), size)));
            if (id != null) {
                downloads.add(new Named("down.valv.huc", verify(size, sha256, () -> hucOpen(content, auth)),
                        () -> hucCount(content, auth, size)));
            }
            downloads.add(new Named("down.presigned.huc", verify(size, sha256, () -> hucOpen(presignedGet, Map.of())),
                    () -> hucCount(presignedGet, Map.of(), size)));
            failures += interleaved(size, downloads);

            failures += rangePhase(file, size, id, readToken, s3);
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * Rows 4a/4b and the latency decomposition: 1 MiB ranges from the middle of material {@code id} (an upload of
     * {@code file}) and of the direct object, a 1-byte range of each, and the metadata GET.
     */
    private int rangePhase(Path file, long size, String id, String readToken, S3Client s3) throws IOException {
        int failures = 0;
        URI content = URI.create(valv + "/api/v1/materials/" + id + "/content");
        // --- 4. 1 MiB ranges from the middle: segment-aligned, and straddling two 1 MiB segments.
        long aligned = (size / 2) / MiB * MiB;
        long[][] ranges = { { aligned, aligned + MiB - 1 }, { aligned + MiB / 2, aligned + MiB / 2 + MiB - 1 } };
        String[] names = { "aligned", "straddle" };
        for (int i = 0; i < ranges.length; i++) {
            long first = ranges[i][0];
            long last = ranges[i][1];
            results.put("range." + names[i] + ".first", first);
            results.put("range." + names[i] + ".last", last);
            Fetch valvRange = () -> {
                HttpRequest req = HttpRequest.newBuilder(content).header("Authorization", "Bearer " + readToken)
                        .header("Range", "bytes=" + first + "-" + last).timeout(Duration.ofMinutes(5)).GET().build();
                HttpResponse<byte[]> resp = http.send(req, BodyHandlers.ofByteArray());
                if (resp.statusCode() != 206) {
                    throw new IllegalStateException("range GET -> " + resp.statusCode() + " "
                            + truncate(new String(resp.body(), StandardCharsets.UTF_8)));
                }
                return resp.body();
            };
            Fetch directRange = () -> {
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder()
                        .bucket(DIRECT_BUCKET).key("direct.bin").range("bytes=" + first + "-" + last).build())) {
                    return in.readAllBytes();
                }
            };
            Map<String, Fetch> paths = new java.util.LinkedHashMap<>();
            if (id != null) {
                paths.put("range." + names[i] + ".valv", valvRange);
            }
            paths.put("range." + names[i] + ".direct", directRange);
            failures += ranges(file, first, last, paths, id == null ? null : "range." + names[i] + ".valv");
        }

        // --- Latency decomposition (details only): a 1-byte range (one segment decrypted, almost no
        // transfer) and the metadata GET (authorisation and database, no storage), to separate Valv's fixed
        // per-request cost from the data path.
        long mid = size / 2;
        Map<String, Fetch> tiny = new java.util.LinkedHashMap<>();
        if (id != null) {
            tiny.put("lat.byte.valv", () -> {
                HttpRequest req = HttpRequest.newBuilder(content).header("Authorization", "Bearer " + readToken)
                        .header("Range", "bytes=" + mid + "-" + mid).timeout(Duration.ofMinutes(5)).GET().build();
                HttpResponse<byte[]> resp = http.send(req, BodyHandlers.ofByteArray());
                if (resp.statusCode() != 206) {
                    throw new IllegalStateException("range GET -> " + resp.statusCode());
                }
                return resp.body();
            });
        }
        tiny.put("lat.byte.direct", () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder()
                    .bucket(DIRECT_BUCKET).key("direct.bin").range("bytes=" + mid + "-" + mid).build())) {
                return in.readAllBytes();
            }
        });
        failures += ranges(file, mid, mid, tiny, id == null ? null : "lat.byte.valv");
        if (id != null) {
            URI meta = URI.create(valv + "/api/v1/materials/" + id);
            failures += latency("lat.meta.valv", () -> {
                HttpRequest req = HttpRequest.newBuilder(meta).header("Authorization", "Bearer " + readToken)
                        .timeout(Duration.ofMinutes(1)).GET().build();
                HttpResponse<String> resp = http.send(req, BodyHandlers.ofString());
                if (resp.statusCode() != 200 || !resp.body().contains(id)) {
                    throw new IllegalStateException("GET material -> " + resp.statusCode() + " " + truncate(resp.body()));
                }
            });
        }
        return failures;
    }

    /** The range phase alone, against the material the warm phase (or an {@code upload warm}) stored: for reruns. */
    int rangesOnly(Path file) throws Exception {
        String id = Files.readString(state.resolve("warm.id")).trim();
        try (S3Client s3 = s3Client()) {
            return rangePhase(file, Files.size(file), id, readToken(), s3) == 0 ? 0 : 1;
        }
    }

    private Map<String, Double> metricsOrNull() {
        try {
            return Ops.metrics(http, valv);
        } catch (Exception e) {
            System.err.println("/q/metrics unreadable: " + e);
            return null;
        }
    }

    private void recordBreakdown(String label, Map<String, Double> m0, Map<String, Double> m1, List<Double> clientMs) {
        String uri = "uri=\"/api/v1/materials/{id}/content\"";
        String status = "status=\"206\"";
        double count = Ops.sum(m1, "http_server_requests_seconds_count", uri, status)
                - Ops.sum(m0, "http_server_requests_seconds_count", uri, status);
        double sum = Ops.sum(m1, "http_server_requests_seconds_sum", uri, status)
                - Ops.sum(m0, "http_server_requests_seconds_sum", uri, status);
        if (count <= 0) {
            results.put(label + ".breakdown.error", "no content requests counted in /q/metrics");
            return;
        }
        results.put(label + ".breakdown.requests", (long) count);
        results.put(label + ".server.ms", fmt(sum / count * 1e3));
        double clientMean = clientMs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        results.put(label + ".client.mean.ms", fmt(clientMean));
        StringBuilder line = new StringBuilder(label + " breakdown (mean ms):");
        for (String phase : READ_PHASES) {
            String p = "phase=\"" + phase + "\"";
            double n = Ops.sum(m1, "valv_content_read_phase_seconds_count", p) - Ops.sum(m0, "valv_content_read_phase_seconds_count", p);
            double s = Ops.sum(m1, "valv_content_read_phase_seconds_sum", p) - Ops.sum(m0, "valv_content_read_phase_seconds_sum", p);
            if (n > 0) {
                results.put(label + ".phase." + phase + ".ms", fmt(s / n * 1e3));
                line.append(String.format(Locale.ROOT, " %s %.2f", phase, s / n * 1e3));
            }
        }
        line.append(String.format(Locale.ROOT, "; server %.2f, client %.2f", sum / count * 1e3, clientMean));
        System.out.println(line);
    }

    interface Call {
        void call() throws Exception;
    }

    /** RANGE_WARMUP untimed calls, then RANGE_RUNS timed; median ms. */
    private int latency(String label, Call call) {
        try {
            for (int i = 0; i < RANGE_WARMUP; i++) {
                call.call();
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < RANGE_RUNS; i++) {
                long t0 = System.nanoTime();
                call.call();
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            record(label, ms, "ms");
            System.out.printf(Locale.ROOT, "%s: median %.2f ms%n", label, median(ms));
            return 0;
        } catch (Exception e) {
            return fail(label, e);
        }
    }

    private final List<Double> completeSeconds = new ArrayList<>();

    /**
     * Direct multipart upload with the AWS SDK: parts of {@code partSize} read from the file, {@code inFlight}
     * at a time (at most inFlight + 1 part buffers in memory). Returns seconds; the CompleteMultipartUpload
     * time is kept apart as well, since S3Proxy's filesystem backend assembles the object then.
     */
    private static final java.util.concurrent.ExecutorService PARTS = java.util.concurrent.Executors.newFixedThreadPool(2,
            r -> {
                Thread t = new Thread(r, "bench-part-upload");
                t.setDaemon(true);
                return t;
            });

    private double directMultipart(S3Client s3, Path file, long partSize, int inFlight) throws Exception {
        long t0 = System.nanoTime();
        String key = "multipart.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(DIRECT_BUCKET).key(key)).uploadId();
        List<java.util.concurrent.Future<software.amazon.awssdk.services.s3.model.CompletedPart>> parts = new ArrayList<>();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(inFlight);
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = 1;; n++) {
                byte[] buf = in.readNBytes((int) partSize);
                if (buf.length == 0) {
                    break;
                }
                int number = n;
                slots.acquire();
                parts.add(PARTS.submit(() -> {
                    try {
                        String etag = s3.uploadPart(b -> b.bucket(DIRECT_BUCKET).key(key).uploadId(uploadId)
                                .partNumber(number), RequestBody.fromContentProvider(
                                        () -> new java.io.ByteArrayInputStream(buf), buf.length,
                                        "application/octet-stream")).eTag();
                        return software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(number)
                                .eTag(etag).build();
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<software.amazon.awssdk.services.s3.model.CompletedPart> done = new ArrayList<>();
            for (var f : parts) {
                done.add(f.get());
            }
            long t1 = System.nanoTime();
            s3.completeMultipartUpload(b -> b.bucket(DIRECT_BUCKET).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
            long t2 = System.nanoTime();
            completeSeconds.add((t2 - t1) / 1e9);
            return (t2 - t0) / 1e9;
        } catch (Exception e) {
            s3.abortMultipartUpload(b -> b.bucket(DIRECT_BUCKET).key(key).uploadId(uploadId));
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------ tus (issue #13)

    /** The bucket bench/tus/peer-server.mjs stores into. */
    static final String PEER_BUCKET = "bench-tus-peer";
    static final long TUS_CHUNK = 8 * MiB;
    /** Timed runs per tus path: five paths whose completion (S3Proxy's assembly of 1 GiB) varies by seconds. */
    static final int TUS_RUNS = 5;

    /**
     * The same file through the same Node client to every path a user would pick for a resumable upload, interleaved
     * like the warm phase: tus-js-client to Valv's tus endpoint (one PATCH, and 8 MiB PATCHes as a browser sends
     * them), Valv's one-shot POST from Node, and tus-js-client to @tus/server with @tus/s3-store (plaintext) on the
     * same S3Proxy. Every Valv upload is checked by its stored size and SHA-256; the peer's object by its size, and
     * its first (untimed) upload byte for byte.
     */
    int tus(Path nodeDir, Path file, String sha256, String peer) throws Exception {
        long size = Files.size(file);
        String tusUrl = valv + "/api/v1/jobs/" + job() + "/uploads";
        String postUrl = valv + "/api/v1/jobs/" + job() + "/materials";
        String chunk = String.valueOf(TUS_CHUNK);
        List<Named> paths = new ArrayList<>();
        try (S3Client s3 = s3Client()) {
            for (String[] p : new String[][] { { "tus.valv.patch", "tus", tusUrl, "Infinity" },
                    { "tus.valv.chunks", "tus", tusUrl, chunk }, { "tus.valv.post", "post", postUrl, "Infinity" },
                    { "tus.peer.patch", "tus", peer, "Infinity" }, { "tus.peer.chunks", "tus", peer, chunk } }) {
                boolean toValv = !p[2].equals(peer);
                Timed warmUp = () -> nodeUpload(nodeDir, p[1], p[2], file, p[3], toValv, s3, size, sha256, true);
                Timed run = () -> nodeUpload(nodeDir, p[1], p[2], file, p[3], toValv, s3, size, sha256, false);
                paths.add(new Named(p[0], warmUp, run));
            }
            return interleaved(size, paths, TUS_RUNS);
        }
    }

    /**
     * Untimed, before every timed sample: writes back what the samples before left dirty in the page cache (S3Proxy
     * assembles every multipart upload into a new 1 GiB file), so that no sample pays for the one before it.
     */
    private static void settleDisk() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    /** One upload by bench/tus/upload.mjs; returns the seconds it measured from its first request to its last answer. */
    private double nodeUpload(Path nodeDir, String mode, String url, Path file, String chunk, boolean toValv, S3Client s3,
            long size, String sha256, boolean readBack) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", nodeDir.resolve("upload.mjs").toString(), mode, url,
                file.toString(), chunk).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (toValv) {
            pb.environment().put("BENCH_TOKEN", uploadToken());
        }
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (node.waitFor() != 0) {
            throw new IllegalStateException(mode + " upload to " + url + " failed: " + truncate(out));
        }
        Matcher seconds = Pattern.compile("\"seconds\"\\s*:\\s*([0-9.eE+-]+)").matcher(out);
        if (!seconds.find()) {
            throw new IllegalStateException("no seconds in " + truncate(out));
        }
        if (toValv) {
            String material = get(uploadToken(), "/api/v1/materials/" + jsonString(out, "materialId"));
            if (jsonLong(material, "size") != size || !jsonString(material, "sha256").equalsIgnoreCase(sha256)) {
                throw new IllegalStateException("Valv stored " + truncate(material) + ", expected " + size + " " + sha256);
            }
        } else {
            String location = jsonString(out, "url");
            String key = location.substring(location.lastIndexOf('/') + 1);
            long stored = s3.headObject(b -> b.bucket(PEER_BUCKET).key(key)).contentLength();
            if (stored != size) {
                throw new IllegalStateException("@tus/server stored " + stored + " bytes, expected " + size);
            }
            if (readBack) {
                verify(size, sha256, () -> s3.getObject(b -> b.bucket(PEER_BUCKET).key(key))).run();
            }
        }
        return Double.parseDouble(seconds.group(1));
    }

    private String get(String token, String path) throws Exception {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(valv + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + resp.statusCode() + " " + truncate(resp.body()));
        }
        return resp.body();
    }

    interface Timed {
        double run() throws Exception;
    }

    interface Opener {
        InputStream open() throws Exception;
    }

    interface Fetch {
        byte[] fetch() throws Exception;
    }

    /** A measured path: an untimed warm-up (which may also verify content), then timed runs returning seconds. */
    record Named(String label, Timed warmUp, Timed run) {
    }

    /**
     * Warms every path once, then runs WARM_RUNS rounds of all paths in turn, so that a change in background
     * load hits each path alike. Records samples and the median MB/s per path; a failing path is dropped.
     */
    private int interleaved(long size, List<Named> paths) {
        return interleaved(size, paths, WARM_RUNS);
    }

    private int interleaved(long size, List<Named> paths, int runs) {
        int failures = 0;
        Map<String, List<Double>> samples = new java.util.LinkedHashMap<>();
        List<Named> alive = new ArrayList<>();
        for (Named p : paths) {
            try {
                double s = p.warmUp().run();
                results.put(p.label() + ".warmup.mbps", fmt(size / s / 1e6));
                samples.put(p.label(), new ArrayList<>());
                alive.add(p);
            } catch (Exception e) {
                failures += fail(p.label(), e);
            }
        }
        Map<String, List<Double>> cpu = new java.util.LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            for (Named p : new ArrayList<>(alive)) {
                try {
                    settleDisk();
                    // Valv's paths: the Valv JVM's CPU; the direct SDK paths: this client's own, i.e. what moving
                    // the bytes to or from the same store costs the SDK alone (the report's transport floor)
                    boolean direct = p.label().endsWith(".direct");
                    double cpu0 = direct ? cpuSeconds("self") : valvCpuSeconds();
                    double s = p.run().run();
                    double cpu1 = direct ? cpuSeconds("self") : valvCpuSeconds();
                    samples.get(p.label()).add(size / s / 1e6);
                    if ((direct || p.label().contains("valv")) && cpu0 >= 0 && cpu1 >= 0) {
                        cpu.computeIfAbsent(p.label(), k -> new ArrayList<>()).add((cpu1 - cpu0) * (1L << 30) / size);
                    }
                    System.out.printf(Locale.ROOT, "%s run %d: %.2f s = %.1f MB/s%n", p.label(), i + 1, s, size / s / 1e6);
                } catch (Exception e) {
                    failures += fail(p.label(), e);
                    alive.remove(p);
                    samples.remove(p.label());
                }
            }
        }
        samples.forEach((label, xs) -> record(label, xs, "mbps"));
        cpu.forEach((label, xs) -> record(label + ".cpu", xs, "s_per_gib"));
        return failures;
    }

    /**
     * CPU seconds (user + system) the Valv JVM has used so far, from /proc/&lt;pid&gt;/stat; -1 when its pid is not
     * known. Whatever else the machine runs (client, S3Proxy, PostgreSQL) is not in it.
     */
    static double valvCpuSeconds() {
        String pid = System.getenv("BENCH_VALV_PID");
        if (pid == null || pid.isBlank()) {
            return -1;
        }
        return cpuSeconds(pid);
    }

    /** CPU seconds (user + system) process {@code pid} ("self": this client) has used so far; -1 if unreadable. */
    static double cpuSeconds(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat(5) (utime, stime), counted after the command name from field 3 on
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            String hz = System.getenv("BENCH_CLK_TCK");
            return ticks / (double) (hz == null ? 100 : Long.parseLong(hz));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** RANGE_WARMUP checked fetches per path, then RANGE_RUNS rounds of all paths in turn; median ms. */
    private int ranges(Path file, long first, long last, Map<String, Fetch> paths) throws IOException {
        return ranges(file, first, last, paths, null);
    }

    /** Valv's read phases ({@code valv_content_read_phase_seconds}), as ReadPhases in the service names them. */
    static final List<String> READ_PHASES = List.of("lookup", "audit", "unwrap", "store", "first-segment");

    /**
     * As {@link #ranges(Path, long, long, Map)}; with {@code breakdown} (a label of {@code paths}, a Valv path)
     * also Valv's own timers over the timed runs: the mean of each read phase and of the server's whole
     * request time for the content route, as {@code <breakdown>.phase.<name>.ms} and {@code <breakdown>.server.ms},
     * and the client's mean, {@code <breakdown>.client.mean.ms}.
     */
    private int ranges(Path file, long first, long last, Map<String, Fetch> paths, String breakdown) throws IOException {
        byte[] expected = new byte[(int) (last - first + 1)];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(first);
            raf.readFully(expected);
        }
        int failures = 0;
        Map<String, List<Double>> samples = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Fetch> p : paths.entrySet()) {
            try {
                for (int i = 0; i < RANGE_WARMUP; i++) {
                    byte[] got = p.getValue().fetch();
                    if (!Arrays.equals(got, expected)) {
                        throw new IllegalStateException("range content differs from the file (" + got.length + " bytes)");
                    }
                }
                results.put(p.getKey() + ".verified", "bytes");
                samples.put(p.getKey(), new ArrayList<>());
            } catch (Exception e) {
                failures += fail(p.getKey(), e);
            }
        }
        Map<String, Double> before = breakdown == null ? null : metricsOrNull();
        for (int i = 0; i < RANGE_RUNS; i++) {
            for (String label : new ArrayList<>(samples.keySet())) {
                try {
                    long t0 = System.nanoTime();
                    byte[] got = paths.get(label).fetch();
                    samples.get(label).add((System.nanoTime() - t0) / 1e6);
                    if (got.length != expected.length) {
                        throw new IllegalStateException("range returned " + got.length + " bytes");
                    }
                } catch (Exception e) {
                    failures += fail(label, e);
                    samples.remove(label);
                }
            }
        }
        Map<String, Double> after = breakdown == null ? null : metricsOrNull();
        if (before != null && after != null && samples.containsKey(breakdown)) {
            recordBreakdown(breakdown, before, after, samples.get(breakdown));
        }
        samples.forEach((label, xs) -> {
            record(label, xs, "ms");
            System.out.printf(Locale.ROOT, "%s: median %.2f ms%n", label, median(xs));
        });
        return failures;
    }

    private int fail(String label, Exception e) {
        results.put(label + ".error", oneLine(e.toString()));
        System.err.println(label + " FAILED: " + e);
        return 1;
    }

    /** A warm-up that reads the whole body, hashes it and checks length and SHA-256 against the file. */
    private Timed verify(long size, String sha256, Opener opener) {
        return () -> {
            long t0 = System.nanoTime();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long n;
            try (InputStream in = opener.open()) {
                n = drain(in, sha);
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (n != size || !got.equalsIgnoreCase(sha256)) {
                throw new IllegalStateException("downloaded " + n + " bytes sha256 " + got + ", expected " + size + " "
                        + sha256);
            }
            return (System.nanoTime() - t0) / 1e9;
        };
    }

    private InputStream jdkOpen(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofHours(1)).GET();
        headers.forEach(req::header);
        HttpResponse<InputStream> resp = http.send(req.build(), BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            String body = new String(resp.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IllegalStateException("GET " + uri.getPath() + " -> " + resp.statusCode() + " " + truncate(body));
        }
        return resp.body();
    }

    /** Full GET with the JDK client into a discarding, byte-counting subscriber; returns seconds. */
    private double jdkCount(URI uri, Map<String, String> headers, long size) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofHours(1)).GET();
        headers.forEach(req::header);
        long t0 = System.nanoTime();
        HttpResponse<Long> resp = http.send(req.build(), info -> BodySubscribers.fromSubscriber(new Counter(),
                Counter::count));
        double s = (System.nanoTime() - t0) / 1e9;
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri.getPath() + " -> " + resp.statusCode());
        }
        checkCount(resp.body(), size);
        return s;
    }

    private static InputStream hucOpen(URI uri, Map<String, String> headers) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setReadTimeout(600_000);
        headers.forEach(c::setRequestProperty);
        if (c.getResponseCode() != 200) {
            throw new IllegalStateException("GET " + uri.getPath() + " -> " + c.getResponseCode());
        }
        return c.getInputStream();
    }

    /** Full GET with HttpURLConnection into a discarding sink; returns seconds. */
    private static double hucCount(URI uri, Map<String, String> headers, long size) throws IOException {
        long t0 = System.nanoTime();
        try (InputStream in = hucOpen(uri, headers)) {
            checkCount(drain(in, null), size);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void checkCount(long n, long size) {
        if (n != size) {
            throw new IllegalStateException("downloaded " + n + " bytes, expected " + size);
        }
    }

    /** Discards the body, counting its bytes. */
    static final class Counter implements Flow.Subscriber<List<ByteBuffer>> {
        private long count;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                count += b.remaining();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // the client's send() throws it
        }

        @Override
        public void onComplete() {
        }

        synchronized long count() {
            return count;
        }
    }

    private void record(String label, List<Double> samples, String unit) {
        results.put(label + ".samples", samples.stream().map(Bench::fmt).collect(Collectors.joining(" ")));
        results.put(label + ".n", samples.size());
        results.put(label + "." + unit, fmt(median(samples)));
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static long drain(InputStream in, MessageDigest sha) throws IOException {
        byte[] buf = new byte[1 << 20];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (sha != null) {
                sha.update(buf, 0, n);
            }
            total += n;
        }
        return total;
    }

    private static void copySignedHeaders(Map<String, List<String>> signed, HttpRequest.Builder req) {
        signed.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> req.header(name, v));
            }
        });
    }

    // ------------------------------------------------------------------------------------------ S3

    private S3Client s3Client() {
        return S3Client.builder().endpointOverride(URI.create(s3Endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "localsecret")))
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofMinutes(10)))
                .build();
    }

    private S3Presigner presigner() {
        return S3Presigner.builder().endpointOverride(URI.create(s3Endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "localsecret")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    // ------------------------------------------------------------------------------------------ helpers

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String truncate(String s) {
        return s == null ? "" : oneLine(s.length() > 400 ? s.substring(0, 400) + "..." : s);
    }

    static String jsonString(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no \"" + field + "\" in " + truncate(json));
        }
        return m.group(1);
    }

    static long jsonLong(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no \"" + field + "\" in " + truncate(json));
        }
        return Long.parseLong(m.group(1));
    }

    /** Append-only key=value file shared by the bash driver, this client and the crypto bench; last value wins. */
    static final class Results {
        private final Path file;

        Results(Path file) {
            this.file = file;
        }

        void put(String key, Object value) {
            try {
                Files.writeString(file, key + "=" + value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        Map<String, String> read() throws IOException {
            Map<String, String> map = new java.util.LinkedHashMap<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        map.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                    }
                }
            }
            return map;
        }
    }
}
