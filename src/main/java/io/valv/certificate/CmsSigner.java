package io.valv.certificate;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * CMS SignedData (RFC 5652) with the content encapsulated and the signing certificate embedded, so that
 * {@code openssl cms -verify -inform DER -in cert.p7s -CAfile signer.pem} checks it and prints the
 * signed JSON. BouncyCastle builds the structure; the signature itself runs on the JDK's providers.
 */
final class CmsSigner {

    private final SigningKey key;

    CmsSigner(SigningKey key) {
        this.key = key;
    }

    /** SignedData with {@code content} encapsulated: the form of the signed JSON certificate. */
    byte[] sign(byte[] content) {
        return signedData(content, true, null);
    }

    /**
     * A detached CAdES signature for a PDF's byte range (PAdES baseline B-B, ETSI EN 319 142-1): the signer's
     * certificate is bound by the ESS signing-certificate-v2 attribute, and there is no signing-time attribute
     * (the PDF signature dictionary's /M carries the time instead).
     */
    byte[] signDetached(byte[] content) {
        return signedData(content, false, new PadesSignedAttributes(signingCertificateV2()));
    }

    /** One signer (this key, its certificate embedded); BouncyCastle's default signed attributes when none given. */
    private byte[] signedData(byte[] content, boolean encapsulate, DefaultSignedAttributeTableGenerator attributes) {
        try {
            JcaSignerInfoGeneratorBuilder signer = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build());
            if (attributes != null) {
                signer.setSignedAttributeGenerator(attributes);
            }
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signer.build(
                    new JcaContentSignerBuilder(key.signatureAlgorithm()).build(key.privateKey()), key.certificate()));
            generator.addCertificates(new JcaCertStore(List.of(key.certificate())));
            return generator.generate(new CMSProcessableByteArray(content), encapsulate).getEncoded("DER");
        } catch (CMSException | OperatorCreationException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("could not sign the certificate", e);
        }
    }

    private AttributeTable signingCertificateV2() {
        try {
            // ESSCertIDv2 with its default hash algorithm, SHA-256, over the DER certificate.
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.certificate().getEncoded());
            Attribute attribute = new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                    new DERSet(new SigningCertificateV2(new ESSCertIDv2(hash))));
            return new AttributeTable(attribute);
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not sign the certificate PDF", e);
        }
    }

    /** BouncyCastle's standard signed attributes (content type, digest, algorithm protection) minus signing time. */
    private static final class PadesSignedAttributes extends DefaultSignedAttributeTableGenerator {

        PadesSignedAttributes(AttributeTable extra) {
            super(extra);
        }

        @Override
        @SuppressWarnings({ "rawtypes", "unchecked" })
        protected Hashtable createStandardAttributeTable(Map parameters) {
            Hashtable table = super.createStandardAttributeTable(parameters);
            table.remove(CMSAttributes.signingTime);
            return table;
        }
    }

    java.security.cert.X509Certificate certificate() {
        return key.certificate();
    }

    String certificatePem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(key.certificate().getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
