package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Tools;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * A deletion certificate's purge event is proven in the signed Merkle tree, offline, with exactly the
 * steps of docs/audit.md ("Tree heads and inclusion proofs"); a proof that was altered is refused by them.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditInclusionProofTest {

    @Inject
    CheckpointWriter checkpoints;

    @Test
    void aPurgeEventIsProvenInTheSignedTreeOffline() throws Exception {
        Assumptions.assumeTrue(AuditExportTest.onPath("python3") && AuditExportTest.onPath("openssl"),
                "python3 and openssl are needed");
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(1500, 41));
        String admin = Tokens.clientAdmin(world.client);
        given().auth().oauth2(admin).delete("/api/v1/materials/" + id).then().statusCode(202);
        String purge = awaitEvent(admin, id, Actions.MATERIAL_PURGE);
        checkpoints.checkpoint();

        // the signed certificate names its purge event and where its proof is
        String certificate = given().auth().oauth2(admin).get("/api/v1/certificates").then().statusCode(200).extract()
                .path("[0].id");
        JsonPath cited = given().auth().oauth2(admin).get("/api/v1/certificates/" + certificate).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(purge, cited.getString("auditEvent.id"));
        String link = cited.getString("auditEvent.inclusionProof");
        assertEquals("/api/v1/audit/events/" + purge + "/inclusion-proof", link);

        JsonPath proof = given().auth().oauth2(admin).get(link).then().statusCode(200).extract().jsonPath();
        assertEquals(cited.getString("auditEvent.hash"), proof.getString("eventHash"));
        assertEquals(cited.getLong("auditEvent.seq"), proof.getLong("seq"));
        long seq = proof.getLong("seq");
        assertEquals(seq - 1, proof.getLong("leafIndex"));
        assertTrue(proof.getLong("treeHead.treeSize") >= seq);
        assertEquals(Database.count("select count(*) from audit_event where seq <= ?", proof.getLong("treeHead.treeSize")),
                proof.getLong("treeHead.treeSize"), "the tree covers every event up to its size");
        // reading a proof is an access to the log like any other
        assertEquals(1, Database.count("select count(*) from audit_event where action = ? and detail = ?",
                Actions.AUDIT_PROOF, "event " + purge));

        Path dir = Files.createTempDirectory("valv-proof");
        String proofJson = proof.prettify();
        Files.writeString(dir.resolve("proof.json"), proofJson);
        Files.writeString(dir.resolve("export.json"), given().auth().oauth2(admin).get("/api/v1/audit/export").then()
                .statusCode(200).extract().asString());
        Files.writeString(dir.resolve("valv-audit.pem"), given().auth().oauth2(admin).get("/api/v1/audit/checkpoint-key")
                .then().statusCode(200).extract().<String> path("pem"));
        String doc = Files.readString(Path.of("docs", "audit.md"));
        Files.writeString(dir.resolve("verify_proof.py"), pythonBlock(doc, "# verify_proof.py"));
        String openssl = AuditExportTest.block(doc.substring(doc.indexOf("## Tree heads and inclusion proofs")), "sh")
                .lines().filter(l -> l.startsWith("openssl pkeyutl")).findFirst().orElseThrow();

        assertEquals(0, Tools.run(dir, "python3", "verify_proof.py", "proof.json", "export.json").exit());
        assertEquals(0, Tools.run(dir, "bash", "-c", openssl).exit());

        // one altered hash in the path, or a root that was not signed: refused
        List<String> path = proof.getList("auditPath");
        assertFalse(path.isEmpty(), "a tree of more than one event has a path");
        String flipped = (path.get(0).charAt(0) == '0' ? "1" : "0") + path.get(0).substring(1);
        Files.writeString(dir.resolve("proof.json"), proofJson.replace(path.get(0), flipped));
        assertTrue(Tools.run(dir, "python3", "verify_proof.py", "proof.json", "export.json").exit() != 0);
        String root = proof.getString("treeHead.rootHash");
        String otherRoot = (root.charAt(0) == '0' ? "1" : "0") + root.substring(1);
        Files.writeString(dir.resolve("proof.json"), proofJson.replace(root, otherRoot));
        assertTrue(Tools.run(dir, "python3", "verify_proof.py", "proof.json", "export.json").exit() != 0);
    }

    @Test
    void onlyTheEventsOwnClientAndTheAuditorGetAProof() {
        World world = World.create();
        World other = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(500, 42));
        String upload = awaitEvent(Tokens.clientAdmin(world.client), id, Actions.MATERIAL_UPLOAD);
        checkpoints.checkpoint();
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/events/" + upload + "/inclusion-proof").then()
                .statusCode(200);
        given().auth().oauth2(Tokens.clientAdmin(other.client)).get("/api/v1/audit/events/" + upload + "/inclusion-proof")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/audit/events/" + upload + "/inclusion-proof").then()
                .statusCode(403);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/events/" + java.util.UUID.randomUUID()
                + "/inclusion-proof").then().statusCode(404);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/events/not-a-uuid/inclusion-proof").then()
                .statusCode(404);
    }

    @Test
    void aTreeHeadThatWasAlteredIsNamedByVerification() throws Exception {
        World world = World.create();
        Uploads.upload(world, "a.wav", Uploads.randomBytes(300, 43));
        checkpoints.checkpoint();
        long size = Database.count("select max(tree_size) from audit_tree_head");
        AuditTamperTest.assertIntact();
        try (var c = Database.connect(); var s = c.createStatement()) {
            s.executeUpdate("update audit_tree_head set root_hash = translate(root_hash, '0123456789abcdef',"
                    + " '123456789abcdef0') where tree_size = " + size);
            try {
                JsonPath v = AuditTamperTest.verify();
                assertFalse(v.getBoolean("ok"));
                assertEquals(size, v.getLong("firstBrokenSeq"), v.prettify());
                assertTrue(v.getString("reason").contains("tree head"), v.prettify());
            } finally {
                s.executeUpdate("update audit_tree_head set root_hash = translate(root_hash, '123456789abcdef0',"
                        + " '0123456789abcdef') where tree_size = " + size);
            }
        }
        AuditTamperTest.assertIntact();
    }

    /** The id of the material's event with this action, once it is there (a purge runs asynchronously). */
    static String awaitEvent(String token, String materialId, String action) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Map<String, Object>> events = AuditApiTest.events(token, "materialId=" + materialId);
            var found = events.stream().filter(e -> action.equals(e.get("action"))).findFirst();
            if (found.isPresent()) {
                return (String) found.get().get("id");
            }
            assertTrue(System.nanoTime() < deadline, "no " + action + " event for " + materialId);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String pythonBlock(String markdown, String firstLine) {
        Matcher m = Pattern.compile("```python\\n(" + Pattern.quote(firstLine) + ".*?)```", Pattern.DOTALL).matcher(markdown);
        assertTrue(m.find(), "no python block starting with " + firstLine);
        return m.group(1);
    }
}
