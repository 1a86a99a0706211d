package io.valv.certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.IntStream;

import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.Test;

/**
 * The two CMS forms Valv signs, checked with BouncyCastle's verifier (openssl and pdfsig check the same outputs
 * end to end in PurgeLifecycleTest and CertificatePdfApiTest): the signed JSON with its content inside, and the
 * detached PAdES signature of a PDF's byte range.
 */
class CmsSignerTest {

    static final SigningKey KEY = SigningKey.ephemeral("Agency AB");
    static final CmsSigner SIGNER = new CmsSigner(KEY);
    static final byte[] CONTENT = "{\"certificateId\":\"c-1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theSignedJsonCarriesItsContentAndVerifiesWithTheEmbeddedCertificate() throws Exception {
        CMSSignedData signed = new CMSSignedData(SIGNER.sign(CONTENT));
        assertArrayEquals(CONTENT, (byte[]) signed.getSignedContent().getContent());
        SignerInformation signer = onlySigner(signed);
        assertTrue(verifies(signed, signer));
        assertNotNull(signer.getSignedAttributes().get(CMSAttributes.signingTime), "the JSON form says when it was signed");
    }

    @Test
    void aBatchSignedOnEveryCoreGivesEachContentItsOwnValidSignatureInOrder() throws Exception {
        List<byte[]> contents = IntStream.range(0, 37)
                .mapToObj(i -> ("{\"certificateId\":\"c-" + i + "\"}").getBytes(StandardCharsets.UTF_8)).toList();
        List<byte[]> signed = new BatchSigner(SIGNER).signAll(contents);
        assertEquals(contents.size(), signed.size());
        for (int i = 0; i < contents.size(); i++) {
            CMSSignedData data = new CMSSignedData(signed.get(i));
            assertArrayEquals(contents.get(i), (byte[]) data.getSignedContent().getContent(), "signature " + i);
            assertTrue(verifies(data, onlySigner(data)), "signature " + i);
        }
        assertEquals(List.of(), new BatchSigner(SIGNER).signAll(List.of()));
    }

    @Test
    void thePdfSignatureIsDetachedBindsTheCertificateAndLeavesTheTimeToThePdf() throws Exception {
        byte[] detached = SIGNER.signDetached(CONTENT);
        CMSSignedData bare = new CMSSignedData(detached);
        assertNull(bare.getSignedContent(), "the byte range is not inside the signature");
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(CONTENT), detached);
        SignerInformation signer = onlySigner(signed);
        assertTrue(verifies(signed, signer));
        assertNotNull(signer.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificateV2),
                "PAdES B-B binds the signer's certificate (ESS signing-certificate-v2)");
        assertNull(signer.getSignedAttributes().get(CMSAttributes.signingTime),
                "PAdES forbids a CMS signing time; the PDF's /M carries it");
    }

    @Test
    void oneChangedByteOfTheContentFailsVerification() throws Exception {
        byte[] detached = SIGNER.signDetached(CONTENT);
        byte[] altered = CONTENT.clone();
        altered[3] ^= 1;
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(altered), detached);
        SignerInformation signer = onlySigner(signed);
        assertThrows(CMSException.class, () -> verifies(signed, signer));
    }

    @Test
    void theCertificatePemIsTheSigningCertificate() throws Exception {
        String pem = SIGNER.certificatePem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n") && pem.endsWith("-----END CERTIFICATE-----\n"));
        assertFalse(pem.lines().anyMatch(l -> l.length() > 64), "PEM lines are at most 64 characters");
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(KEY.certificate(), parsed);
    }

    private static SignerInformation onlySigner(CMSSignedData signed) {
        assertEquals(1, signed.getSignerInfos().size());
        assertEquals(1, signed.getCertificates().getMatches(null).size(), "the signing certificate is embedded");
        return signed.getSignerInfos().getSigners().iterator().next();
    }

    private static boolean verifies(CMSSignedData signed, SignerInformation signer) throws Exception {
        X509CertificateHolder holder = (X509CertificateHolder) signed.getCertificates().getMatches(signer.getSID())
                .iterator().next();
        return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(holder));
    }
}
