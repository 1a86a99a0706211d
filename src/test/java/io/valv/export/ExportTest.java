package io.valv.export;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/** Return of data: a streamed ZIP whose signed manifest matches every file in it. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class ExportTest {

    @Test
    @SuppressWarnings("unchecked")
    void clientAdminExportsEverythingWithASignedManifest() throws Exception {
        World world = World.create();
        Map<String, byte[]> uploaded = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            byte[] data = new byte[1_500_000 + i];
            new Random(i).nextBytes(data);
            String id = given().auth().oauth2(Tokens.uploader(world.client))
                    .header("Content-Disposition", "attachment; filename=\"take " + i + ".wav\"")
                    .header("Valv-Personal-Data", "true").contentType("audio/wav").body(data)
                    .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(201).extract().path("id");
            uploaded.put(id, data);
        }
        given().auth().oauth2(Tokens.uploader(world.client)).get("/api/v1/clients/" + world.client + "/export").then().statusCode(403);
        given().auth().oauth2(Tokens.clientAdmin("someone-else")).get("/api/v1/clients/" + world.client + "/export").then()
                .statusCode(404);

        byte[] zip = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/clients/" + world.client + "/export")
                .then().statusCode(200).contentType("application/zip").extract().asByteArray();
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        Map<String, Object> manifest = new ObjectMapper().readValue(entries.get("manifest.json"), Map.class);
        List<Map<String, Object>> files = (List<Map<String, Object>>) manifest.get("files");
        assertEquals(2, files.size());
        for (Map<String, Object> file : files) {
            byte[] bytes = entries.get((String) file.get("path"));
            assertArrayEquals(uploaded.get((String) file.get("materialId")), bytes);
            assertEquals(file.get("sha256"), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }

        Path dir = Files.createTempDirectory("export");
        Files.write(dir.resolve("manifest.json.p7s"), entries.get("manifest.json.p7s"));
        Files.writeString(dir.resolve("signer.pem"),
                given().get("/api/v1/certificates/signing-certificate").then().extract().asString());
        Process p = new ProcessBuilder("openssl", "cms", "-verify", "-inform", "DER", "-in", "manifest.json.p7s",
                "-CAfile", "signer.pem").directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] verified = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertArrayEquals(entries.get("manifest.json"), verified, "the signature covers exactly the manifest");
    }
}
