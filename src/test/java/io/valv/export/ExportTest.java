package io.valv.export;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredDamage;
import io.valv.testing.Tokens;
import io.valv.testing.Tools;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Return of data: a streamed ZIP that is complete and signed, names what it could not include, and is never
 * a valid-looking archive when the export failed. The check commands of docs/export.md run verbatim.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class ExportTest {

    static final int MIB = 1 << 20;

    @TestHTTPResource("/")
    URL base;

    @Inject
    ExportService exports;

    @AfterEach
    void storeIsBack() {
        S3ProxyResource.restart();
    }

    @Test
    void clientAdminExportsEverythingAndTheDocumentedChecksPass() throws Exception {
        World world = World.create();
        Map<String, byte[]> uploaded = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            byte[] data = Uploads.randomBytes(1_500_000 + i, i);
            uploaded.put(Uploads.stored(world, world.jobId, "take " + i + ".wav", data).path("id"), data);
        }
        uploaded.put(Uploads.stored(world, world.jobId, "empty.txt", new byte[0]).path("id"), new byte[0]);
        given().auth().oauth2(Tokens.uploader(world.client)).get(exportPath(world.client)).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin("someone-else")).get(exportPath(world.client)).then().statusCode(404);

        Path dir = Files.createTempDirectory("export");
        assertEquals(0, runChecks(dir, world.client, true), "the documented commands pass on a genuine export");
        byte[] zip = Files.readAllBytes(dir.resolve("export.zip"));
        Map<String, byte[]> entries = entries(zip);
        List<String> names = List.copyOf(entries.keySet());
        assertEquals(List.of(ExportArchive.SUMS, ExportArchive.MANIFEST, ExportArchive.SIGNATURE,
                ExportArchive.SUMS_SIGNATURE), names.subList(names.size() - 4, names.size()), "the manifest comes last");

        Map<String, Object> manifest = json(entries.get("manifest.json"));
        List<Map<String, Object>> files = list(manifest, "files");
        assertEquals(3, files.size());
        assertEquals(List.of(), manifest.get("failed"));
        assertEquals(true, manifest.get("complete"));
        for (Map<String, Object> file : files) {
            byte[] bytes = entries.get((String) file.get("path"));
            assertArrayEquals(uploaded.get((String) file.get("materialId")), bytes);
            assertEquals(file.get("sha256"), sha256(bytes));
            assertEquals("/api/v1/materials/" + file.get("materialId") + "/content", file.get("contentUrl"));
        }
        assertEquals(3 + 4, entries.size(), "nothing else in the archive");
        assertEquals(sha256(entries.get("SHA256SUMS")), ((Map<?, ?>) manifest.get("sha256sums")).get("sha256"));
        assertEquals(java.util.Optional.of(sha256(entries.get("manifest.json"))), exports.latestManifestDigest(world.client),
                "the delivered manifest's digest is on record");

        // the same commands fail on an archive with a file removed, a file altered, or the manifest
        String first = (String) files.get(0).get("path");
        assertNotEquals(0, checkTampered(rewrite(zip, first, null)), "a file removed");
        assertNotEquals(0, checkTampered(rewrite(zip, first, flipFirst(entries.get(first)))), "a file altered");
        byte[] editedSums = new String(entries.get("SHA256SUMS"), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.endsWith(first)).map(l -> l + "\n").collect(Collectors.joining())
                .getBytes(StandardCharsets.UTF_8);
        assertNotEquals(0, checkTampered(rewrite(rewrite(zip, first, null), "SHA256SUMS", editedSums)),
                "a file removed together with its line in SHA256SUMS");
        assertNotEquals(0, checkTampered(rewrite(zip, "manifest.json", flipFirst(entries.get("manifest.json")))),
                "the manifest altered");
    }

    @Test
    void damagedObjectsAreLeftOutAndNamedAsFailedInTheSignedManifest() throws Exception {
        World world = World.create();
        byte[] a = Uploads.randomBytes(1_500_000, 21);
        byte[] flipped = Uploads.randomBytes(3 * MIB + 777, 22);
        byte[] truncated = Uploads.randomBytes(2 * MIB + 5, 23);
        byte[] d = Uploads.randomBytes(700_000, 24);
        String idA = Uploads.stored(world, world.jobId, "a.wav", a).path("id");
        String idFlipped = Uploads.stored(world, world.jobId, "flipped.wav", flipped).path("id");
        String idTruncated = Uploads.stored(world, world.jobId, "truncated.wav", truncated).path("id");
        String idD = Uploads.stored(world, world.jobId, "d.wav", d).path("id");
        // a flipped byte in the middle (second segment), and an object cut short
        StoredDamage.flipByte(idFlipped, StoredDamage.CIPHER_SEGMENT + 1000);
        StoredDamage.truncate(idTruncated, StoredDamage.CIPHER_SEGMENT + 10);
        double before = metric("valv_integrity_failures_total", "where=\"export\"");

        byte[] zip = given().auth().oauth2(Tokens.clientAdmin(world.client)).get(exportPath(world.client)).then()
                .statusCode(200).extract().asByteArray();
        Path dir = Files.createTempDirectory("export-damaged");
        Files.write(dir.resolve("export.zip"), zip);
        assertEquals(0, Tools.run(dir, "unzip", "-tq", "export.zip").exit(), "the archive itself is complete");
        Map<String, byte[]> entries = entries(zip);
        Map<String, Object> manifest = json(entries.get("manifest.json"));
        assertEquals(false, manifest.get("complete"));
        Map<String, Map<String, Object>> files = byId(list(manifest, "files"));
        Map<String, Map<String, Object>> failed = byId(list(manifest, "failed"));
        assertEquals(java.util.Set.of(idA, idD), files.keySet());
        assertEquals(java.util.Set.of(idFlipped, idTruncated), failed.keySet());
        assertArrayEquals(a, entries.get((String) files.get(idA).get("path")));
        assertArrayEquals(d, entries.get((String) files.get(idD).get("path")));
        assertEquals("segment failed authentication", failed.get(idFlipped).get("reason"));
        assertTrue(((String) failed.get(idTruncated).get("reason")).startsWith("stored object is "));
        // the truncated one failed before its first byte: absent; the flipped one after its first MiB: named
        assertFalse(entries.keySet().stream().anyMatch(n -> n.contains(idTruncated)));
        String partial = (String) failed.get(idFlipped).get("incompleteEntry");
        assertNotNull(partial);
        assertEquals(MIB, entries.get(partial).length, "only the authenticated first segment was written");
        assertEquals(((Number) failed.get(idFlipped).get("incompleteBytes")).longValue(), entries.get(partial).length);
        String sums = new String(entries.get("SHA256SUMS"), StandardCharsets.UTF_8);
        assertEquals(2, sums.lines().count());
        assertFalse(sums.contains(idFlipped) || sums.contains(idTruncated));

        // stock tools: signature and sums pass on what is there; the documented check as a whole says "incomplete"
        Files.writeString(dir.resolve("signer.pem"), signer());
        assertEquals(0, Tools.run(dir, "unzip", "-q", "export.zip", "-d", "export").exit());
        Path x = dir.resolve("export");
        assertEquals(0, Tools.run(x, "openssl", "cms", "-verify", "-inform", "DER", "-in", "manifest.json.p7s", "-CAfile",
                "../signer.pem", "-out", "manifest.verified.json").exit());
        assertEquals(0, Tools.run(x, "sha256sum", "-c", "--strict", "--quiet", "SHA256SUMS").exit());
        assertNotEquals(0, checkTampered(zip), "the documented check fails on an export with failed materials");

        assertEquals(before + 2, metric("valv_integrity_failures_total", "where=\"export\""));
        for (String id : List.of(idFlipped, idTruncated)) {
            List<Map<String, Object>> events = given().auth().oauth2(Tokens.auditor())
                    .get("/api/v1/audit?clientId=" + world.client + "&materialId=" + id).then().statusCode(200).extract()
                    .path("items.findAll { it.action == 'material.integrity-failure' }");
            assertEquals(1, events.size(), "the DPO sees the integrity failure of " + id);
            assertEquals("error", events.get(0).get("outcome"));
            assertTrue(((String) events.get(0).get("detail")).startsWith("export: "));
        }
    }

    @Test
    void storeCutMidExportFailsTheDownloadAndLeavesNoCompleteArchive() throws Exception {
        World world = World.create();
        for (int i = 0; i < 3; i++) {
            Uploads.stored(world, world.jobId, "big" + i + ".bin", Uploads.randomBytes(8 * MIB, 30 + i));
        }
        Partial partial = readPartially(exportPath(world.client), MIB, () -> S3ProxyResource.kill(), 0);
        assertNotNull(partial.failure(), "the client's download fails");
        assertFalse(partial.failure() instanceof java.net.SocketTimeoutException, "cut off, not left hanging");
        assertNotComplete(partial.bytes());
        S3ProxyResource.restart();
        List<Map<String, Object>> aborted = given().auth().oauth2(Tokens.auditor())
                .get("/api/v1/audit?clientId=" + world.client)
                .then().statusCode(200).extract().path("items.findAll { it.action == 'client.export' }");
        assertEquals(1, aborted.size());
        assertEquals("error", aborted.get(0).get("outcome"));
        assertTrue(exports.latestManifestDigest(world.client).isEmpty(), "no manifest was delivered");
    }

    @Test
    void materialPurgedWhileTheExportStreamsAbortsIt() throws Exception {
        World world = World.create();
        String big = Uploads.stored(world, world.jobId, "long.wav", Uploads.randomBytes(40 * MIB, 40)).path("id");
        Uploads.stored(world, world.jobId, "after.wav", Uploads.randomBytes(100_000, 41));
        Partial partial = readPartially(exportPath(world.client), 256 * 1024,
                () -> given().auth().oauth2(Tokens.clientAdmin(world.client)).delete("/api/v1/materials/" + big).then()
                        .statusCode(202),
                2500);
        assertNotNull(partial.failure(), "the client's download fails");
        assertFalse(partial.failure() instanceof java.net.SocketTimeoutException, "cut off, not left hanging");
        assertTrue(partial.bytes().length < 40 * MIB, "cut off well before the end: " + partial.bytes().length);
        assertNotComplete(partial.bytes());
    }

    @Test
    void perJobExportHoldsOnlyThatJobAndOnlyItsClientAdminGetsIt() throws Exception {
        World world = World.create();
        String otherJob = given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clientId", world.client, "title", "Second", "reuseRequested", false)).post("/api/v1/jobs").then()
                .statusCode(201).extract().path("id");
        byte[] mine = Uploads.randomBytes(1_200_000, 50);
        String inJob = Uploads.stored(world, world.jobId, "in-job.wav", mine).path("id");
        Uploads.stored(world, otherJob, "other-job.wav", Uploads.randomBytes(300_000, 51));
        World stranger = World.create();

        String path = exportPath(world.client) + "?jobId=" + world.jobId;
        given().auth().oauth2(Tokens.uploader(world.client)).get(path).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(stranger.client)).get(path).then().statusCode(404);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get(exportPath(world.client) + "?jobId=" + stranger.jobId)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.clientAdmin(world.client)).get(exportPath(world.client) + "?jobId=" + UUID.randomUUID())
                .then().statusCode(404);

        byte[] zip = given().auth().oauth2(Tokens.clientAdmin(world.client)).get(path).then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString(world.jobId)).extract().asByteArray();
        Map<String, byte[]> entries = entries(zip);
        Map<String, Object> manifest = json(entries.get("manifest.json"));
        assertEquals(world.jobId, manifest.get("jobId"));
        List<Map<String, Object>> files = list(manifest, "files");
        assertEquals(1, files.size());
        assertEquals(inJob, files.get(0).get("materialId"));
        assertArrayEquals(mine, entries.get((String) files.get(0).get("path")));
        assertTrue(exports.latestManifestDigest(world.client).isEmpty(), "a per-job export is not the client's return");
    }

    // ---- helpers

    private record Partial(byte[] bytes, IOException failure) {
    }

    /**
     * Reads the export as a slow client: {@code before} bytes, then {@code meanwhile} runs, then a pause, then
     * the rest. Answers what arrived and how the download ended.
     */
    private Partial readPartially(String path, int before, Runnable meanwhile, long pauseMillis) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(base, path.substring(1)).openConnection();
        c.setRequestProperty("Authorization", "Bearer " + Tokens.clientAdmin(clientOf(path)));
        c.setReadTimeout(60_000);
        assertEquals(200, c.getResponseCode());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = c.getInputStream()) {
            while (got.size() < before) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new AssertionError("export ended before the failure was injected");
                }
                got.write(buffer, 0, n);
            }
            meanwhile.run();
            Thread.sleep(pauseMillis);
            for (int n; (n = in.read(buffer)) >= 0;) {
                got.write(buffer, 0, n);
            }
            return new Partial(got.toByteArray(), null);
        } catch (IOException e) {
            return new Partial(got.toByteArray(), e);
        }
    }

    private static String clientOf(String path) {
        Matcher m = Pattern.compile("/api/v1/clients/([^/]+)/").matcher(path);
        assertTrue(m.find());
        return m.group(1);
    }

    private static void assertNotComplete(byte[] partial) throws Exception {
        Path dir = Files.createTempDirectory("export-partial");
        Path file = dir.resolve("export.zip");
        Files.write(file, partial);
        assertNotEquals(0, Tools.run(dir, "unzip", "-tq", "export.zip").exit(),
                "the partial archive does not open as complete");
        assertThrows(IOException.class, () -> new ZipFile(file.toFile()).close());
    }

    /**
     * The block of docs/export.md, verbatim but for the test server's address, client and token. Without
     * {@code download}, the first line (fetching export.zip) is left out and the export.zip in {@code dir} is
     * checked instead.
     */
    private int runChecks(Path dir, String client, boolean download) throws Exception {
        String doc = Files.readString(Path.of("docs/export.md"));
        Matcher m = Pattern.compile("<!-- export-check:start -->\\s*```sh\\n(.*?)```\\s*<!-- export-check:end -->",
                Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "docs/export.md has the check block");
        String script = m.group(1).replace("https://valv.example/", base.toString()).replace("/clients/acme/",
                "/clients/" + client + "/");
        if (!download) {
            script = script.lines().filter(l -> !l.contains("-o export.zip")).map(l -> l + "\n").collect(Collectors.joining());
        }
        ProcessBuilder pb = new ProcessBuilder("sh", "-ec", script).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("check.log").toFile());
        pb.environment().put("TOKEN", Tokens.clientAdmin(client));
        return pb.start().waitFor();
    }

    private int checkTampered(byte[] zip) throws Exception {
        Path dir = Files.createTempDirectory("export-tampered");
        Files.write(dir.resolve("export.zip"), zip);
        return runChecks(dir, "unused", false);
    }

    /** The archive with entry {@code name} replaced by {@code bytes}, or left out when null. */
    private static byte[] rewrite(byte[] zip, String name, byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries(zip).entrySet()) {
                byte[] content = e.getKey().equals(name) ? bytes : e.getValue();
                if (content != null) {
                    z.putNextEntry(new ZipEntry(e.getKey()));
                    z.write(content);
                    z.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] flipFirst(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[0] ^= 1;
        return copy;
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static String exportPath(String client) {
        return "/api/v1/clients/" + client + "/export";
    }

    private static String signer() {
        return given().get("/api/v1/certificates/signing-certificate").then().statusCode(200).extract().asString();
    }

    private static double metric(String name, String labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\}\\s+(\\S+)").matcher(text);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(byte[] bytes) throws IOException {
        return new ObjectMapper().readValue(bytes, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> manifest, String key) {
        return (List<Map<String, Object>>) manifest.get(key);
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> files) {
        return files.stream().collect(Collectors.toMap(f -> (String) f.get("materialId"), f -> f));
    }
}
