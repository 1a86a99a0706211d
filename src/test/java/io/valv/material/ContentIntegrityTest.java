package io.valv.material;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredDamage;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Tampered ciphertext on the content endpoint is an integrity incident (problem type {@code integrity},
 * counted, audited), never an outage; and a download streaming when its material is purged is cut off.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class ContentIntegrityTest {

    static final int MIB = MaterialApiTest.MIB;

    @TestHTTPResource("/")
    URL base;

    @Test
    void tamperedCiphertextIsAnIntegrityProblemAndCounted() {
        World world = World.create();
        double before = metric("where=\"content\"");

        String swapped = upload(world, Uploads.randomBytes(2 * MIB + 100, 61));
        StoredDamage.swapSegments(swapped, 0, 1);
        assertIntegrity(given().auth().oauth2(Tokens.staff("alice")).get(content(swapped)));

        byte[] small = Uploads.randomBytes(300_000, 62);
        String flippedLast = upload(world, small);
        StoredDamage.flipByte(flippedLast, 299_000); // the only, and so the last, segment
        assertIntegrity(given().auth().oauth2(Tokens.staff("alice")).get(content(flippedLast)));

        String flippedLastOfMany = upload(world, Uploads.randomBytes(2 * MIB + 100, 63));
        StoredDamage.flipByte(flippedLastOfMany, 2L * StoredDamage.CIPHER_SEGMENT + 50);
        assertIntegrity(given().auth().oauth2(Tokens.staff("alice")).header("Range", "bytes=" + (2 * MIB) + "-")
                .get(content(flippedLastOfMany)));

        String shortened = upload(world, Uploads.randomBytes(2 * MIB + 100, 64));
        StoredDamage.truncate(shortened, 1000);
        assertIntegrity(given().auth().oauth2(Tokens.staff("alice")).get(content(shortened)));
        // a range past the shortened end: the store refuses the read itself, which is still not an outage
        assertIntegrity(given().auth().oauth2(Tokens.staff("alice")).header("Range", "bytes=" + (2 * MIB) + "-")
                .get(content(shortened)));

        assertEquals(before + 5, metric("where=\"content\""));
        List<Map<String, Object>> events = given().auth().oauth2(Tokens.auditor())
                .get("/api/v1/audit?clientId=" + world.client + "&materialId=" + shortened).then().statusCode(200).extract()
                .path("items.findAll { it.action == 'material.integrity-failure' }");
        assertEquals(2, events.size(), "the DPO sees each integrity failure");
        assertEquals("error", events.get(0).get("outcome"));
        assertEquals("alice", events.get(0).get("actor"));

        // an undamaged neighbour still reads
        byte[] fine = Uploads.randomBytes(1_100_000, 65);
        String ok = upload(world, fine);
        assertArrayEquals(fine, given().auth().oauth2(Tokens.staff("alice")).get(content(ok)).then().statusCode(200).extract()
                .asByteArray());
    }

    @Test
    void damageAfterTheFirstSegmentAbortsTheTransfer() throws Exception {
        World world = World.create();
        String id = upload(world, Uploads.randomBytes(3 * MIB, 66));
        StoredDamage.flipByte(id, StoredDamage.CIPHER_SEGMENT + 10);
        double before = metric("where=\"content\"");
        Read read = read(id, Integer.MAX_VALUE, () -> {
        }, 0);
        assertEquals(3 * MIB, read.declared());
        assertTrue(read.failed(), "a short body is never a successful download");
        assertTrue(read.bytes() <= MIB, "nothing past the authenticated first segment went out: " + read.bytes());
        assertEquals(before + 1, metric("where=\"content\""));
    }

    @Test
    void downloadStreamingWhenItsMaterialIsPurgedIsCutOff() throws Exception {
        World world = World.create();
        String id = upload(world, Uploads.randomBytes(40 * MIB, 67));
        Read read = read(id, 256 * 1024, () -> given().auth().oauth2(Tokens.clientAdmin(world.client))
                .delete("/api/v1/materials/" + id).then().statusCode(202), 2500);
        assertTrue(read.failed(), "the download fails");
        assertFalse(read.failure() instanceof SocketTimeoutException, "cut off, not left hanging");
        assertTrue(read.bytes() < 40 * MIB, "cut off before the end: " + read.bytes());
    }

    /** What arrived of a body of {@code declared} bytes (Content-Length), and the read's failure if any. */
    private record Read(long bytes, long declared, IOException failure) {

        /** HttpURLConnection ends a short Content-Length body quietly; curl and browsers report it as failed. */
        boolean failed() {
            return failure != null || bytes < declared;
        }
    }

    /** Reads {@code before} bytes as alice (assigned staff), runs {@code meanwhile}, pauses, reads the rest. */
    private Read read(String id, int before, Runnable meanwhile, long pauseMillis) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(base, content(id).substring(1)).openConnection();
        c.setRequestProperty("Authorization", "Bearer " + Tokens.staff("alice"));
        c.setReadTimeout(60_000);
        assertEquals(200, c.getResponseCode());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        boolean ran = false;
        try (InputStream in = c.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                got.write(buffer, 0, n);
                if (!ran && got.size() >= before) {
                    ran = true;
                    meanwhile.run();
                    Thread.sleep(pauseMillis);
                }
            }
            return new Read(got.size(), c.getContentLengthLong(), null);
        } catch (IOException e) {
            return new Read(got.size(), c.getContentLengthLong(), e);
        }
    }

    private static void assertIntegrity(io.restassured.response.Response response) {
        response.then().statusCode(500).contentType("application/problem+json").body("type", endsWith("/integrity"));
    }

    private static String upload(World world, byte[] data) {
        return MaterialApiTest.upload(world, Tokens.uploader(world.client), data, "x.wav").then().statusCode(201).extract()
                .path("id");
    }

    private static String content(String id) {
        return "/api/v1/materials/" + id + "/content";
    }

    private static double metric(String labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^valv_integrity_failures_total\\{([^}]*)\\}\\s+(\\S+)").matcher(text);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
