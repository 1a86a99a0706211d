package io.valv.material;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUploader;
import io.valv.testing.Database;
import io.valv.testing.NetworkCut;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Resumable uploads with the official tus Java client against S3Proxy: real multipart parts (8 MiB in tests),
 * a connection killed mid-body and resumed from HEAD's offset, and every refusal as problem+json.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class TusUploadTest {

    @Inject
    UploadDigests digests;

    static final int MIB = MaterialApiTest.MIB;
    static final int PART = 8 * MIB;

    @Test
    void twentyMebibytesInChunksArriveByteIdentical() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(20 * MIB + 12345, 41);
        TusClient client = client(world, RestAssured.port);
        TusUploader uploader = client.createUpload(upload(data, "interview.wav", "audio/wav"));
        uploader.setChunkSize(MIB);
        // PATCHes of just over 1 MiB, as a browser client sends them, aligned to no part: every offset sent is kept
        uploader.setRequestPayloadSize(MIB + 1);
        while (uploader.uploadChunk() > -1) {
            // sends the next PATCH
        }
        uploader.finish();
        assertEquals(data.length, uploader.getOffset());

        String materialId = materialIdOf(uploader.getUploadURL(), world);
        assertStoredIdentical(world, materialId, data);
        StoredObjects.awaitNoOrphans();
    }

    @Test
    void aConnectionKilledMidBodyResumesFromTheDurableOffset() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(30 * MIB + 7, 42);
        try (NetworkCut link = new NetworkCut(RestAssured.port)) {
            TusURLMemoryStore urls = new TusURLMemoryStore();
            TusClient client = client(world, link.port());
            client.enableResuming(urls);
            // One PATCH for the whole file, cut just short of the third part's end. Socket buffers on the way
            // may hold several MiB, so the server has seen at least one whole part, perhaps two, never three.
            io.tus.java.client.TusUpload upload = upload(new CuttingStream(data, 3 * PART - 4096, link::cut), data.length,
                    "cut.bin", "application/octet-stream");
            TusUploader first = client.createUpload(upload);
            first.setRequestPayloadSize(data.length);
            URL url = first.getUploadURL();
            assertThrows(IOException.class, () -> {
                while (first.uploadChunk() > -1) {
                    // until the link dies
                }
                first.finish();
            });
            link.restore();

            // whole parts and the sealed tail of the one cut are durable: the offset is where the client resumes
            long offset = awaitSettledOffset(url, world);
            assertTrue(offset > 0 && offset <= 3 * PART - 4096, "durable offset within what was sent: " + offset);
            TusUploader resumed = resumeWhenFree(client, upload(data, "cut.bin", "application/octet-stream"));
            assertEquals(offset, resumed.getOffset());
            resumed.setRequestPayloadSize(data.length);
            while (resumed.uploadChunk() > -1) {
                // the rest
            }
            resumed.finish();
            String materialId = materialIdOf(url, world);
            assertStoredIdentical(world, materialId, data);
        }
        StoredObjects.awaitNoOrphans();
    }

    /**
     * The official tus-java-client over sizes around the part boundary and PATCH sizes from 64 KiB to the whole
     * file; the rows with a cut lose the connection at 60 % of the file, in the middle of a PATCH, and resume
     * from the offset the server says is durable. Every row ends with the same bytes stored and no trace left.
     */
    @ParameterizedTest(name = "{0} bytes in PATCHes of {1}, cut: {2}")
    @MethodSource("sizesChunksAndCuts")
    void anySizeInAnyChunkSizeArrivesWhetherOrNotTheLinkBreaks(int size, int payload, boolean cut) throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(size, size ^ payload);
        try (NetworkCut link = new NetworkCut(RestAssured.port)) {
            // only the rows with a cut go through the cuttable link
            TusClient client = client(world, cut ? link.port() : RestAssured.port);
            client.enableResuming(new TusURLMemoryStore());
            int cutAt = cut ? size * 3 / 5 : Integer.MAX_VALUE;
            TusUploader first = client.createUpload(upload(new CuttingStream(data, cutAt, link::cut), data.length,
                    "matrix.bin", "application/octet-stream"));
            first.setChunkSize(Math.min(payload, 2 * MIB));
            first.setRequestPayloadSize(payload);
            URL url = first.getUploadURL();
            if (cut) {
                assertThrows(IOException.class, () -> {
                    while (first.uploadChunk() > -1) {
                        // until the link dies
                    }
                    first.finish();
                });
                link.restore();
                long offset = awaitSettledOffset(url, world);
                assertTrue(offset <= cutAt, "durable offset " + offset + " within the " + cutAt + " bytes sent");
                TusUploader resumed = resumeWhenFree(client, upload(data, "matrix.bin", "application/octet-stream"));
                assertEquals(offset, resumed.getOffset());
                resumed.setChunkSize(Math.min(payload, 2 * MIB));
                resumed.setRequestPayloadSize(payload);
                while (resumed.uploadChunk() > -1) {
                    // the rest
                }
                resumed.finish();
            } else {
                while (first.uploadChunk() > -1) {
                    // the next PATCH
                }
                first.finish();
                assertEquals(data.length, first.getOffset());
            }
            assertStoredIdentical(world, materialIdOf(url, world), data);
        }
        StoredObjects.awaitNoOrphans();
    }

    static Stream<Arguments> sizesChunksAndCuts() {
        List<Arguments> rows = new ArrayList<>();
        for (int size : new int[] { 1, PART - 1, PART, PART + 1, 2 * PART + 123 }) {
            for (int payload : new int[] { 64 * 1024, MIB + 1, Integer.MAX_VALUE }) {
                rows.add(Arguments.of(size, Math.min(payload, size), false));
            }
        }
        for (int size : new int[] { PART + 1, 2 * PART + 123 }) {
            for (int payload : new int[] { MIB + 1, Integer.MAX_VALUE }) {
                rows.add(Arguments.of(size, Math.min(payload, size), true));
            }
        }
        return rows.stream();
    }

    /** Any chunk size makes progress: the bytes of an unfinished part are kept, sealed, never as plaintext. */
    @Test
    void aPatchEndingMidPartKeepsItsBytesSealedAndSaysSo() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(10 * MIB, 2);
        String url = create(world, data.length, meta("a.bin", "false"));
        patch(world, url, 0, Arrays.copyOf(data, 3 * MIB)).then().statusCode(204)
                .header("Upload-Offset", "" + 3 * MIB).header("Tus-Resumable", "1.0.0");
        head(world, url).then().statusCode(200).header("Upload-Offset", "" + 3 * MIB)
                .header("Upload-Length", "" + (10 * MIB)).header("Upload-Expires", notNullValue());
        byte[] sealed = Database.bytes("select t.sealed from tus_upload_tail t join tus_upload u on u.id = t.upload_id "
                + "join material m on m.id = u.material_id where m.job_id = ?::uuid", world.jobId);
        assertEquals(3 * MIB + 28, sealed.length, "nonce, ciphertext, tag");
        assertFalse(contains(sealed, Arrays.copyOfRange(data, 1000, 1032)), "no plaintext in the database");

        // the wrong offset is refused and changes nothing
        patch(world, url, 0, Arrays.copyOf(data, MIB)).then().statusCode(409);
        head(world, url).then().statusCode(200).header("Upload-Offset", "" + 3 * MIB);

        // the next request fills the part (it goes to the store) and leaves a new tail
        patch(world, url, 3 * MIB, Arrays.copyOfRange(data, 3 * MIB, 9 * MIB)).then().statusCode(204)
                .header("Upload-Offset", "" + 9 * MIB);
        String materialId = patch(world, url, 9 * MIB, Arrays.copyOfRange(data, 9 * MIB, data.length)).then()
                .statusCode(204).header("Upload-Offset", "" + (10 * MIB)).extract().header("Valv-Material-Id");
        assertStoredIdentical(world, materialId, data);
        head(world, url).then().statusCode(200).header("Valv-Material-Id", materialId);
        assertEquals(0, Database.count("select count(*) from tus_upload_tail"), "no tail outlives its upload");
    }

    /**
     * One part is in flight to the store while the next arrives: when the store dies mid-PATCH, the durable offset
     * is the end of the last part the store took, nothing after it is kept, and the rest sent again completes the
     * file byte for byte.
     */
    @Test
    void aStoreFailingMidPatchKeepsExactlyThePartsItTook() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(4 * PART + 123, 17);
        String url = create(world, data.length, meta("store-dies.bin", "false"));
        InputStream body = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (data.length - available() >= 2 * PART + PART / 2) {
                    S3ProxyResource.kill();
                }
                return super.read(b, off, Math.min(len, 64 * 1024));
            }
        };
        try {
            tus(Tokens.uploader(world.client)).header("Upload-Offset", "0").contentType(TusResource.OFFSET_TYPE)
                    .body(body).patch(url).then().statusCode(503).body("type", endsWith("/storage-unavailable"));
        } finally {
            S3ProxyResource.restart();
        }
        long offset = Long.parseLong(head(world, url).then().statusCode(200).extract().header("Upload-Offset"));
        assertTrue(offset % PART == 0 && offset <= 2L * PART, "the end of a part the store took: " + offset);
        assertEquals(0, Database.count("select count(*) from tus_upload_tail"), "nothing kept after a refused part");
        String materialId = patch(world, url, offset, Arrays.copyOfRange(data, (int) offset, data.length)).then()
                .statusCode(204).header("Upload-Offset", "" + data.length).extract().header("Valv-Material-Id");
        assertStoredIdentical(world, materialId, data);
        StoredObjects.awaitNoOrphans();
    }

    /** A client that sends one byte per request, across a segment boundary, ends up with the right file. */
    @Test
    void oneByteAtATimeArrivesByteIdentical() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(MIB + 40, 9);
        String url = create(world, data.length, meta("drip.bin", "false"));
        patch(world, url, 0, Arrays.copyOf(data, MIB - 20)).then().statusCode(204).header("Upload-Offset", "" + (MIB - 20));
        String materialId = null;
        for (int at = MIB - 20; at < data.length; at++) {
            materialId = patch(world, url, at, new byte[] { data[at] }).then().statusCode(204)
                    .header("Upload-Offset", "" + (at + 1)).extract().header("Valv-Material-Id");
        }
        assertStoredIdentical(world, materialId, data);
    }

    @Test
    void creationWithUploadTakesTheFirstBytesAlong() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(9 * MIB + 3, 7);
        Response created = tus(Tokens.uploader(world.client)).header("Upload-Length", "" + data.length)
                .header("Upload-Metadata", meta("a.bin", "false")).contentType(TusResource.OFFSET_TYPE)
                .body(Arrays.copyOf(data, PART + 5)).post("/api/v1/jobs/" + world.jobId + "/uploads");
        created.then().statusCode(201).header("Upload-Offset", "" + (PART + 5)).header("Tus-Resumable", "1.0.0");
        String url = created.header("Location");
        String materialId = patch(world, url, PART + 5, Arrays.copyOfRange(data, PART + 5, data.length)).then().statusCode(204)
                .extract().header("Valv-Material-Id");
        assertStoredIdentical(world, materialId, data);

        // the whole file in the creation request
        byte[] small = Uploads.randomBytes(1000, 8);
        String smallId = tus(Tokens.uploader(world.client)).header("Upload-Length", "1000")
                .header("Upload-Metadata", meta("b.bin", "false")).contentType(TusResource.OFFSET_TYPE).body(small)
                .post("/api/v1/jobs/" + world.jobId + "/uploads").then().statusCode(201).header("Upload-Offset", "1000")
                .extract().header("Valv-Material-Id");
        assertStoredIdentical(world, smallId, small);
    }

    @Test
    void anEmptyFileCompletesWithItsOnePatch() {
        World world = World.create();
        String url = create(world, 0, meta("empty.txt", "false"));
        String materialId = patch(world, url, 0, new byte[0]).then().statusCode(204).header("Upload-Offset", "0")
                .extract().header("Valv-Material-Id");
        assertStoredIdentical(world, materialId, new byte[0]);
    }

    @Test
    void optionsAdvertisesTheProtocol() {
        given().options("/api/v1/jobs/" + java.util.UUID.randomUUID() + "/uploads").then().statusCode(204)
                .header("Tus-Version", "1.0.0").header("Tus-Resumable", "1.0.0")
                .header("Tus-Extension", "creation,creation-with-upload,termination,expiration,checksum")
                .header("Tus-Max-Size", "" + 64 * MIB)
                .header("Tus-Checksum-Algorithm", "sha256").header("Valv-Upload-Part-Size", "" + PART);
    }

    @Test
    void refusalsAreProblemsAndLeaveNothing() {
        World world = World.create();
        String jobUploads = "/api/v1/jobs/" + world.jobId + "/uploads";
        // wrong role, other client, bad metadata, no protocol version, too large
        tus(Tokens.staff("alice")).header("Upload-Length", "10").header("Upload-Metadata", meta("a", "false"))
                .post(jobUploads).then().statusCode(403).contentType("application/problem+json")
                .header("Tus-Resumable", "1.0.0");
        tus(Tokens.uploader("other-client")).header("Upload-Length", "10").header("Upload-Metadata", meta("a", "false"))
                .post(jobUploads).then().statusCode(404).contentType("application/problem+json")
                .header("Tus-Resumable", "1.0.0");
        given().header("Tus-Resumable", "1.0.0").header("Upload-Length", "10").post(jobUploads).then().statusCode(401)
                .header("Tus-Resumable", "1.0.0");
        Map<String, String> badMetadata = new LinkedHashMap<>();
        badMetadata.put("filename " + b64("a.bin"), "missing-personal-data-declaration");
        badMetadata.put("filename " + b64("a.bin") + ",personal-data " + b64("maybe"), "invalid-personal-data-declaration");
        badMetadata.put("personal-data " + b64("false"), "missing-filename");
        badMetadata.put("filename " + b64("../x") + ",personal-data " + b64("false"), "invalid-filename");
        badMetadata.put("filename !!!,personal-data " + b64("false"), "invalid-upload-metadata");
        badMetadata.put(meta("a.bin", "false") + ",sha256 " + b64("short"), "invalid-upload-metadata");
        badMetadata.forEach((metadata, type) -> tus(Tokens.uploader(world.client)).header("Upload-Length", "10")
                .header("Upload-Metadata", metadata).post(jobUploads).then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/" + type)));
        tus(Tokens.uploader(world.client)).header("Upload-Length", "-1").header("Upload-Metadata", meta("a", "false"))
                .post(jobUploads).then().statusCode(400).body("type", endsWith("/invalid-upload-length"));
        tus(Tokens.uploader(world.client)).header("Upload-Length", "" + (65 * MIB))
                .header("Upload-Metadata", meta("a", "false")).post(jobUploads).then().statusCode(413)
                .body("type", endsWith("/too-large"));
        given().auth().oauth2(Tokens.uploader(world.client)).header("Upload-Length", "10")
                .header("Upload-Metadata", meta("a", "false")).post(jobUploads).then().statusCode(412)
                .header("Tus-Version", "1.0.0").contentType("application/problem+json");

        String url = create(world, 10, meta("a.bin", "false"));
        // wrong offset, wrong content type, someone else (same client, other subject; other client)
        patch(world, url, 5, new byte[5]).then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/upload-offset-mismatch")).header("Tus-Resumable", "1.0.0");
        tus(Tokens.uploader(world.client)).header("Upload-Offset", "0").contentType("application/octet-stream")
                .body(new byte[10]).patch(url).then().statusCode(415).contentType("application/problem+json");
        String colleague = Tokens.token("colleague", world.client, "client-uploader");
        tus(colleague).head(url).then().statusCode(404);
        tus(colleague).header("Upload-Offset", "0").contentType(TusResource.OFFSET_TYPE).body(new byte[10]).patch(url)
                .then().statusCode(404).contentType("application/problem+json");
        tus(Tokens.uploader("other-client")).delete(url).then().statusCode(404);
        tus(Tokens.uploader(world.client)).head("/api/v1/uploads/nonexistent").then().statusCode(404);

        // a closed job takes neither new uploads nor further chunks
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/complete").then()
                .statusCode(200);
        patch(world, url, 0, new byte[10]).then().statusCode(409).body("type", endsWith("/job-closed"));
        tus(Tokens.uploader(world.client)).header("Upload-Length", "10").header("Upload-Metadata", meta("a", "false"))
                .post(jobUploads).then().statusCode(409).body("type", endsWith("/job-closed"));
        tus(Tokens.uploader(world.client)).delete(url).then().statusCode(204);
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/jobs/" + world.jobId + "/materials").then()
                .statusCode(200).body("", hasSize(0));
        StoredObjects.awaitNoOrphans();
    }

    @Test
    void checksummedChunksAreCheckedBeforeAnythingIsKept() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(PART + 3000, 11);
        String url = create(world, data.length, meta("checked.bin", "false"));
        checked(world, url, 0, Arrays.copyOfRange(data, 0, 1000), Arrays.copyOfRange(data, 0, 1000)).then().statusCode(204)
                .header("Upload-Offset", "1000");

        // a chunk damaged on the way: 460, and the offset stays
        byte[] damaged = Arrays.copyOfRange(data, 1000, 2000);
        damaged[10] ^= 1;
        checked(world, url, 1000, damaged, Arrays.copyOfRange(data, 1000, 2000)).then().statusCode(460)
                .contentType("application/problem+json").body("type", endsWith("/checksum-mismatch"))
                .header("Tus-Resumable", "1.0.0");
        head(world, url).then().statusCode(200).header("Upload-Offset", "1000");
        // other algorithms, malformed headers, and a checksummed chunk past the part boundary keep nothing either
        tus(Tokens.uploader(world.client)).header("Upload-Offset", "1000").header("Upload-Checksum", "md5 AAAA")
                .contentType(TusResource.OFFSET_TYPE).body(new byte[10]).patch(url).then().statusCode(400)
                .body("type", endsWith("/checksum-algorithm-unsupported"));
        tus(Tokens.uploader(world.client)).header("Upload-Offset", "1000").header("Upload-Checksum", "sha256 !!")
                .contentType(TusResource.OFFSET_TYPE).body(new byte[10]).patch(url).then().statusCode(400)
                .body("type", endsWith("/invalid-upload-checksum"));
        byte[] pastPart = Arrays.copyOfRange(data, 1000, PART + 1);
        checked(world, url, 1000, pastPart, pastPart).then().statusCode(400).body("type", endsWith("/checksum-chunk-too-long"));
        head(world, url).then().statusCode(200).header("Upload-Offset", "1000");

        // the rest of the part, checked (it goes to the store whole), then the remainder without a checksum
        byte[] restOfPart = Arrays.copyOfRange(data, 1000, PART);
        checked(world, url, 1000, restOfPart, restOfPart).then().statusCode(204).header("Upload-Offset", "" + PART);
        String materialId = patch(world, url, PART, Arrays.copyOfRange(data, PART, data.length)).then().statusCode(204)
                .extract().header("Valv-Material-Id");
        assertStoredIdentical(world, materialId, data);

        // creation-with-upload: a damaged first chunk creates no upload at all
        long before = Database.count("select count(*) from tus_upload");
        byte[] first = Arrays.copyOf(data, 500);
        byte[] wrong = first.clone();
        wrong[0] ^= 1;
        tus(Tokens.uploader(world.client)).header("Upload-Length", "" + data.length)
                .header("Upload-Metadata", meta("first.bin", "false")).header("Upload-Checksum", checksum(first))
                .contentType(TusResource.OFFSET_TYPE).body(wrong).post("/api/v1/jobs/" + world.jobId + "/uploads").then()
                .statusCode(460).body("type", endsWith("/checksum-mismatch"));
        assertEquals(before, Database.count("select count(*) from tus_upload"), "a refused first chunk creates nothing");
        String begun = tus(Tokens.uploader(world.client)).header("Upload-Length", "" + data.length)
                .header("Upload-Metadata", meta("first.bin", "false")).header("Upload-Checksum", checksum(first))
                .contentType(TusResource.OFFSET_TYPE).body(first).post("/api/v1/jobs/" + world.jobId + "/uploads").then()
                .statusCode(201).header("Upload-Offset", "500").extract().header("Location");
        tus(Tokens.uploader(world.client)).delete(begun).then().statusCode(204);
        StoredObjects.awaitNoOrphans();
    }

    private static Response checked(World world, String url, long offset, byte[] body, byte[] digestOf) throws Exception {
        return tus(Tokens.uploader(world.client)).header("Upload-Offset", "" + offset)
                .header("Upload-Checksum", checksum(digestOf)).contentType(TusResource.OFFSET_TYPE).body(body).patch(url);
    }

    private static String checksum(byte[] chunk) throws Exception {
        return "sha256 " + Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(chunk));
    }

    @Test
    void aWrongWholeFileDigestStoresNothing() {
        World world = World.create();
        String url = create(world, 100, meta("a.bin", "false") + ",sha256 "
                + Base64.getEncoder().encodeToString(new byte[32]));
        patch(world, url, 0, new byte[100]).then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/digest-mismatch"));
        head(world, url).then().statusCode(404);
        assertEquals(0, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId));
        StoredObjects.awaitNoOrphans();
    }

    /**
     * A request that comes to a replica without the upload's digest in memory (another replica took the last one,
     * or this one restarted) hashes nothing; the completing request hashes the assembled object instead, so the
     * stored SHA-256 is still the file's, and a wrong whole-file digest still stores nothing.
     */
    @Test
    void anUploadResumedWithoutItsDigestInMemoryIsHashedFromTheAssembledObject() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(2 * PART + 123, 12);
        String url = create(world, data.length, meta("elsewhere.bin", "false") + ",sha256 "
                + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex(data))));
        String id = url.substring(url.lastIndexOf('/') + 1);
        patch(world, url, 0, Arrays.copyOf(data, PART + 5)).then().statusCode(204);
        digests.forget(id);
        String materialId = patch(world, url, PART + 5, Arrays.copyOfRange(data, PART + 5, data.length)).then()
                .statusCode(204).header("Upload-Offset", "" + data.length).extract().header("Valv-Material-Id");
        assertStoredIdentical(world, materialId, data);

        String wrong = create(world, data.length, meta("wrong.bin", "false") + ",sha256 "
                + Base64.getEncoder().encodeToString(new byte[32]));
        patch(world, wrong, 0, Arrays.copyOf(data, PART)).then().statusCode(204);
        digests.forget(wrong.substring(wrong.lastIndexOf('/') + 1));
        patch(world, wrong, PART, Arrays.copyOfRange(data, PART, data.length)).then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/digest-mismatch"));
        head(world, wrong).then().statusCode(404);
        assertEquals(1, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId),
                "only the first upload is stored");
        StoredObjects.awaitNoOrphans(); // the assembled object of the refused one is deleted
    }

    @Test
    void terminationAbortsTheMultipartUploadAndLeavesNoTrace() {
        World world = World.create();
        String url = create(world, 12 * MIB, meta("a.bin", "true"));
        patch(world, url, 0, Uploads.randomBytes(PART, 3)).then().statusCode(204)
                .header("Upload-Offset", "" + PART);
        assertEquals(1, StoredObjects.pendingMultipartUploads());
        tus(Tokens.uploader(world.client)).delete(url).then().statusCode(204).header("Tus-Resumable", "1.0.0");
        head(world, url).then().statusCode(404);
        assertEquals(0, Database.count("select count(*) from material where job_id = ?::uuid", world.jobId));
        assertEquals(1, Database.count("select count(*) from audit_event where job_id = ?::uuid and action = ?",
                world.jobId, "material.upload.abandon"));
        StoredObjects.awaitNoOrphans();
    }

    /**
     * The state a request leaves when its part's ciphertext may have reached the store but was never recorded
     * (an S3 answer lost, a SIGKILL between UploadPart and the commit): a pending commitment to that part's
     * plaintext. A resend with other bytes is refused before anything is encrypted for the store, so the part's
     * nonces never cover two plaintexts.
     */
    @Test
    void aPartThatMayHaveReachedTheStoreIsOnlyResentWithTheSameBytes() throws Exception {
        World world = World.create();
        String url = create(world, 12 * MIB, meta("a.bin", "false"));
        String id = url.substring(url.lastIndexOf('/') + 1);
        sql("insert into tus_pending_part (upload_id, part_number, tag) values (?, 1, ?)", id, new byte[32]);
        patch(world, url, 0, Uploads.randomBytes(PART, 5)).then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/resumed-part-differs"));
        head(world, url).then().statusCode(200).header("Upload-Offset", "0");
        assertEquals(0, Database.count("select count(*) from tus_upload_part where upload_id = ?", id));
        // the commitment stays until that part is recorded
        assertEquals(1, Database.count("select count(*) from tus_pending_part where upload_id = ? and part_number = 1", id));
        tus(Tokens.uploader(world.client)).delete(url).then().statusCode(204);
        StoredObjects.awaitNoOrphans();
    }

    /**
     * Two parts are in flight at once (PartPipeline), recorded strictly in order: when the second may not go (an
     * earlier attempt at it committed to other bytes), the first is still recorded and is the durable offset, the
     * second's commitment stays, and nothing after it is recorded. A PATCH whose parts all land leaves no
     * commitment behind.
     */
    @Test
    void partsInFlightAreRecordedInOrderAndALeftoverCommitmentBindsTheSecond() throws Exception {
        World world = World.create();
        String url = create(world, 3L * PART, meta("a.bin", "false"));
        String id = url.substring(url.lastIndexOf('/') + 1);
        sql("insert into tus_pending_part (upload_id, part_number, tag) values (?, 2, ?)", id, new byte[32]);
        byte[] bytes = Uploads.randomBytes(3 * PART, 7);
        patch(world, url, 0, bytes).then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/resumed-part-differs"));
        head(world, url).then().statusCode(200).header("Upload-Offset", "" + PART);
        assertEquals(1, Database.count("select count(*) from tus_upload_part where upload_id = ?", id));
        assertEquals(0, Database.count("select count(*) from tus_pending_part where upload_id = ? and part_number = 1", id));
        assertEquals(1, Database.count(
                "select count(*) from tus_pending_part where upload_id = ? and part_number = 2 and tag = ?", id, new byte[32]));
        tus(Tokens.uploader(world.client)).delete(url).then().statusCode(204);
        assertEquals(0, Database.count("select count(*) from tus_pending_part where upload_id = ?", id));
        StoredObjects.awaitNoOrphans();

        String whole = create(world, 3L * PART + 5, meta("b.bin", "false"));
        String wholeId = whole.substring(whole.lastIndexOf('/') + 1);
        byte[] file = Uploads.randomBytes(3 * PART + 5, 8);
        patch(world, whole, 0, file).then().statusCode(204).header("Upload-Offset", "" + file.length);
        assertEquals(0, Database.count("select count(*) from tus_pending_part where upload_id = ?", wholeId));
        assertEquals(4, Database.count("select count(*) from tus_upload_part where upload_id = ?", wholeId));
    }

    @Test
    void oneAppendAtATime() throws Exception {
        World world = World.create();
        String url = create(world, 12 * MIB, meta("a.bin", "false"));
        String id = url.substring(url.lastIndexOf('/') + 1);
        // another replica's PATCH holds the lease
        sql("update tus_upload set lease_token = 'elsewhere', lease_until = now() + interval '1 minute' where id = ?", id);
        patch(world, url, 0, new byte[100]).then().statusCode(423).contentType("application/problem+json")
                .body("type", endsWith("/upload-busy"));
        tus(Tokens.uploader(world.client)).delete(url).then().statusCode(423);
        sql("update tus_upload set lease_until = now() - interval '1 second' where id = ?", id); // it lapsed
        patch(world, url, 0, Uploads.randomBytes(PART, 6)).then().statusCode(204).header("Upload-Offset", "" + PART);
        tus(Tokens.uploader(world.client)).delete(url).then().statusCode(204);
        StoredObjects.awaitNoOrphans();
    }

    private static void sql(String statement, Object... args) throws Exception {
        try (Connection c = Database.connect(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            assertEquals(1, s.executeUpdate());
        }
    }

    @Test
    void expiredUploadsAreSwept() throws Exception {
        World world = World.create();
        String url = create(world, 12 * MIB, meta("a.bin", "false"));
        patch(world, url, 0, Uploads.randomBytes(PART, 4)).then().statusCode(204);
        String id = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = Database.connect();
                PreparedStatement s = c.prepareStatement(
                        "update tus_upload set expires_at = now() - interval '1 minute', lease_token = 'test',"
                                // a lease held for a few seconds keeps the sweeper off while the 410s are checked
                                + " lease_until = now() + interval '4 seconds' where id = ?")) {
            s.setString(1, id);
            assertEquals(1, s.executeUpdate());
        }
        head(world, url).then().statusCode(410); // HEAD answers carry no body
        tus(Tokens.uploader(world.client)).header("Upload-Offset", "" + PART).contentType(TusResource.OFFSET_TYPE)
                .body(new byte[1]).patch(url).then().statusCode(410).contentType("application/problem+json")
                .body("type", endsWith("/upload-expired"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Database.count("select count(*) from material where job_id = ?::uuid", world.jobId) > 0) {
            assertTrue(System.nanoTime() < deadline, "the sweeper removes the expired upload");
            Thread.sleep(200);
        }
        head(world, url).then().statusCode(404);
        assertEquals(1, Database.count("select count(*) from audit_event where job_id = ?::uuid and action = ?",
                world.jobId, "material.upload.abandon"));
        StoredObjects.awaitNoOrphans();
    }

    // --- helpers

    private static TusClient client(World world, int port) throws IOException {
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL("http://127.0.0.1:" + port + "/api/v1/jobs/" + world.jobId + "/uploads"));
        client.setHeaders(Map.of("Authorization", "Bearer " + Tokens.uploader(world.client)));
        return client;
    }

    private static io.tus.java.client.TusUpload upload(byte[] data, String filename, String type) throws IOException {
        return upload(new ByteArrayInputStream(data), data.length, filename, type);
    }

    private static io.tus.java.client.TusUpload upload(InputStream in, long size, String filename, String type) {
        io.tus.java.client.TusUpload upload = new io.tus.java.client.TusUpload();
        upload.setInputStream(in);
        upload.setSize(size);
        upload.setFingerprint(filename + "-" + size);
        upload.setMetadata(Map.of("filename", filename, "filetype", type, "personal-data", "false"));
        return upload;
    }

    /** Resumes once the cut PATCH has let go of the upload (its lease is released when the server notices). */
    private static TusUploader resumeWhenFree(TusClient client, io.tus.java.client.TusUpload upload) throws Exception {
        for (int attempt = 0;; attempt++) {
            try {
                return client.resumeUpload(upload);
            } catch (ProtocolException e) {
                if (attempt > 50) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** The offset once the cut PATCH has ended on the server: unchanged for a second. */
    private static long awaitSettledOffset(URL url, World world) throws InterruptedException {
        long previous = -1;
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int stable = 0; stable < 10 && System.nanoTime() < deadline;) {
            long offset = Long.parseLong(head(world, url.toString()).then().statusCode(200).extract().header("Upload-Offset"));
            stable = offset == previous && offset > 0 ? stable + 1 : 0;
            previous = offset;
            Thread.sleep(100);
        }
        return previous;
    }

    private static String materialIdOf(URL url, World world) {
        return head(world, url.toString()).then().statusCode(200).extract().header("Valv-Material-Id");
    }

    private static void assertStoredIdentical(World world, String materialId, byte[] data) {
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/materials/" + materialId).then().statusCode(200)
                .body("size", equalTo(data.length)).body("state", equalTo("stored"))
                .body("sha256", equalTo(sha256Hex(data)));
        byte[] content = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + materialId + "/content")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(data, content);
    }

    private static RequestSpecification tus(String token) {
        return given().auth().oauth2(token).header("Tus-Resumable", "1.0.0");
    }

    private static String create(World world, long length, String metadata) {
        return tus(Tokens.uploader(world.client)).header("Upload-Length", "" + length).header("Upload-Metadata", metadata)
                .post("/api/v1/jobs/" + world.jobId + "/uploads").then().statusCode(201)
                .header("Tus-Resumable", "1.0.0").header("Upload-Expires", notNullValue()).extract().header("Location");
    }

    private static Response patch(World world, String url, long offset, byte[] body) {
        return tus(Tokens.uploader(world.client)).header("Upload-Offset", "" + offset)
                .contentType(TusResource.OFFSET_TYPE).body(body).patch(url);
    }

    private static Response head(World world, String url) {
        return tus(Tokens.uploader(world.client)).head(url);
    }

    static String meta(String filename, String personalData) {
        return "filename " + b64(filename) + ",personal-data " + b64(personalData);
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves the data and runs {@code cut} once the reader has taken {@code cutAt} bytes. */
    private static final class CuttingStream extends ByteArrayInputStream {

        private final int cutAt;
        private final Runnable cut;

        CuttingStream(byte[] data, int cutAt, Runnable cut) {
            super(data);
            this.cutAt = cutAt;
            this.cut = cut;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (pos >= cutAt) {
                cut.run();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.read(b, off, Math.min(len, Math.max(1, cutAt - pos)));
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
