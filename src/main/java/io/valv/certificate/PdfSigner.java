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

    /** Signing the same bytes again until the CMS has the reserved length; each try has a ~25-50 % chance. */
    private static final int MAX_SIGNING_ATTEMPTS = 64;

    private final CmsSigner cms;
    private final String signerName;
    /**
     * The length every PDF's CMS is made to have: one the key's signatures often have (a DER ECDSA signature
     * varies by a byte or two), found once by signing nothing, instead of once per PDF.
     */
    private final int cmsLength;

    PdfSigner(CmsSigner cms, String signerName) {
        this.cms = cms;
        this.signerName = signerName;
        this.cmsLength = cms.signDetached(new byte[0]).length;
    }

    byte[] sign(byte[] unsignedPdf, Instant signedAt) {
        try (PDDocument pdf = Loader.loadPDF(unsignedPdf);
                SignatureOptions options = new SignatureOptions();
                ByteArrayOutputStream out = new ByteArrayOutputStream(unsignedPdf.length + 32 * 1024)) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
            signature.setName(signerName);
            signature.setReason("Certificate of deletion");
            Calendar time = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
            time.setTimeInMillis(signedAt.toEpochMilli());
            signature.setSignDate(time);
            // the CMS fills /Contents exactly: the hex string is then not padded with zeros, which strict CMS
            // parsers (BouncyCastle from 1.85, and validators built on it such as the EU's DSS) refuse to read
            options.setPreferredSignatureSize(cmsLength);
            pdf.addSignature(signature, content -> exactly(cmsLength, content.readAllBytes()), options);
            printable(pdf);
            pdf.saveIncremental(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not sign the certificate PDF", e);
        }
    }

    /**
     * The detached CMS of {@code content} in exactly {@code size} bytes. Its length varies only with the signature
     * value's DER encoding (an ECDSA signature is 70 to 72 bytes, an RSA one fixed), so signing again, with a fresh
     * random nonce each time, soon gives that length; should it not, the CMS is padded as PDF allows.
     */
    private byte[] exactly(int size, byte[] content) {
        byte[] signed = cms.signDetached(content);
        for (int attempt = 1; signed.length != size && attempt < MAX_SIGNING_ATTEMPTS; attempt++) {
            signed = cms.signDetached(content);
        }
        if (signed.length > size) {
            throw new IllegalStateException("the CMS signature outgrew its reserved room");
        }
        return signed;
    }

    /**
     * PDF/A wants every annotation flagged printable, the signature's invisible widget (zero-size rectangle,
     * no appearance needed) included.
     */
    private static void printable(PDDocument pdf) {
        var form = pdf.getDocumentCatalog().getAcroForm();
        if (form == null) {
            return;
        }
        for (var field : form.getFieldTree()) {
            for (var widget : field.getWidgets()) {
                if (!widget.isPrinted()) {
                    widget.setPrinted(true);
                    widget.getCOSObject().setNeedToBeUpdated(true);
                }
            }
        }
    }
}
