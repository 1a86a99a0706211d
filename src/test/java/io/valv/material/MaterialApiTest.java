package io.valv.material;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** Upload and read back through the public API, against PostgreSQL and S3Proxy. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class MaterialApiTest {

    static final int MIB = 1 << 20;

    static String digestHeader(byte[] data) throws Exception {
        return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data)) + ":";
    }

    static Response upload(World world, String token, byte[] data, String filename) {
        return given().auth().oauth2(token).header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(data)
                .post("/api/v1/jobs/" + world.jobId + "/materials");
    }

    /**
     * What curl sends for {@code -H 'Content-Disposition: attachment; filename="intervju-åsa-07.wav"'}: the name's
     * raw UTF-8 octets. Written to the socket by hand, since Java's HTTP clients would replace them.
     */
    @Test
    void aRawUtf8FilenameComesThroughAsSent() throws Exception {
        World world = World.create();
        for (String name : java.util.List.of("intervju-åsa-07.wav", "مقابلة-😀.wav")) {
            java.net.URI base = java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port);
            String response;
            try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                String request = "POST /api/v1/jobs/" + world.jobId + "/materials HTTP/1.1\r\nHost: " + base.getHost()
                        + "\r\nAuthorization: Bearer " + Tokens.uploader(world.client) + "\r\nContent-Disposition: attachment; "
                        + "filename=\"" + name + "\"\r\nValv-Personal-Data: true\r\nContent-Type: audio/wav\r\n"
                        + "Content-Length: 3\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                socket.getOutputStream().write(new byte[] { 1, 2, 3 });
                socket.getOutputStream().flush();
                response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(response.startsWith("HTTP/1.1 201"), response);
            String id = response.replaceAll("(?s).*\"id\":\"([0-9a-f-]{36})\".*", "$1");
            given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/materials/" + id).then().statusCode(200)
                    .body("filename", equalTo(name));
        }
    }

    @Test
    void uploadThenReadBackWholeAndInRanges() throws Exception {
        World world = World.create();
        byte[] data = Uploads.randomBytes(20 * MIB + 12345, 1);
        String id = given().auth().oauth2(Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename*=UTF-8''intervju%20%C3%A5%C3%A4%C3%B6.wav")
                .header("Valv-Personal-Data", "true").header("Content-Digest", digestHeader(data))
                .contentType("audio/wav").body(data)
                .post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(201)
                .body("filename", equalTo("intervju åäö.wav"))
                .body("size", equalTo(data.length))
                .body("sha256", equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))))
                .body("expiresAt", startsWith("20"))
                .extract().path("id");

        byte[] whole = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Accept-Ranges", "bytes")
                .header("ETag", containsString("\""))
                .header("Content-Disposition", startsWith("attachment; filename=\"intervju ___.wav\"; filename*=UTF-8''"))
                .extract().asByteArray();
        assertArrayEquals(data, whole);

        // a range across a segment boundary, a suffix range and an open-ended range
        assertRange(id, "bytes=1048570-1048600", data, 1048570, 1048600);
        assertRange(id, "bytes=-1000", data, data.length - 1000, data.length - 1);
        assertRange(id, "bytes=" + (15 * MIB + 3) + "-", data, 15 * MIB + 3, data.length - 1);
        assertRange(id, "bytes=0-0", data, 0, 0);

        given().auth().oauth2(Tokens.staff("alice")).header("Range", "bytes=" + data.length + "-")
                .get("/api/v1/materials/" + id + "/content")
                .then().statusCode(416).header("Content-Range", "bytes */" + data.length)
                .contentType("application/problem+json");

        // the client's admin may read its own material back (return of data)
        byte[] returned = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + id + "/content")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(data, returned);
    }

    /**
     * Each step of a content read is timed (valv_content_read_phase_seconds, the benchmark's range breakdown),
     * once per read; a refused read ends inside the lookup: its ciphertext is never fetched, nor any key unwrapped.
     */
    @Test
    void contentReadsTimeEachStepAndARefusedReadFetchesNothing() {
        World world = World.create();
        byte[] data = Uploads.randomBytes(3 * MIB + 7, 3);
        String id = upload(world, Tokens.uploader(world.client), data, "steps.wav").then().statusCode(201).extract()
                .path("id");
        String[] phases = { "lookup", "audit", "unwrap", "store", "first-segment" };
        double[] before = phaseCounts(phases);
        assertRange(id, "bytes=" + (2 * MIB - 3) + "-" + (2 * MIB + 3), data, 2 * MIB - 3, 2 * MIB + 3);
        double[] afterRead = phaseCounts(phases);
        for (int i = 0; i < phases.length; i++) {
            assertEquals(before[i] + 1, afterRead[i], phases[i]);
        }

        given().auth().oauth2(Tokens.staff("sam")).header("Range", "bytes=0-9").get("/api/v1/materials/" + id + "/content")
                .then().statusCode(403);
        double[] afterRefusal = phaseCounts(phases);
        for (int i = 0; i < phases.length; i++) {
            assertEquals(afterRead[i], afterRefusal[i], phases[i] + " after a refusal");
        }
    }

    private static double[] phaseCounts(String[] phases) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double[] counts = new double[phases.length];
        for (int i = 0; i < phases.length; i++) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?m)^valv_content_read_phase_seconds_count\\{[^}]*phase=\"" + phases[i] + "\"[^}]*\\}\\s+(\\S+)")
                    .matcher(text);
            counts[i] = m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
        return counts;
    }

    private static void assertRange(String id, String header, byte[] data, int first, int last) {
        byte[] part = given().auth().oauth2(Tokens.staff("alice")).header("Range", header)
                .get("/api/v1/materials/" + id + "/content")
                .then().statusCode(206)
                .header("Content-Range", "bytes " + first + "-" + last + "/" + data.length)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(data, first, last + 1), part);
    }

    @Test
    void emptyFileRoundTrips() {
        World world = World.create();
        String id = upload(world, Tokens.uploader(world.client), new byte[0], "empty.txt").then().statusCode(201)
                .body("size", equalTo(0)).extract().path("id");
        byte[] body = given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content")
                .then().statusCode(200).extract().asByteArray();
        assertEquals(0, body.length);
    }

    @Test
    void metadataIsVisibleToOwnClientAndAssignedStaffOnly() {
        World world = World.create();
        World other = World.create();
        String id = upload(world, Tokens.uploader(world.client), Uploads.randomBytes(1000, 2), "a.wav").then().statusCode(201)
                .extract().path("id");

        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/materials/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("state", equalTo("stored"));
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/jobs/" + world.jobId + "/materials").then()
                .statusCode(200).body("", hasSize(1));
        // another client learns nothing, not even that the material exists
        given().auth().oauth2(Tokens.clientAdmin(other.client)).get("/api/v1/materials/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.uploader(other.client)).get("/api/v1/jobs/" + world.jobId + "/materials").then()
                .statusCode(404);
        given().auth().oauth2(Tokens.staff("sam")).get("/api/v1/materials/" + id).then().statusCode(403);
    }

    @Test
    void contentIsDeniedToEveryoneButAssignedStaffAndTheClientAdmin() {
        World world = World.create();
        World other = World.create();
        String id = upload(world, Tokens.uploader(world.client), Uploads.randomBytes(5000, 3), "b.wav").then().statusCode(201)
                .extract().path("id");
        String content = "/api/v1/materials/" + id + "/content";

        given().get(content).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().auth().oauth2(Tokens.expired("alice", null, "staff")).get(content).then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.forged("alice", null, "staff")).get(content).then().statusCode(401);
        given().auth().oauth2(Tokens.staff("sam")).get(content).then().statusCode(403);
        given().auth().oauth2(Tokens.admin()).get(content).then().statusCode(403);
        given().auth().oauth2(Tokens.auditor()).get(content).then().statusCode(403);
        given().auth().oauth2(Tokens.uploader(world.client)).get(content).then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin(other.client)).get(content).then().statusCode(404);
        // a forged tenant claim inside a token signed by someone else changes nothing
        given().auth().oauth2(Tokens.forged("mallory", world.client, "client-admin")).get(content).then().statusCode(401);
        // a client role without any tenant claim sees nothing
        given().auth().oauth2(Tokens.token("nobody", null, "client-admin")).get(content).then().statusCode(404);

        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/complete").then()
                .statusCode(200).body("status", equalTo("completed"));
        given().auth().oauth2(Tokens.staff("alice")).get(content).then().statusCode(403);
    }

    @Test
    void uploadsIntoAnotherClientsJobAreNotFound() {
        World world = World.create();
        World other = World.create();
        upload(world, Tokens.uploader(other.client), Uploads.randomBytes(10, 4), "x.wav").then().statusCode(404);
        upload(world, Tokens.staff("alice"), Uploads.randomBytes(10, 4), "x.wav").then().statusCode(403);
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/jobs/" + world.jobId + "/materials").then()
                .statusCode(200).body("", hasSize(0));
    }
}
