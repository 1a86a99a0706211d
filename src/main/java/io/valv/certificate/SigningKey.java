package io.valv.certificate;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The key and certificate that sign deletion certificates. */
record SigningKey(PrivateKey privateKey, X509Certificate certificate) {

    static SigningKey load(CertificateConfig config) {
        if (config.signingKeyStore().isEmpty()) {
            if (config.ephemeralSigningKey()) {
                return ephemeral(config.issuer());
            }
            throw new IllegalStateException("valv.certificates.signing-key-store is required: deletion certificates "
                    + "must be signed with the processor's key");
        }
        char[] password = config.signingKeyStorePassword().orElse("").toCharArray();
        try (InputStream in = Files.newInputStream(config.signingKeyStore().get())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return new SigningKey((PrivateKey) store.getKey(alias, password),
                            (X509Certificate) store.getCertificate(alias));
                }
            }
            throw new IllegalStateException("the signing key store holds no private key");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not read the certificate signing key store", e);
        }
    }

    /** A self-signed P-256 key for dev and tests. Uses the JDK's providers only. */
    static SigningKey ephemeral(String issuer) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + issuer.replaceAll("[,=+<>#;\"\\\\]", " ") + " (ephemeral),O=Valv");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyCertSign));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new SigningKey(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not create an ephemeral signing key", e);
        }
    }

    String signatureAlgorithm() {
        return privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    }
}
