package io.valv.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.valv.audit.AuditConfig;
import io.valv.certificate.CertificateConfig;
import io.valv.crypto.CryptoConfig;
import io.valv.material.UploadConfig;
import io.valv.portal.PortalConfig;
import io.valv.purge.PurgeConfig;
import io.valv.security.SecurityConfig;
import io.valv.storage.StorageConfig;

/**
 * The environment the chart gives a pod binds to Valv's {@code @ConfigMapping}s as intended: every
 * {@code VALV_*} name the chart renders is spelled the way SmallRye Config maps it, and a new required
 * key without a chart value shows up here rather than as a crash-looping pod. Secret-backed variables
 * get placeholder values (Kubernetes would fill them from the secrets).
 */
class ChartEnvironmentBindingTest {

    @Test
    void productionEnvironmentBindsToTheConfigMappings() {
        SmallRyeConfig config = configFrom(RenderedChart.production());

        CryptoConfig crypto = config.getConfigMapping(CryptoConfig.class);
        assertEquals(Map.of(1, "secret:valv-master-key-v1/key", 2, "secret:valv-master-key-v2/key"), crypto.masterKeys());
        assertEquals(2, crypto.activeMasterKeyVersion());
        assertEquals(192, crypto.warmUpMebibytes());

        StorageConfig storage = config.getConfigMapping(StorageConfig.class);
        assertEquals(StorageConfig.Type.S3, storage.type());
        assertEquals("Amazon Web Services EMEA SARL", storage.subProcessor());
        assertEquals("agency-valv-production", storage.s3().bucket());
        assertEquals("eu-north-1", storage.s3().region());
        assertEquals(false, storage.s3().pathStyle());
        assertEquals(false, storage.s3().createBucket());
        assertEquals(8, storage.s3().segmentsPerPart());
        assertEquals(2, storage.s3().partsInFlight());
        assertTrue(storage.s3().accessKeyId().isEmpty(), "IRSA: the AWS default chain, no static keys");

        UploadConfig upload = config.getConfigMapping(UploadConfig.class);
        assertEquals(20L * 1024 * 1024 * 1024, upload.maxSize().asLongValue());
        assertEquals(Duration.ofHours(24), upload.staleAfter());
        assertEquals(Duration.ofMinutes(15), upload.sweepEvery());

        assertEquals("vault_client", config.getConfigMapping(SecurityConfig.class).tenantClaim());

        PurgeConfig purge = config.getConfigMapping(PurgeConfig.class);
        assertEquals(Duration.ofSeconds(30), purge.every());
        assertEquals(100, purge.batchSize());

        CertificateConfig certificates = config.getConfigMapping(CertificateConfig.class);
        assertEquals(Path.of("/etc/valv/certificate-signing/keystore.p12"), certificates.signingKeyStore().orElseThrow());
        assertEquals("secret:valv-certificate-signing/password", certificates.signingKeyStorePassword().orElseThrow());
        assertEquals(false, certificates.ephemeralSigningKey(), "production never signs with a throw-away key");
        assertEquals("Agency AB (processor)", certificates.issuer());
        assertEquals(35, certificates.backupRetentionDays());

        PortalConfig portal = config.getConfigMapping(PortalConfig.class);
        assertEquals(URI.create("https://valv.agency.example"), portal.publicUrl().orElseThrow());
        assertTrue(portal.secureCookies(), "production cookies are Secure and __Host-");

        // the hyphenated value of the chart binds to the enum constant
        assertEquals(AuditConfig.PersonalDataMode.PER_CLIENT_PSEUDONYMS,
                config.getConfigMapping(AuditConfig.class).personalData());
    }

    @Test
    void staticS3CredentialsAndEndpointBind() {
        SmallRyeConfig config = configFrom(RenderedChart.render(RenderedChart
                .withRequiredSettings(RenderedChart.template("valv"))
                .set("storage.s3.endpoint", "https://minio.storage.svc:9000")
                .set("storage.s3.pathStyle", true)
                .set("storage.s3.credentials.existingSecret", "valv-s3")));

        StorageConfig.S3 s3 = config.getConfigMapping(StorageConfig.class).s3();
        assertEquals(URI.create("https://minio.storage.svc:9000"), s3.endpoint().orElseThrow());
        assertTrue(s3.pathStyle());
        assertEquals("secret:valv-s3/access-key-id", s3.accessKeyId().orElseThrow());
        assertEquals("secret:valv-s3/secret-access-key", s3.secretAccessKey().orElseThrow());
        assertEquals(Map.of(1, "secret:valv-master-key/v1"), config.getConfigMapping(CryptoConfig.class).masterKeys());
    }

    private static SmallRyeConfig configFrom(RenderedChart chart) {
        return PodEnvironment.config(PodEnvironment.of(chart, (secret, key) -> "secret:" + secret + "/" + key));
    }
}
