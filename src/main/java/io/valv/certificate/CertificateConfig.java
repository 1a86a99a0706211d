package io.valv.certificate;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.certificates")
public interface CertificateConfig {

    /**
     * PKCS#12 key store holding the certificate-signing key and its X.509 certificate (first key entry).
     * Mount it from a secret. Required outside dev/test.
     */
    Optional<Path> signingKeyStore();

    /** Password of the key store (from a secret). */
    Optional<String> signingKeyStorePassword();

    /**
     * Dev and test only: when no key store is configured, sign with a throw-away self-signed key made at
     * start. Never set in production; certificates signed this way cannot be verified after a restart.
     */
    @WithDefault("false")
    boolean ephemeralSigningKey();

    /**
     * The processor's legal name, as the issuer of every certificate (its "Parties" section and the PDF
     * signature's name). Set it to the name in the trade register; the default is a placeholder.
     */
    @WithDefault("Valv data processor")
    String issuer();

    /** The processor's organisation number (e.g. a Swedish organisationsnummer), printed under "Parties". */
    Optional<String> processorOrgNumber();

    /** The processor's postal address, one line, printed under "Parties". */
    Optional<String> processorAddress();

    /** Who the controller contacts about the certificate (the DPO's e-mail or phone), printed under "Parties". */
    Optional<String> processorContact();

    /**
     * Days database backups are kept. A backup can still hold the wrapped data key of purged material for
     * this long; every certificate states it under "residual copies".
     */
    @WithDefault("30")
    int backupRetentionDays();

    /**
     * Requests per minute and client address that the public verify page ({@code /verify}) answers; more get
     * 429. A holder checks one document at a time; the limit keeps the public page from being a cheap load or probing tool.
     */
    @WithDefault("30")
    int verifyPerMinute();
}
