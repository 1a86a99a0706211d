package io.valv.certificate;

import java.io.IOException;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import org.apache.pdfbox.pdmodel.PDDocumentInformation;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import io.valv.crypto.Digests;

/**
 * The certificate of deletion as a person reads it: sections a DPO scans (parties, what, how, when,
 * verification, access, local and residual copies, attestation, how to verify), in English or Swedish.
 *
 * <p>
 * It is a rendering of the signed JSON and states no fact that the JSON does not: every value comes
 * from {@code document}; only the explanatory prose comes from {@code CertificateText*.properties}.
 * Certificates issued before a field existed (e.g. {@code processorIdentity}) simply show fewer rows.
 */
final class CertificatePdf {

    static final Locale SWEDISH = Locale.forLanguageTag("sv");
    static final String TEXT = "io.valv.certificate.CertificateText";

    /** The signing certificate as a reader checks it: its subject and the SHA-256 of its DER encoding. */
    record Signer(String subject, String sha256Fingerprint) {
    }

    /**
     * The PDF's language: {@code lang} if it names one we have (sv, en), else the first of them in the
     * caller's Accept-Language (already in preference order), else English.
     */
    static Locale language(String lang, String configured, List<Locale> accepted) {
        for (String tag : new String[] { lang, configured }) {
            Locale asked = tag == null ? null : supported(Locale.forLanguageTag(tag.trim()));
            if (asked != null) {
                return asked;
            }
        }
        for (Locale l : accepted == null ? List.<Locale> of() : accepted) {
            Locale found = supported(l);
            if (found != null) {
                return found;
            }
        }
        return Locale.ENGLISH;
    }

    private static Locale supported(Locale l) {
        return switch (l.getLanguage()) {
            case "sv" -> SWEDISH;
            case "en" -> Locale.ENGLISH;
            default -> null;
        };
    }

    private final Map<String, Object> document;
    private final Locale locale;
    private final ResourceBundle text;
    private final PdfLayout layout;

    private CertificatePdf(Map<String, Object> document, Locale locale, PdfLayout layout) {
        this.document = document;
        this.locale = locale;
        // no fallback to the JVM's default locale: English is the base bundle, whatever the server runs in
        this.text = ResourceBundle.getBundle(TEXT, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        this.layout = layout;
    }

    /**
     * @param signedData the CMS SignedData of the JSON, attached to the PDF as {@code certificate-<id>.p7s}
     * @param baseUrl the service's address as the reader reached it (ends with '/'), for the commands
     */
    static byte[] render(Map<String, Object> document, byte[] signedData, Locale locale, Signer signer, String baseUrl) {
        try (PdfLayout layout = new PdfLayout()) {
            CertificatePdf pdf = new CertificatePdf(document, locale, layout);
            pdf.write(signer, baseUrl, signedData);
            layout.attach("certificate-" + pdf.s("certificateId") + ".p7s", "application/pkcs7-mime",
                    "CMS SignedData of the certificate's JSON (openssl cms -verify)", signedData);
            return layout.finish(String.format(pdf.t("footer"), pdf.s("certificateId")), pdf.t("page"));
        } catch (IOException e) {
            throw new IllegalStateException("could not render the certificate PDF", e);
        }
    }

    private void write(Signer signer, String baseUrl, byte[] signedData) {
        String scope = s("scope");
        String id = s("certificateId");
        metadata(id);

        layout.title(t("title"), 20);
        layout.paragraph(t("subtitle." + ("job".equals(scope) || "client".equals(scope) ? scope : "material")));
        layout.field(t("certificateId"), id, true);
        layout.field(t("issuedAt"), date(s("issuedAt")));
        // the worded standard only where the signed one is today's; an older certificate shows what it signed
        layout.field(t("standard"), CertificateService.STANDARD.equals(s("standard")) ? t("standard.text") : s("standard"));

        parties();
        if (document.get("media") instanceof Map<?, ?>) {
            material();
        } else {
            summary();
        }
        how();
        access();
        localCopies();
        returnOfData();
        layout.heading(t("residual"));
        layout.paragraph(residual());
        layout.heading(t("attestation"));
        layout.paragraph(t("attestation.value"));
        verify(signer, baseUrl, id, signedData);
    }

    private void metadata(String id) {
        PDDocumentInformation info = layout.pdf.getDocumentInformation();
        info.setTitle(t("title") + " " + id);
        info.setAuthor(s("processor"));
        info.setSubject(t("standard.text"));
        info.setCreator("Valv");
        Calendar created = Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
        created.setTimeInMillis(instant(s("issuedAt")).toEpochMilli());
        info.setCreationDate(created);
        layout.pdf.getDocumentCatalog().setLanguage(locale.toLanguageTag());
    }

    private void parties() {
        layout.heading(t("parties"));
        layout.subheading(t("processor"));
        layout.field(t("legalName"), firstOf(s("processorIdentity.legalName"), s("processor")));
        optionalField("orgNumber", s("processorIdentity.orgNumber"));
        optionalField("address", s("processorIdentity.address"));
        optionalField("contact", s("processorIdentity.contact"));
        layout.subheading(t("controller"));
        layout.field(t("legalName"), s("controller.name"));
        optionalField("orgNumber", s("controller.orgNumber"));
        layout.field(t("clientId"), s("controller.clientId"));
        if (s("dpa.reference") != null) {
            layout.field(t("dpa"), String.format(t("dpa.value"), s("dpa.reference"), s("dpa.version")));
        }
        layout.paragraph(t("parties.note"));
    }

    private void material() {
        layout.heading(t("destroyed"));
        layout.field(t("filename"), s("media.filename"));
        layout.field(t("job"), s("media.jobTitle"));
        layout.field(t("size"), size(s("media.sizeBytes")));
        layout.field(t("sha256"), s("media.plaintextSha256"), true);
        layout.field(t("mediaType"), s("media.mediaType"));
        layout.field(t("uploaded"), date(s("media.uploadedAt")));
        layout.field(t("uploadedBy"), s("media.uploadedBy"));
        layout.field(t("personalData"), t("true".equals(s("media.personalDataDeclared")) ? "yes" : "no"));
        layout.field(t("reason"), reason(s("reason")));
        layout.field(t("materialId"), s("media.materialId"), true);
    }

    private void summary() {
        List<?> rows = document.get("destroyedMaterials") instanceof List<?> l ? l : List.of();
        layout.heading(t("destroyed"));
        if (s("jobTitle") != null) {
            layout.field(t("job"), s("jobTitle"));
        }
        layout.field(t("destroyed.count"), number(rows.size()));
        long total = 0;
        for (Object row : rows) {
            total += ((Number) ((Map<?, ?>) row).get("sizeBytes")).longValue();
        }
        layout.field(t("destroyed.total"), size(Long.toString(total)));
        layout.paragraph(t("destroyed.table.note"));
        List<PdfLayout.Column> columns = List.of(new PdfLayout.Column(t("col.number"), 26, false),
                new PdfLayout.Column(t("col.filename"), 132, false), new PdfLayout.Column(t("col.size"), 56, false),
                new PdfLayout.Column(t("col.sha256"), 156, true), new PdfLayout.Column(t("col.destroyedAt"), 62, false),
                new PdfLayout.Column(t("col.reason"), PdfLayout.CONTENT_WIDTH - 432, false));
        List<List<String>> cells = new ArrayList<>();
        int n = 0;
        for (Object o : rows) {
            Map<?, ?> row = (Map<?, ?>) o;
            String sha = String.valueOf(row.get("plaintextSha256"));
            // split at a chosen point, the middle, so that each half reads (and can be compared) on its own
            String shown = sha.length() == 64 ? sha.substring(0, 32) + "\n" + sha.substring(32) : sha;
            cells.add(List.of(Integer.toString(++n), String.valueOf(row.get("filename")),
                    number(((Number) row.get("sizeBytes")).longValue()), shown,
                    shortDate(String.valueOf(row.get("destroyedAt"))),
                    reason("reasonShort.", String.valueOf(row.get("reason")))));
        }
        layout.table(columns, cells);
    }

    private void how() {
        layout.heading(t("how"));
        layout.field(t("method"), t("method.value"));
        // certificates issued before these facts were signed do not get them from the PDF either
        if (s("sanitization.keysSanitized") != null) {
            layout.field(t("keys"), t("keys.value"));
            layout.field(t("keySanitization"), t("keySanitization.value"));
            layout.field(t("externalKeys"), t("externalKeys.value"));
        }
        optionalField("tool", s("sanitization.tool"));

        layout.heading(t("when"));
        optionalField("destroyedAt", date(s("sanitization.destroyedAt")));
        optionalField("verifiedAt", date(s("verification.verifiedAt")));
        layout.field(t("issuedAt"), date(s("issuedAt")));

        layout.heading(t("verification"));
        if (s("verification.method") != null) {
            layout.field(t("verification.method"), t("verification.method.value"));
            layout.field(t("verification.result"), t("verification.result.value"));
            layout.field(t("verifiedAt"), date(s("verification.verifiedAt")));
        } else {
            layout.paragraph(t("verification.summary"));
        }
    }

    private void access() {
        if (s("accesses") == null) {
            return;
        }
        layout.heading(t("access"));
        layout.field(t("accesses"), String.format(t("accesses.value"), s("accesses")));
        layout.field(t("accessLog"), String.format(t("accessLog.value"), "/api/v1/audit?materialId=" + s("media.materialId")));
        if (s("auditEvent.id") != null) {
            layout.field(t("auditEvent"), String.format(t("auditEvent.value"), s("auditEvent.id"), s("auditEvent.seq")));
            layout.field(t("auditHash"), s("auditEvent.hash"), true);
            layout.field(t("inclusionProof"), s("auditEvent.inclusionProof"));
        }
    }

    /** End of contract only: the export the controller took back before deletion, or that it took none. */
    private void returnOfData() {
        if (s("returnOfData.exported") == null) {
            return;
        }
        layout.heading(t("returnOfData"));
        if (s("returnOfData.manifestSha256") != null) {
            layout.paragraph(t("returnOfData.exported"));
            layout.field(t("returnOfData.manifest"), s("returnOfData.manifestSha256"), true);
        } else {
            layout.paragraph(t("returnOfData.none"));
        }
    }

    private void localCopies() {
        if (!(document.get("localCopyAttestations") instanceof List<?> attestations)) {
            return;
        }
        layout.heading(t("localCopies"));
        if (attestations.isEmpty()) {
            layout.paragraph(t("localCopies.none"));
            return;
        }
        layout.paragraph(t("localCopies.note"));
        List<List<String>> rows = attestations.stream().map(a -> (Map<?, ?>) a)
                .map(a -> List.of(String.valueOf(a.get("staff")), date(String.valueOf(a.get("attestedAt"))))).toList();
        layout.table(List.of(new PdfLayout.Column(t("col.staff"), 240, false),
                new PdfLayout.Column(t("col.attestedAt"), PdfLayout.CONTENT_WIDTH - 240, false)), rows);
    }

    /** Certificates from before {@code backupRetentionDays} existed carry only the English sentence: shown as signed. */
    private String residual() {
        if (s("backupRetentionDays") == null || s("backupsUntil") == null) {
            return s("residualCopies");
        }
        return String.format(t("residual.value"), s("backupRetentionDays"), date(s("backupsUntil")));
    }

    private void verify(Signer signer, String baseUrl, String id, byte[] signedData) {
        layout.heading(t("verify"));
        layout.paragraph(t("verify.intro"));
        layout.paragraph(t("verify.step1"));
        layout.paragraph(t("verify.step2"));
        layout.paragraph(t("verify.step3"));
        layout.field(t("signer.subject"), signer.subject());
        // 32 bytes as hex pairs do not fit one line: split after the 16th byte, a point the reader can count
        String fingerprint = signer.sha256Fingerprint();
        layout.field(t("signer.fingerprint"), fingerprint.length() == 95
                ? fingerprint.substring(0, 47) + "\n" + fingerprint.substring(48)
                : fingerprint, true);
        layout.field(t("signer.published"), baseUrl + "api/v1/certificates/signing-certificate");
        layout.subheading(t("verify.commands"));
        layout.code(String.join("\n",
                "pdfsig certificate-" + id + ".pdf",
                "curl -o signing-certificate.pem " + baseUrl + "api/v1/certificates/signing-certificate",
                "openssl x509 -in signing-certificate.pem -noout -fingerprint -sha256",
                "curl -H \"Authorization: Bearer TOKEN\" -o certificate.p7s \\",
                "     " + baseUrl + "api/v1/certificates/" + id + "/signed",
                "openssl cms -verify -inform DER -in certificate.p7s \\",
                "     -CAfile signing-certificate.pem -out certificate.json"));
        layout.paragraph(t("verify.commands.note"));
        layout.paragraph(String.format(t("verify.attachment"), "certificate-" + id + ".p7s"));
        String link = verifyLink(baseUrl, id, signedData);
        layout.qr(qr(link), 96, String.format(t("verify.qr"), link));
    }

    /**
     * The public verify page for this certificate with the SHA-256 of its CMS file, the one digest every holder
     * of the PDF also holds (it is attached): the page answers only to someone who has the document.
     */
    static String verifyLink(String baseUrl, String id, byte[] signedData) {
        return baseUrl + "verify/" + id + "?d=" + HexFormat.of().formatHex(Digests.sha256().digest(signedData));
    }

    /** The QR code's modules, without quiet zone (the layout adds it); error correction M (15 %), a printed page's. */
    static boolean[][] qr(String text) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, 0, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
            boolean[][] modules = new boolean[m.getHeight()][m.getWidth()];
            for (int row = 0; row < m.getHeight(); row++) {
                for (int col = 0; col < m.getWidth(); col++) {
                    modules[row][col] = m.get(col, row);
                }
            }
            return modules;
        } catch (WriterException e) {
            throw new IllegalStateException("the verify link does not fit a QR code", e);
        }
    }

    private void optionalField(String key, String value) {
        if (value != null && !value.isBlank()) {
            layout.field(t(key), value);
        }
    }

    private String reason(String reason) {
        return reason("reason.", reason);
    }

    private String reason(String prefix, String reason) {
        try {
            return text.getString(prefix + reason);
        } catch (MissingResourceException e) {
            return String.valueOf(reason);
        }
    }

    private String t(String key) {
        return text.getString(key);
    }

    /** A value of the document by dotted path ("media.filename"), as text, or null when absent. */
    private String s(String path) {
        Object at = document;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at == null || at instanceof Map || at instanceof List ? null : String.valueOf(at);
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private String date(String iso) {
        return format(iso, t("date.pattern"));
    }

    private String shortDate(String iso) {
        return format(iso, t("date.short"));
    }

    private String format(String iso, String pattern) {
        if (iso == null) {
            return null;
        }
        try {
            return DateTimeFormatter.ofPattern(pattern, locale).withZone(ZoneOffset.UTC).format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static Instant instant(String iso) {
        try {
            return Instant.parse(iso);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private String number(long n) {
        return NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** "1,234,567 bytes (1.2 MiB)": the exact count, which the SHA-256 refers to, and a size a reader grasps. */
    private String size(String bytes) {
        if (bytes == null) {
            return null;
        }
        long n = Long.parseLong(bytes);
        String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String approx = u == 0 ? n + " B" : String.format(locale, "%.1f %s", v, units[u]);
        return String.format(t("size.value"), number(n), approx);
    }
}
