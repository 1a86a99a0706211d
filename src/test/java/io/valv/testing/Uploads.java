package io.valv.testing;

import static io.restassured.RestAssured.given;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * The one-shot upload most tests need as a step, and their test data: the client's uploader sends a recording
 * (declared personal data, {@code audio/wav}) into a job, and it is stored (201). Tests of the upload itself
 * build their requests in full.
 */
public final class Uploads {

    private Uploads() {
    }

    /** The one-shot upload endpoint of a job. */
    public static String url(String jobId) {
        return "/api/v1/jobs/" + jobId + "/materials";
    }

    /** Stores {@code data} as {@code filename} in the world's job; the new material's id. */
    public static String upload(World world, String filename, byte[] data) {
        return stored(world, world.jobId, filename, data).path("id");
    }

    /** Stores {@code data} as {@code filename} in {@code jobId} (a job of the world's client); the 201 answer. */
    public static ExtractableResponse<Response> stored(World world, String jobId, String filename, byte[] data) {
        return given().auth().oauth2(Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename*=UTF-8''"
                        + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20"))
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(data).post(url(jobId)).then()
                .statusCode(201).extract();
    }

    /** {@code size} bytes that are the same in every run for the same {@code seed}. */
    public static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
