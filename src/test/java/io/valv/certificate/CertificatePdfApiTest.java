package io.valv.certificate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;

import eu.europa.esig.dss.enumerations.Indication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Tools;
import io.valv.testing.World;

/**
 * Real certificates, end to end: a job's materials are purged, and their PDFs (a material's and the job's,
 * English and Swedish) carry the sections and values a DPO looks for, as poppler's pdftotext reads them,
 * and still verify with pdfsig.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class CertificatePdfApiTest {

    @Test
    void purgedMaterialsCertificatesReadAndVerifyInEnglishAndSwedish() throws Exception {
        World world = World.create();
        // the RFC 5987 form here; raw UTF-8 in filename="" is MaterialApiTest's (RestAssured cannot send its octets)
        String first = upload(world, "filename*=UTF-8''intervju-%C3%A5sa-07.wav", 5000);
        String second = upload(world, "filename=\"second.wav\"", 300);
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + first + "/content").then().statusCode(200);
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/attestations").then()
                .statusCode(204);
        given().auth().oauth2(Tokens.staff("alice")).post("/api/v1/jobs/" + world.jobId + "/complete").then().statusCode(200);
        awaitPurged(world, first);
        awaitPurged(world, second);

        String materialCert = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/certificates")
                .then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.materialId == '" + first + "' }.id", String.class).get(0);
        Map<String, Object> json = given().auth().oauth2(Tokens.clientAdmin(world.client))
                .get("/api/v1/certificates/" + materialCert)
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertTrue(String.valueOf(json.get("standard")).contains("Rev. 2"), "the signed JSON cites Rev. 2");
        assertEquals("cryptographic erase", ((Map<?, ?>) json.get("sanitization")).get("technique"));
        String sha = (String) ((Map<?, ?>) json.get("media")).get("plaintextSha256");

        Path dir = Files.createTempDirectory("certificate-pdf");
        String english = pdf(world, dir, materialCert, "en-material.pdf", Map.of("Accept-Language", "de, en;q=0.8"), "en");
        // the CMS attached inside the PDF is the one served at /signed, and openssl verifies it
        byte[] served = given().auth().oauth2(Tokens.clientAdmin(world.client))
                .get("/api/v1/certificates/" + materialCert + "/signed")
                .then().statusCode(200).extract().asByteArray();
        try (PDDocument doc = Loader.loadPDF(dir.resolve("en-material.pdf").toFile())) {
            byte[] attached = doc.getDocumentCatalog().getNames().getEmbeddedFiles().getNames()
                    .get("certificate-" + materialCert + ".p7s").getEmbeddedFile().toByteArray();
            assertArrayEquals(served, attached);
            Files.write(dir.resolve("attached.p7s"), attached);
        }
        Files.writeString(dir.resolve("signer.pem"),
                given().get("/api/v1/certificates/signing-certificate").then().statusCode(200)
                        .extract().asString());
        String verified = Tools
                .run(dir, "openssl", "cms", "-verify", "-inform", "DER", "-in", "attached.p7s", "-CAfile", "signer.pem")
                .output();
        assertTrue(
                verified.contains("Verification successful") && verified.contains("\"certificateId\":\"" + materialCert + "\""),
                verified);
        for (String value : List.of("Certificate of deletion", "Parties", "What was destroyed", "How it was destroyed",
                "Verification",
                "Residual copies", "How to verify this certificate", "intervju-åsa-07.wav", sha, "DPA-" + world.client,
                "Client " + world.client, "NIST SP 800-88 Rev. 2", "alice", "Page 1 of", "openssl cms -verify")) {
            assertTrue(english.contains(value), value + " in\n" + english);
        }
        assertFalse(english.contains("Rev. 1"));

        String swedish = pdf(world, dir, materialCert, "sv-material.pdf", Map.of(), "sv");
        for (String value : List.of("Intyg om radering", "Parter", "Vad som raderades", "Hur det raderades", "Kontroll",
                "Kvarvarande kopior", "Så kontrollerar du intyget", "intervju-åsa-07.wav", sha, "DPA-" + world.client,
                "Sida 1 av",
                "uppdraget avslutades")) {
            assertTrue(swedish.contains(value), value + " in\n" + swedish);
        }

        String jobCert = given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType(ContentType.JSON)
                .body(Map.of("scope", "job", "jobId", world.jobId)).post("/api/v1/certificates").then().statusCode(201)
                .extract().path("id");
        String job = pdf(world, dir, jobCert, "sv-job.pdf", Map.of("Accept-Language", "sv-SE, en;q=0.5"), null);
        for (String value : List.of("Raderade material 2", "intervju-åsa-07.wav", "second.wav", sha.substring(0, 32),
                sha.substring(32), "DPA-" + world.client)) {
            assertTrue(job.contains(value), value + " in\n" + job);
        }

        // the controller's configured language (its notices' setting) wins over the browser's; ?lang over both
        given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType(ContentType.JSON)
                .body(Map.of("events", List.of(), "language", "sv"))
                .put("/api/v1/clients/" + world.client + "/email-notifications")
                .then().statusCode(200);
        given().auth().oauth2(Tokens.clientAdmin(world.client)).header("Accept-Language", "en-GB")
                .get("/api/v1/certificates/" + materialCert + "/pdf").then().statusCode(200).header("Content-Language", "sv");
        given().auth().oauth2(Tokens.clientAdmin(world.client)).queryParam("lang", "en")
                .get("/api/v1/certificates/" + materialCert + "/pdf").then().statusCode(200).header("Content-Language", "en");
    }

    /** Fetches a certificate's PDF, checks its PAdES signature with pdfsig and returns pdftotext's text of it. */
    private static String pdf(World world, Path dir, String id, String file, Map<String, String> headers, String lang)
            throws Exception {
        var request = given().auth().oauth2(Tokens.clientAdmin(world.client)).headers(headers);
        if (lang != null) {
            request = request.queryParam("lang", lang);
        }
        Response response = request.get("/api/v1/certificates/" + id + "/pdf");
        response.then().statusCode(200).contentType("application/pdf");
        assertEquals(file.startsWith("sv") ? "sv" : "en", response.header("Content-Language"));
        byte[] bytes = response.asByteArray();
        Files.write(dir.resolve(file), bytes);
        String signed = Tools.run(dir, "pdfsig", file).output();
        assertTrue(signed.contains("Signature Validation: Signature is Valid."), signed);
        assertTrue(signed.contains("Total document signed"), signed);
        // archival and signed at once: veraPDF on the signed file, and the EU's DSS as a second signature check
        assertEquals(List.of(), PdfA.violationsOf3b(bytes), "PDF/A-3b: " + file);
        String signer = given().get("/api/v1/certificates/signing-certificate").then().statusCode(200).extract().asString();
        Pades.Verdict verdict = Pades.validate(bytes, signer);
        assertEquals(new Pades.Verdict(1, Indication.TOTAL_PASSED, null), verdict, "DSS on " + file);
        byte[] altered = bytes.clone();
        int inside = bytes.length / 3; // in the signed page content, far from the signature's own bytes
        altered[inside] ^= 0x01;
        Pades.Verdict broken = Pades.validate(altered, signer);
        assertTrue(broken.indication() != Indication.TOTAL_PASSED, "one altered byte breaks it: " + broken);
        return Tools.run(dir, "pdftotext", file, "-").output().replaceAll("\\s+", " ");
    }

    private static String upload(World world, String filename, int size) {
        return given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; " + filename)
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(new byte[size])
                .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(201).extract().path("id");
    }

    private static void awaitPurged(World world, String materialId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String state;
        do {
            state = given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/materials/" + materialId)
                    .path("state");
            if ("purged".equals(state)) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals("purged", state);
    }
}
