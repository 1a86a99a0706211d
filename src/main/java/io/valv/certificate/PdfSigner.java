package io.valv.certificate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Calendar;
import java.util.TimeZone;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;

/**
 * Signs a certificate's PDF with the processor's key as a PAdES signature (sub-filter
 * {@code ETSI.CAdES.detached}), so that a PDF reader or poppler's {@code pdfsig} shows the document as
 * signed and unaltered. PDFBox writes the signature dictionary and byte range as an incremental update;
 * {@link CmsSigner#signDetached} makes the CMS.
 */
final class PdfSigner {

    /** Room reserved for the CMS in the file: the signer certificate plus one signature, with margin. */
    private static final int SIGNATURE_SIZE = 16 * 1024;

    private final CmsSigner cms;
    private final String signerName;

    PdfSigner(CmsSigner cms, String signerName) {
        this.cms = cms;
        this.signerName = signerName;
    }

    byte[] sign(byte[] unsignedPdf, Instant signedAt) {
        try (PDDocument pdf = Loader.loadPDF(unsignedPdf); SignatureOptions options = new SignatureOptions();
                ByteArrayOutputStream out = new ByteArrayOutputStream(unsignedPdf.length + 2 * SIGNATURE_SIZE)) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
            signature.setName(signerName);
            signature.setReason("Certificate of deletion");
            Calendar time = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
            time.setTimeInMillis(signedAt.toEpochMilli());
            signature.setSignDate(time);
            options.setPreferredSignatureSize(SIGNATURE_SIZE);
            pdf.addSignature(signature, content -> cms.signDetached(content.readAllBytes()), options);
            pdf.saveIncremental(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not sign the certificate PDF", e);
        }
    }
}
