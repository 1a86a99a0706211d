package io.valv.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The operational measurements (issues #4 and #5), run by bench/run --purge / --audit against a Valv that
 * {@code setup} prepared:
 * <pre>
 *   purge COUNT BYTES THREADS BATCH   COUNT materials of BYTES random bytes uploaded through the API by THREADS
 *                                     uploaders, made due at once (expires_at set to the past in the
 *                                     database), timed until all are PURGED; then COUNT objects of the same
 *                                     ciphertext size put directly into S3Proxy and removed with
 *                                     multi-object deletes of BATCH keys, timed the same way
 *   audit SECONDS ROUNDS THREADS...   audited metadata reads vs an unaudited read of the same shape, at each
 *                                     concurrency, ROUNDS interleaved rounds of SECONDS; Valv's own timers
 *                                     (/q/metrics) and the audit table give the audit share and appends/s
 * </pre>
 * Extra environment: BENCH_JDBC (JDBC URL of Valv's database, user postgres).
 */
final class Ops {

    private final Bench.Results results;
    private final Path state;
    private final String valv;
    private final String s3Endpoint;
    private final String jdbc;
    private final Jwt jwt;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    Ops(Bench.Results results, Path state, String valv, String s3Endpoint, Jwt jwt) {
        this.results = results;
        this.state = state;
        this.valv = valv;
        this.s3Endpoint = s3Endpoint;
        this.jwt = jwt;
        this.jdbc = System.getenv().getOrDefault("BENCH_JDBC", "jdbc:postgresql://127.0.0.1:5432/valv_bench");
    }

    private Connection db() throws Exception {
        return DriverManager.getConnection(jdbc, "postgres", "unused");
    }

    private String job() throws Exception {
        return Files.readString(state.resolve("job")).trim();
    }

    // ------------------------------------------------------------------------------------------ purge (#4)

    int purge(int target, int bytes, int threads, int batch, int uploadBudgetS) throws Exception {
        results.put("purge.target", target);
        results.put("purge.bytes", bytes);
        results.put("purge.threads", threads);
        results.put("purge.batch", batch);
        // a job of its own, so that the counts below are the purge's materials only
        String admin = jwt.token("bench-admin", List.of("vault-admin"), null);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(valv + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"clientId\":\"bench\",\"title\":\"purge\",\"reuseRequested\":false}"))
                .build(), BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("POST /api/v1/jobs -> " + created.statusCode() + " " + created.body());
        }
        String job = Bench.jsonString(created.body(), "id");
        UUID jobId = UUID.fromString(job);
        String uploadToken = jwt.token("bench-upload", List.of("client-uploader"), "bench");

        // 1. COUNT honest uploads through the API, THREADS at a time (each a distinct random body, answer checked).
        System.out.printf(Locale.ROOT, "purge: uploading %d materials of %d bytes, %d in parallel (budget %d s)%n", target,
                bytes, threads, uploadBudgetS);
        URI uploadUri = URI.create(valv + "/api/v1/jobs/" + job + "/materials");
        AtomicReference<String> uploadError = new AtomicReference<>();
        long u0 = System.nanoTime();
        long budgetEnd = u0 + uploadBudgetS * 1_000_000_000L;
        AtomicLong uploaded = new AtomicLong();
        parallel(target, threads, i -> {
            if (System.nanoTime() > budgetEnd) {
                return; // upload budget spent: purge what is there (the report says how many)
            }
            byte[] body = new byte[bytes];
            ThreadLocalRandom.current().nextBytes(body);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            HttpRequest req = HttpRequest.newBuilder(uploadUri).header("Authorization", "Bearer " + uploadToken)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Disposition", "attachment; filename=\"m" + i + ".bin\"")
                    .header("Valv-Personal-Data", "false").timeout(Duration.ofMinutes(5))
                    .POST(BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> resp = http.send(req, BodyHandlers.ofString());
            if (resp.statusCode() != 201 || !Bench.jsonString(resp.body(), "sha256").equalsIgnoreCase(sha)) {
                uploadError.compareAndSet(null, "upload " + i + " -> HTTP " + resp.statusCode() + " " + resp.body());
                throw new IllegalStateException(uploadError.get());
            }
            uploaded.incrementAndGet();
        });
        double uploadS = (System.nanoTime() - u0) / 1e9;
        int count = (int) uploaded.get();
        results.put("purge.count", count);
        results.put("purge.upload.budget.s", uploadBudgetS);
        results.put("purge.upload.seconds", Bench.fmt(uploadS));
        results.put("purge.upload.per.s", Bench.fmt(count / uploadS));
        System.out.printf(Locale.ROOT, "purge: %d uploads in %.1f s = %.1f materials/s%n", count, uploadS, count / uploadS);

        long ciphertextSize;
        try (Connection c = db()) {
            Map<String, Long> states = states(c, jobId);
            if (states.getOrDefault("STORED", 0L) != count) {
                throw new IllegalStateException("expected " + count + " STORED materials, database has " + states);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select min(ciphertext_size), max(ciphertext_size) from material where job_id = ?")) {
                ps.setObject(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ciphertextSize = rs.getLong(1);
                    if (rs.getLong(2) != ciphertextSize) {
                        throw new IllegalStateException("ciphertext sizes differ");
                    }
                }
            }
        }
        results.put("purge.ciphertext.bytes", ciphertextSize);

        // 2. The raw objects: COUNT of the same (ciphertext) size, directly into S3Proxy.
        String bucket = "bench-purge";
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("purge/" + UUID.randomUUID());
        }
        try (S3Client s3 = s3Client(false)) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException e) {
                // rerun against the same S3Proxy directory
            }
            long p0 = System.nanoTime();
            parallel(count, threads, i -> {
                byte[] body = new byte[(int) ciphertextSize];
                ThreadLocalRandom.current().nextBytes(body);
                s3.putObject(b -> b.bucket(bucket).key(keys.get(i)), RequestBody.fromBytes(body));
            });
            double putS = (System.nanoTime() - p0) / 1e9;
            results.put("purge.direct.put.per.s", Bench.fmt(count / putS));
            System.out.printf(Locale.ROOT, "purge: %d direct PutObject in %.1f s%n", count, putS);
        }

        // 3. Valv: make every material due at once and time until all are PURGED.
        long eventsBefore;
        try (Connection c = db()) {
            eventsBefore = scalar(c, "select count(*) from audit_event");
            PreparedStatement ps = c.prepareStatement(
                    "update material set expires_at = now() - interval '1 minute' where job_id = ? and state = 'STORED'");
            ps.setObject(1, jobId);
            int updated = ps.executeUpdate();
            long tDue = System.nanoTime();
            System.out.printf(Locale.ROOT, "purge: %d materials due now; waiting for the purge scheduler%n", updated);
            long tMarked = -1;
            long tFirst = -1;
            long tDone = -1;
            long deadline = tDue + Duration.ofMinutes(25).toNanos();
            long lastPrint = 0;
            Map<String, Long> s = Map.of();
            List<String> trace = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                s = states(c, jobId);
                long now = System.nanoTime();
                long purged = s.getOrDefault("PURGED", 0L);
                if (tMarked < 0 && s.getOrDefault("STORED", 0L) == 0) {
                    tMarked = now;
                    Files.writeString(state.resolve("purge.start"), "started"); // bench/run's profiler samples from now
                }
                if (tFirst < 0 && purged > 0) {
                    tFirst = now;
                }
                if (tMarked >= 0 && (now - lastPrint > 5e9 || purged == count)) {
                    lastPrint = now;
                    trace.add(String.format(Locale.ROOT, "%.1fs:%d", (now - tMarked) / 1e9, purged));
                    System.out.printf(Locale.ROOT, "purge: +%.1f s: %d purged%n", (now - tMarked) / 1e9, purged);
                }
                if (purged == count) {
                    tDone = now;
                    break;
                }
                Thread.sleep(tMarked < 0 ? 10 : 25);
            }
            Files.writeString(state.resolve("purge.end"), "ended");
            results.put("purge.valv.trace", String.join(" ", trace));
            if (tMarked < 0) {
                throw new IllegalStateException("the scheduler did not mark the materials within 25 minutes: " + s);
            }
            results.put("purge.valv.wait.s", Bench.fmt((tMarked - tDue) / 1e9));
            if (tDone < 0) {
                long purged = s.getOrDefault("PURGED", 0L);
                results.put("purge.valv.partial", purged + " purged after " + Bench.fmt((System.nanoTime() - tMarked) / 1e9) + " s");
                throw new IllegalStateException("not all purged within 25 minutes: " + s);
            }
            double valvS = (tDone - tMarked) / 1e9;
            results.put("purge.valv.seconds", Bench.fmt(valvS));
            results.put("purge.valv.per.s", Bench.fmt(count / valvS));
            results.put("purge.valv.first.s", Bench.fmt((tFirst - tMarked) / 1e9));
            System.out.printf(Locale.ROOT, "purge: Valv purged %d in %.2f s = %.1f materials/s%n", count, valvS, count / valvS);

            // what the purge left behind: one certificate and two audit events per material, no data key
            results.put("purge.check.certificates", scalar(c, "select count(*) from deletion_certificate where job_id = '"
                    + jobId + "' and scope = 'material'"));
            results.put("purge.check.keys", scalar(c, "select count(*) from material_key k join material m on m.id ="
                    + " k.material_id where m.job_id = '" + jobId + "'"));
            results.put("purge.check.events.purge", scalar(c, "select count(*) from audit_event where action ="
                    + " 'material.purge' and job_id = '" + jobId + "'"));
            results.put("purge.check.events.certificate", scalar(c, "select count(*) from audit_event where action ="
                    + " 'certificate.issue' and job_id = '" + jobId + "'"));
            results.put("purge.check.events.added", scalar(c, "select count(*) from audit_event") - eventsBefore);
        }
        Map<String, Double> m = metrics();
        results.put("purge.metrics.pending", m.getOrDefault("valv_purge_pending", -1.0));
        results.put("purge.metrics.failed", sum(m, "valv_purges_total", "outcome=\"failed\""));

        // 4. Raw: the same number of objects of the same size, multi-object deletes of BATCH keys, one thread
        // (as Valv's purge runs); then a HEAD of each object (Valv checks every object is gone), timed apart.
        // S3Proxy answers 501 to DeleteObjects carrying the SDK's default CRC32 checksum (Valv then falls back to
        // one DeleteObject per key, see purge.valv.fallback); with the SDK's LegacyMd5Plugin (Content-MD5, as S3
        // itself accepted for years) it performs the multi-object delete. The first batch finds out, untimed.
        try (S3Client plain = s3Client(false); S3Client md5 = s3Client(true)) {
            String mode;
            S3Client s3;
            boolean multi = true;
            List<ObjectIdentifier> probe = List.of(ObjectIdentifier.builder().key(keys.get(0)).build());
            try {
                plain.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(probe).quiet(true).build()));
                s3 = plain;
                mode = "DeleteObjects of " + batch + " keys, SDK default checksum (CRC32)";
            } catch (S3Exception e) {
                results.put("purge.direct.plain.status", e.statusCode());
                try {
                    md5.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(probe).quiet(true).build()));
                    s3 = md5;
                    mode = "DeleteObjects of " + batch + " keys with Content-MD5 (SDK LegacyMd5Plugin); with the SDK's "
                            + "default CRC32 checksum S3Proxy answered HTTP " + e.statusCode();
                } catch (S3Exception e2) {
                    // the store cannot do it with this SDK: delete object by object, exactly as Valv falls back to
                    s3 = plain;
                    multi = false;
                    mode = "one DeleteObject per key, because S3Proxy answered DeleteObjects with HTTP " + e.statusCode()
                            + " (SDK default CRC32 checksum) and HTTP " + e2.statusCode() + " (Content-MD5 via the SDK's "
                            + "LegacyMd5Plugin) — the same fallback Valv takes against this store";
                }
            }
            results.put("purge.direct.mode", mode);
            System.out.println("purge: direct path: " + mode);
            S3Client del = s3;
            boolean multiDelete = multi;
            // the probe deleted keys[0]; put it back so that all COUNT objects are deleted in the timed loop
            byte[] again = new byte[(int) ciphertextSize];
            ThreadLocalRandom.current().nextBytes(again);
            del.putObject(b -> b.bucket(bucket).key(keys.get(0)), RequestBody.fromBytes(again));
            long d0 = System.nanoTime();
            for (int from = 0; from < count; from += batch) {
                if (!multiDelete) {
                    for (String k : keys.subList(from, Math.min(count, from + batch))) {
                        del.deleteObject(b -> b.bucket(bucket).key(k));
                    }
                    continue;
                }
                List<ObjectIdentifier> ids = keys.subList(from, Math.min(count, from + batch)).stream()
                        .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                DeleteObjectsResponse r = del.deleteObjects(b -> b.bucket(bucket)
                        .delete(Delete.builder().objects(ids).quiet(true).build()));
                if (r.hasErrors() && !r.errors().isEmpty()) {
                    throw new IllegalStateException("DeleteObjects: " + r.errors().size() + " errors");
                }
            }
            double deleteS = (System.nanoTime() - d0) / 1e9;
            long h0 = System.nanoTime();
            for (String key : keys) {
                try {
                    del.headObject(b -> b.bucket(bucket).key(key));
                    throw new IllegalStateException("object " + key + " still present after DeleteObjects");
                } catch (NoSuchKeyException e) {
                    // gone, as expected
                } catch (S3Exception e) {
                    if (e.statusCode() != 404) {
                        throw e;
                    }
                }
            }
            double headS = (System.nanoTime() - h0) / 1e9;
            results.put("purge.direct.seconds", Bench.fmt(deleteS));
            results.put("purge.direct.per.s", Bench.fmt(count / deleteS));
            results.put("purge.direct.head.seconds", Bench.fmt(headS));
            results.put("purge.direct.verified.per.s", Bench.fmt(count / (deleteS + headS)));
            System.out.printf(Locale.ROOT, "purge: direct delete %d in %.2f s = %.0f objects/s; HEAD check %.2f s%n", count,
                    deleteS, count / deleteS, headS);
        }
        return 0;
    }

    private static Map<String, Long> states(Connection c, UUID jobId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("select state, count(*) from material where job_id = ? group by state")) {
            ps.setObject(1, jobId);
            Map<String, Long> m = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getLong(2));
                }
            }
            return m;
        }
    }

    private static long scalar(Connection c, String sql) throws Exception {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------------------------------ audit (#5)

    static final int WARM_UP_SECONDS = 10;

    /** One measured path of the audit phase: an HTTP GET that must answer 200. */
    private record Path2(String label, URI uri, String uriTemplate) {
    }

    int audit(int seconds, int rounds, List<Integer> concurrencies) throws Exception {
        String job = job();
        String uploadToken = jwt.token("bench-upload", List.of("client-uploader"), "bench");
        String readToken = jwt.token("alice", List.of("staff"), null);
        byte[] body = new byte[4096];
        ThreadLocalRandom.current().nextBytes(body);
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(valv + "/api/v1/jobs/" + job + "/materials"))
                .header("Authorization", "Bearer " + uploadToken).header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"audit.bin\"").header("Valv-Personal-Data", "false")
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
        if (up.statusCode() != 201) {
            throw new IllegalStateException("upload -> " + up.statusCode() + " " + up.body());
        }
        String material = Bench.jsonString(up.body(), "id");
        List<Path2> paths = List.of(
                new Path2("audit.meta", URI.create(valv + "/api/v1/materials/" + material), "/api/v1/materials/{id}"),
                new Path2("audit.job", URI.create(valv + "/api/v1/jobs/" + job), "/api/v1/jobs/{jobId}"));
        results.put("audit.seconds", seconds);
        results.put("audit.rounds", rounds);
        results.put("audit.concurrencies", concurrencies.stream().map(String::valueOf).collect(Collectors.joining(" ")));

        try (Connection c = db()) {
            for (int threads : concurrencies) {
                // untimed warm-up of both paths at this concurrency (JIT, connection pools, the group commit's
                // batch sizes): without it the first measured round at a new level came out 30-50% slower
                for (Path2 p : paths) {
                    load(p, readToken, threads, WARM_UP_SECONDS);
                }
                Map<String, List<double[]>> samples = new java.util.LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (Path2 p : paths) {
                        long events0 = scalar(c, "select count(*) from audit_event");
                        Map<String, Double> m0 = metrics();
                        double[] client = load(p, readToken, threads, seconds); // {requests, seconds, errors}
                        Map<String, Double> m1 = metrics();
                        long events1 = scalar(c, "select count(*) from audit_event");
                        String status = "status=\"200\"";
                        String uri = "uri=\"" + p.uriTemplate() + "\"";
                        double httpCount = sum(m1, "http_server_requests_seconds_count", uri, status)
                                - sum(m0, "http_server_requests_seconds_count", uri, status);
                        double httpSum = sum(m1, "http_server_requests_seconds_sum", uri, status)
                                - sum(m0, "http_server_requests_seconds_sum", uri, status);
                        double appendCount = m1.getOrDefault("valv_audit_append_seconds_count", 0.0)
                                - m0.getOrDefault("valv_audit_append_seconds_count", 0.0);
                        double appendSum = m1.getOrDefault("valv_audit_append_seconds_sum", 0.0)
                                - m0.getOrDefault("valv_audit_append_seconds_sum", 0.0);
                        // requests/s, appends/s (rows added), mean server ms, mean append ms per request, share
                        double[] x = { client[0] / client[1], (events1 - events0) / client[1],
                                httpCount > 0 ? httpSum / httpCount * 1e3 : Double.NaN,
                                client[0] > 0 ? appendSum / client[0] * 1e3 : Double.NaN,
                                httpSum > 0 ? appendSum / httpSum : Double.NaN, client[2], appendCount,
                                appendCount > 0 ? appendSum / appendCount * 1e3 : Double.NaN };
                        samples.computeIfAbsent(p.label(), k -> new ArrayList<>()).add(x);
                        System.out.printf(Locale.ROOT, "%s x%d round %d: %.0f req/s, %.0f appends/s, server %.2f ms/req,"
                                + " audit %.2f ms/req (%.0f%% of server time), %d errors%n", p.label(), threads, round + 1,
                                x[0], x[1], x[2], x[3], x[4] * 100, (long) x[5]);
                    }
                }
                samples.forEach((label, xs) -> {
                    String k = label + ".t" + threads;
                    String[] names = { "rps", "appends.per.s", "server.ms", "append.ms.per.req", "share", "errors",
                            "appends", "append.ms" };
                    for (int i = 0; i < names.length; i++) {
                        int col = i;
                        List<Double> v = xs.stream().map(a -> a[col]).toList();
                        results.put(k + "." + names[i] + ".samples", v.stream().map(Bench::fmt).collect(Collectors.joining(" ")));
                        results.put(k + "." + names[i], Bench.fmt(col == 5 || col == 6 ? v.stream().mapToDouble(d -> d).sum()
                                : Bench.median(v)));
                    }
                });
            }
            inclusionProof(c, material);
        }
        return 0;
    }

    /**
     * The inclusion proof of the audit material's upload event once a signed tree head covers the whole log the
     * rounds wrote (issue #5 stretch): median of 5 calls; the proof streams every event hash up to the tree size.
     */
    private void inclusionProof(Connection c, String material) throws Exception {
        String event;
        try (var st = c.prepareStatement("select id from audit_event where material_id = ?::uuid and action = 'material.upload'")) {
            st.setString(1, material);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                event = rs.getString(1);
            }
        }
        long logSize = scalar(c, "select max(seq) from audit_event");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (scalar(c, "select coalesce(max(tree_size), 0) from audit_tree_head") < logSize) {
            if (System.nanoTime() > deadline) {
                results.put("audit.proof.error", "no tree head covered the log within 120 s");
                return;
            }
            Thread.sleep(500);
        }
        String auditor = jwt.token("bench-auditor", List.of("auditor"), null);
        HttpRequest req = HttpRequest.newBuilder(URI.create(valv + "/api/v1/audit/events/" + event + "/inclusion-proof"))
                .header("Authorization", "Bearer " + auditor).GET().build();
        List<Double> ms = new ArrayList<>();
        String body = null;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(req, BodyHandlers.ofString());
            ms.add((System.nanoTime() - t0) / 1e6);
            if (r.statusCode() != 200) {
                results.put("audit.proof.error", "HTTP " + r.statusCode());
                return;
            }
            body = r.body();
        }
        results.put("audit.proof.ms", Bench.fmt(Bench.median(ms)));
        results.put("audit.proof.ms.samples", ms.stream().map(Bench::fmt).collect(Collectors.joining(" ")));
        long treeSize = Bench.jsonLong(body, "treeSize");
        results.put("audit.proof.tree.size", treeSize);
        System.out.printf(Locale.ROOT, "inclusion proof in a tree of %d events: %.1f ms (median of 5)%n", treeSize,
                Bench.median(ms));
    }

    /** THREADS threads each sending GETs back to back for SECONDS; returns {ok requests, seconds, errors}. */
    private double[] load(Path2 p, String token, int threads, int seconds) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(p.uri()).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(1)).GET().build();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            HttpResponse<String> r = http.send(req, BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, "HTTP " + r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (firstError.get() != null) {
            results.put(p.label() + ".error", firstError.get().replace('\n', ' '));
        }
        return new double[] { ok.get(), s, errors.get() };
    }

    // ------------------------------------------------------------------------------------------ helpers

    interface Task {
        void run(int i) throws Exception;
    }

    /** Runs task(0..n-1) on THREADS threads; the first failure stops the rest and is rethrown. */
    private static void parallel(int n, int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (long i; failure.get() == null && (i = next.getAndIncrement()) < n;) {
                        try {
                            task.run((int) i);
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private Map<String, Double> metrics() throws Exception {
        return metrics(http, valv);
    }

    /** Valv's /q/metrics (Prometheus text): series name with labels → value. */
    static Map<String, Double> metrics(HttpClient http, String valv) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(valv + "/q/metrics"))
                .timeout(Duration.ofSeconds(30)).GET().build(), BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics -> " + r.statusCode());
        }
        Map<String, Double> m = new java.util.HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            try {
                m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return m;
    }

    /** Sum of the series named {@code name} whose labels contain every one of {@code labels}. */
    static double sum(Map<String, Double> m, String name, String... labels) {
        double total = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            String k = e.getKey();
            if (!(k.equals(name) || k.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= k.contains(l);
            }
            if (all) {
                total += e.getValue();
            }
        }
        return total;
    }

    private S3Client s3Client(boolean md5) {
        var b = S3Client.builder();
        if (md5) {
            b.addPlugin(software.amazon.awssdk.services.s3.LegacyMd5Plugin.create());
        }
        return b.endpointOverride(URI.create(s3Endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "localsecret")))
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64).socketTimeout(Duration.ofMinutes(10)))
                .build();
    }
}
