package io.valv.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * The certificate PDF as a reader gets it, without booting Quarkus: the text PDFBox extracts must hold
 * every section, every value unbroken and every row of a long table. The files are also written to
 * target/certificate-pdf/ for looking at (pdftoppm -png).
 */
class CertificatePdfTest {

    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final CertificatePdf.Signer SIGNER = new CertificatePdf.Signer("CN=Exempel Transkribering AB certificates",
            "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9");

    @Test
    void materialCertificateInEnglishHasEverySectionAndValue() throws IOException {
        String text = oneLine(text(render(material("intervju-åsa-07.wav"), Locale.ENGLISH, "material-en")));
        for (String heading : List.of("Certificate of deletion", "Parties", "What was destroyed", "How it was destroyed",
                "When",
                "Verification", "Access", "Local copies", "Residual copies", "Attestation", "How to verify this certificate")) {
            assertTrue(text.contains(heading), heading);
        }
        for (String value : List.of("intervju-åsa-07.wav", SHA, "DPA-2026-007, version 3", "Exempel Transkribering AB",
                "556677-8899", "Storgatan 1, 111 22 Stockholm", "dpo@exempel.se", "Acme Research AB",
                "2 December 2026, 01:47 UTC",
                "5,000 bytes (4.9 KiB)", "NIST SP 800-88 Rev. 2", "ISO/IEC 19790", "Externally managed keys",
                "alice", "Page 1 of", SIGNER.sha256Fingerprint().substring(0, 47), SIGNER.sha256Fingerprint().substring(48),
                "pdfsig certificate-" + ID + ".pdf",
                "openssl cms -verify -inform DER -in certificate.p7s",
                "https://valv.example.se/api/v1/certificates/signing-certificate")) {
            assertTrue(text.contains(value), value + " in\n" + text);
        }
        assertFalse(text.contains("Rev. 1"));
        assertWordsWhole(text, ResourceBundle.getBundle(CertificatePdf.TEXT, Locale.ROOT));
    }

    @Test
    void materialCertificateInSwedishHasTheSameFields() throws IOException {
        String text = oneLine(text(render(material("intervju-åsa-07.wav"), CertificatePdf.SWEDISH, "material-sv")));
        for (String value : List.of("Intyg om radering", "Parter", "Vad som raderades", "Hur det raderades", "När", "Kontroll",
                "Åtkomst", "Lokala kopior", "Kvarvarande kopior", "Intygande", "Så kontrollerar du intyget",
                "intervju-åsa-07.wav", SHA, "DPA-2026-007, version 3", "Exempel Transkribering AB", "556677-8899",
                "2 december 2026 01:47 UTC", "uppdraget avslutades", "Sida 1 av", "Externt hanterade nycklar",
                "upp till 30 dagar (till 1 januari 2027 01:47 UTC)")) {
            assertTrue(text.contains(value), value + " in\n" + text);
        }
        assertWordsWhole(text, ResourceBundle.getBundle(CertificatePdf.TEXT, CertificatePdf.SWEDISH));
    }

    @Test
    void everyCertificateIsPdfA3b() throws Exception {
        for (Locale locale : List.of(Locale.ENGLISH, CertificatePdf.SWEDISH)) {
            assertEquals(List.of(), PdfA.violationsOf3b(render(material("intervju-åsa-07.wav"), locale, "pdfa-material")),
                    "a material certificate in " + locale);
        }
        assertEquals(List.of(), PdfA.violationsOf3b(render(job(60), Locale.ENGLISH, "pdfa-job")), "a job certificate");
        // the check can fail: a PDF without the archival marks is no PDF/A
        try (PDDocument plain = new PDDocument(); var bytes = new java.io.ByteArrayOutputStream()) {
            plain.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            plain.save(bytes);
            assertTrue(PdfA.violationsOf3b(bytes.toByteArray()).stream().anyMatch(v -> v.startsWith("6.6.2.1")),
                    "a PDF without XMP metadata is refused");
        }
    }

    @Test
    void aJobCertificateOf500MaterialsListsEveryRowAcrossPages() throws IOException {
        byte[] pdf = render(job(500), Locale.ENGLISH, "job-500-en");
        String text = text(pdf);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertTrue(doc.getNumberOfPages() > 10, "500 rows take many pages: " + doc.getNumberOfPages());
            assertTrue(text.contains("Page " + doc.getNumberOfPages() + " of " + doc.getNumberOfPages()));
            // the header is repeated on every page the table reaches
            int headers = text.split("SHA-256 of the original", -1).length - 1;
            assertTrue(headers >= doc.getNumberOfPages() - 2, headers + " headers on " + doc.getNumberOfPages() + " pages");
        }
        Set<String> lines = new HashSet<>(List.of(text.split("\n")));
        for (int i = 1; i <= 500; i++) {
            String name = String.format("session-%03d-åäö.wav", i);
            assertTrue(text.contains(name), name);
            String sha = sha(i);
            assertTrue(text.contains(sha.substring(0, 32)) && text.contains(sha.substring(32)), "both halves of row " + i);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("500 ")), "row number 500");
        assertTrue(text.contains("Materials destroyed 500"));
    }

    @Test
    void namesInAnyScriptRenderAndMissingGlyphsDoNotBreakTheDocument() throws IOException {
        String name = "ראיון-Ωμέγα-Жанна-łódź-\uD83C\uDF99.wav";
        String text = text(render(material(name), Locale.ENGLISH, "scripts"));
        assertTrue(text.contains("Ωμέγα-Жанна-łódź-"), text);
        assertTrue(text.contains("ראיון") || text.contains("ןויאר"),
                "Hebrew shown (PDFBox does not reorder right-to-left text)");
    }

    @Test
    void aVeryLongFileNameWrapsAtItsSeamsAndIsShownWhole() throws IOException {
        String name = "intervju_med_projektledaren_for_den_stora_utvarderingen_av_verksamheten_del_1_av_3_slutversion.wav";
        String text = text(render(material(name), Locale.ENGLISH, "long-name"));
        assertTrue(text.replace("\n", "").contains(name), text);
    }

    @Test
    void aCertificateIssuedBeforeTheNewFieldsShowsOnlyWhatItSigned() throws IOException {
        Map<String, Object> old = material("old.wav");
        old.put("standard", "NIST SP 800-88 Rev. 1 (Appendix G certificate of sanitization); purge by cryptographic erase");
        old.remove("processorIdentity");
        old.remove("backupRetentionDays");
        old.remove("backupsUntil");
        old.put("sanitization", Map.of("category", "purge", "technique", "cryptographic erase", "tool", "Valv 1.0.0",
                "destroyedAt", "2026-12-02T01:47:10Z"));
        String text = oneLine(text(render(old, CertificatePdf.SWEDISH, "old-sv")));
        assertTrue(text.contains("Rev. 1 (Appendix G"), "the signed standard, not today's");
        assertFalse(text.contains("Externt hanterade nycklar"), "no key facts the certificate did not sign");
        assertFalse(text.contains("556677-8899"), "no processor details it did not sign");
        assertTrue(text.contains("Exempel Transkribering AB"), "the processor's name from the old string field");
        assertTrue(text.contains("No plaintext copy was ever written to disk by Valv."), "the signed residual-copies sentence");
    }

    @Test
    void languageComesFromLangThenTheControllersSettingThenAcceptLanguageThenEnglish() {
        assertEquals(CertificatePdf.SWEDISH, CertificatePdf.language("sv", null, List.of(Locale.ENGLISH)));
        assertEquals(Locale.ENGLISH, CertificatePdf.language("en", null, List.of(CertificatePdf.SWEDISH)));
        assertEquals(CertificatePdf.SWEDISH,
                CertificatePdf.language(null, null, List.of(Locale.GERMAN, Locale.forLanguageTag("sv-SE"))));
        assertEquals(CertificatePdf.SWEDISH, CertificatePdf.language("fi", null, List.of(Locale.forLanguageTag("sv-FI"))));
        assertEquals(Locale.ENGLISH, CertificatePdf.language(null, null, List.of(Locale.GERMAN)));
        assertEquals(Locale.ENGLISH, CertificatePdf.language(null, null, null));
        // the controller's configured language comes after ?lang and before the browser's
        assertEquals(CertificatePdf.SWEDISH, CertificatePdf.language(null, "sv", List.of(Locale.ENGLISH)));
        assertEquals(Locale.ENGLISH, CertificatePdf.language("en", "sv", List.of(CertificatePdf.SWEDISH)));
        assertEquals(CertificatePdf.SWEDISH, CertificatePdf.language(null, "de", List.of(CertificatePdf.SWEDISH)));
    }

    @Test
    void swedishAndEnglishTextHaveTheSameKeys() {
        ResourceBundle en = ResourceBundle.getBundle(CertificatePdf.TEXT, Locale.ROOT);
        ResourceBundle sv = ResourceBundle.getBundle(CertificatePdf.TEXT, CertificatePdf.SWEDISH);
        assertEquals(en.keySet(), sv.keySet());
        for (String key : sv.keySet()) {
            assertFalse(sv.getString(key).isBlank(), key);
        }
    }

    /** Every word of the prose appears whole in the extracted text: a word cut at a line end would not. */
    private static void assertWordsWhole(String text, ResourceBundle bundle) {
        Set<String> shown = new HashSet<>(List.of(text.split("\\s+")));
        for (String key : List.of("keys.value", "keySanitization.value", "externalKeys.value", "attestation.value",
                "verify.intro", "verify.step1", "verify.step3", "parties.note", "dpa", "keys", "keySanitization",
                "externalKeys",
                "personalData", "auditEvent", "signer.subject", "signer.fingerprint", "signer.published", "sha256",
                "uploadedBy")) {
            for (String word : bundle.getString(key).split("\\s+")) {
                assertTrue(shown.contains(word), "'" + word + "' of " + key + " is not shown whole");
            }
        }
        // full-width paragraphs come out as one run of text once the line ends are spaces
        String joined = text.replaceAll("\\s+", " ");
        assertTrue(joined.contains(bundle.getString("attestation.value")), "attestation paragraph");
        assertTrue(joined.contains(bundle.getString("verify.intro")), "verify.intro paragraph");
    }

    static final byte[] CMS = "stand-in for the CMS SignedData".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void theSignedStatementTravelsInsideThePdf() throws IOException {
        try (PDDocument doc = Loader.loadPDF(render(material("a.wav"), Locale.ENGLISH, "attachment"))) {
            var files = doc.getDocumentCatalog().getNames().getEmbeddedFiles().getNames();
            assertEquals(Set.of("certificate-" + ID + ".p7s"), files.keySet());
            assertEquals(new String(CMS), new String(files.get("certificate-" + ID + ".p7s").getEmbeddedFile().toByteArray()));
        }
    }

    static final String ID = "3f2c5a0e-7d1b-4c8e-9a6f-1b2c3d4e5f60";

    private static Map<String, Object> header(String scope) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("certificateId", ID);
        d.put("type", "certificate-of-deletion");
        d.put("scope", scope);
        d.put("standard", CertificateService.STANDARD);
        d.put("issuedAt", "2026-12-02T01:47:12.345Z");
        d.put("processor", "Exempel Transkribering AB");
        d.put("processorIdentity", Map.of("legalName", "Exempel Transkribering AB", "orgNumber", "556677-8899",
                "address", "Storgatan 1, 111 22 Stockholm", "contact", "dpo@exempel.se"));
        d.put("controller", Map.of("clientId", "acme", "name", "Acme Research AB", "orgNumber", "559900-1122"));
        d.put("dpa", Map.of("id", "0c6d3b8e-0000-4000-8000-000000000001", "reference", "DPA-2026-007", "version", "3"));
        d.put("sanitization", Map.of("category", "purge", "technique", "cryptographic erase", "tool", "Valv 1.4.0",
                "keysSanitized", CertificateService.KEYS, "keySanitization", CertificateService.KEY_SANITIZATION,
                "externallyManagedKeys", CertificateService.EXTERNALLY_MANAGED_KEYS, "destroyedAt", "2026-12-02T01:47:10Z"));
        d.put("localCopyAttestations", List.of(Map.of("staff", "alice", "attestedAt", "2026-12-01T16:05:00Z")));
        d.put("backupRetentionDays", 30);
        d.put("backupsUntil", "2027-01-01T01:47:10Z");
        d.put("residualCopies", "No plaintext copy was ever written to disk by Valv.");
        return d;
    }

    static Map<String, Object> material(String filename) {
        Map<String, Object> d = header("material");
        d.put("media",
                Map.of("materialId", "7a1e0000-0000-4000-8000-000000000007", "filename", filename, "mediaType", "audio/wav",
                        "sizeBytes", 5000, "plaintextSha256", SHA, "personalDataDeclared", true, "uploadedAt",
                        "2026-11-20T09:12:00Z",
                        "uploadedBy", "uploader@acme", "jobId", "1b000000-0000-4000-8000-000000000001", "jobTitle",
                        "Intervjuer hösten 2026"));
        d.put("reason", "job-completed");
        d.put("verification", Map.of("method", "object store lookup returned 'not found'; data key row absent",
                "verifiedAt", "2026-12-02T01:47:11Z"));
        d.put("accesses", 1);
        d.put("auditEvent", Map.of("id", "e0000000-0000-4000-8000-000000000042", "seq", 42, "hash", SHA,
                "inclusionProof", "/api/v1/audit/events/e0000000-0000-4000-8000-000000000042/inclusion-proof"));
        return d;
    }

    static Map<String, Object> job(int materials) {
        Map<String, Object> d = header("job");
        d.put("jobId", "1b000000-0000-4000-8000-000000000001");
        d.put("jobTitle", "Intervjuer hösten 2026");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= materials; i++) {
            rows.add(Map.of("materialId", "7a1e0000-0000-4000-8000-" + String.format("%012d", i), "filename",
                    String.format("session-%03d-åäö.wav", i), "plaintextSha256", sha(i), "sizeBytes", 1_000_000L * i,
                    "destroyedAt", "2026-12-02T01:47:10Z", "reason", i % 2 == 0 ? "job-completed" : "client-instruction"));
        }
        d.put("destroyedMaterials", rows);
        return d;
    }

    /** The QR code read back the way a phone does: from the rendered page's pixels, by ZXing. */
    @Test
    void theQrCodeOnTheRenderedPageLinksToTheVerifyPageWithTheCmsDigest() throws Exception {
        for (Locale locale : List.of(Locale.ENGLISH, CertificatePdf.SWEDISH)) {
            byte[] pdf = render(material("a.wav"), locale, "qr-" + locale.getLanguage());
            String expected = "https://valv.example.se/verify/" + ID + "?d="
                    + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(CMS));
            List<String> found = new ArrayList<>();
            try (PDDocument doc = Loader.loadPDF(pdf)) {
                org.apache.pdfbox.rendering.PDFRenderer renderer = new org.apache.pdfbox.rendering.PDFRenderer(doc);
                for (int page = 0; page < doc.getNumberOfPages(); page++) {
                    java.awt.image.BufferedImage image = renderer.renderImageWithDPI(page, 150);
                    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
                    com.google.zxing.BinaryBitmap bitmap = new com.google.zxing.BinaryBitmap(
                            new com.google.zxing.common.HybridBinarizer(
                                    new com.google.zxing.RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
                    try {
                        found.add(new com.google.zxing.qrcode.QRCodeReader().decode(bitmap).getText());
                    } catch (com.google.zxing.NotFoundException e) {
                        // no code on this page
                    }
                }
            }
            assertEquals(List.of(expected), found, "one QR code, on one page, with the verify link");
            // and the same link in words beside it, for a reader without a phone
            assertTrue(oneLine(text(pdf)).replace(" ", "").contains(expected), "the link is printed too");
        }
    }

    static String sha(int i) {
        return String.format("%08x", i).repeat(8);
    }

    static byte[] render(Map<String, Object> document, Locale locale, String name) throws IOException {
        byte[] pdf = CertificatePdf.render(document, CMS, locale, SIGNER, "https://valv.example.se/");
        Path dir = Path.of("target", "certificate-pdf");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".pdf"), pdf);
        return pdf;
    }

    /** Line ends as spaces: a value that wraps at a space is still the same value. */
    static String oneLine(String text) {
        return text.replaceAll("\\s+", " ");
    }

    static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }
}
