package io.valv.certificate;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;

/**
 * The PDF's PAdES signature as the EU's DSS validator (the European Commission's reference implementation, used
 * by trust-service validators) judges it, with Valv's signing certificate as the one trust anchor: an
 * implementation independent of PDFBox, which wrote the signature, and of poppler's pdfsig.
 */
final class Pades {

    private Pades() {
    }

    record Verdict(int signatures, Indication indication, String subIndication) {
    }

    static Verdict validate(byte[] pdf, String signerPem) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(signerPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        CommonTrustedCertificateSource anchors = new CommonTrustedCertificateSource();
        anchors.addCertificate(new CertificateToken(signer));
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setTrustedCertSources(anchors);
        // offline: no AIA, OCSP or CRL fetching (the signing certificate is pinned, as the client pins it)
        verifier.setAIASource(null);
        verifier.setOcspSource(null);
        verifier.setCrlSource(null);
        SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
        validator.setCertificateVerifier(verifier);
        Reports reports = validator.validateDocument();
        SimpleReport simple = reports.getSimpleReport();
        String id = simple.getFirstSignatureId();
        return new Verdict(simple.getSignaturesCount(), id == null ? null : simple.getIndication(id),
                id == null || simple.getSubIndication(id) == null ? null : simple.getSubIndication(id).name());
    }
}
