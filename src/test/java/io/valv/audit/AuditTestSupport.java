package io.valv.audit;

import static io.restassured.RestAssured.given;

import java.util.Random;
import java.util.UUID;

import io.valv.testing.Tokens;
import io.valv.testing.World;

/** Uploads and reads through the public API, for the audit tests. */
final class AuditTestSupport {

    private AuditTestSupport() {
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String requestId() {
        return "t-" + UUID.randomUUID();
    }

    static String upload(World world, byte[] data) {
        return given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=a.wav")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(data)
                .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(201).extract().path("id");
    }
}
