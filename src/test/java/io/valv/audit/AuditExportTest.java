package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Tools;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** A client's export verifies offline with exactly the Python and OpenSSL steps of docs/audit.md. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditExportTest {

    @Inject
    CheckpointWriter checkpoints;

    @Test
    void anExportVerifiesOfflineWithTheDocumentedSteps() throws Exception {
        Assumptions.assumeTrue(onPath("python3") && onPath("openssl"), "python3 and openssl are needed");
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(2000, 7));
        given().auth().oauth2(Tokens.staff("alice")).header("Range", "bytes=0-99").get("/api/v1/materials/" + id + "/content")
                .then().statusCode(206);
        checkpoints.checkpoint();

        Path dir = Files.createTempDirectory("valv-export");
        String export = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit/export").then()
                .statusCode(200).extract().asString();
        Files.writeString(dir.resolve("export.json"), export);
        String pem = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/audit/checkpoint-key").then()
                .statusCode(200).extract().path("pem");
        Files.writeString(dir.resolve("valv-audit.pem"), pem);
        String doc = Files.readString(Path.of("docs", "audit.md"));
        Files.writeString(dir.resolve("verify_export.py"), block(doc, "python"));

        assertEquals(0, Tools.run(dir, "python3", "verify_export.py", "export.json").exit());
        String opensslLine = block(doc, "sh").lines().filter(l -> l.startsWith("openssl pkeyutl")).findFirst().orElseThrow();
        assertEquals(0, Tools.run(dir, "bash", "-c", opensslLine).exit());

        // what the client sees: its own uploader by name with the commitment inputs, staff by pseudonym only
        JsonPath json = JsonPath.from(export);
        List<Map<String, Object>> events = json.getList("events");
        Map<String, Object> read = events.stream().filter(e -> "material.content.read".equals(e.get("action"))).findFirst()
                .orElseThrow();
        assertTrue(((String) read.get("actor")).startsWith("p-"));
        assertNull(read.get("actorSubject"));
        assertNull(read.get("personalSalt"));
        Map<String, Object> upload = events.stream().filter(e -> "material.upload".equals(e.get("action"))).findFirst()
                .orElseThrow();
        assertEquals(world.client + "-upload", upload.get("actorSubject"));
        assertNotNull(upload.get("personalSalt"));

        // a single altered byte is caught by the same script
        Files.writeString(dir.resolve("export.json"), export.replace("\"bytes 0-99\"", "\"bytes 0-98\""));
        assertTrue(Tools.run(dir, "python3", "verify_export.py", "export.json").exit() != 0);
    }

    @Test
    void theAuditorExportsAnyClientAndMustNameIt() {
        World world = World.create();
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/export?clientId=" + world.client).then().statusCode(200);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/export").then().statusCode(400);
    }

    static String block(String markdown, String language) {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        assertTrue(m.find(), "no " + language + " block in docs/audit.md");
        return m.group(1);
    }

    static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
