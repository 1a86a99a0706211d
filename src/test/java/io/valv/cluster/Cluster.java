package io.valv.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.valv.testing.KeycloakResource;
import io.valv.testing.NetworkCut;
import io.valv.testing.S3ProxyResource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What one cluster IT owns: a fresh PostgreSQL database (created here, dropped by {@link #close()}), a
 * bucket of its own in the shared S3Proxy, freshly generated production secrets (master key, audit
 * checkpoint key, a PKCS#12 certificate-signing key store), and the replicas started on them.
 */
final class Cluster implements AutoCloseable {

    /** Same server the other tests use; -Dvalv.test.jdbc-url moves it (parallel local runs). */
    private static final String SERVER_URL = System.getProperty("valv.test.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^/:]+)(?::(\\d+))?/([^?]*)(\\?.*)?");

    final String database;
    final String bucket;
    private final String masterKey;
    private final String checkpointKey;
    private final Path signingKeyStore;
    private final String signingKeyStorePassword;
    private final List<ValvProcess> replicas = new ArrayList<>();
    private final List<NetworkCut> links = new ArrayList<>();

    private Cluster(String database, String bucket, Path signingKeyStore, String signingKeyStorePassword) {
        this.database = database;
        this.bucket = bucket;
        this.masterKey = randomBase64(32);
        this.checkpointKey = randomBase64(32);
        this.signingKeyStore = signingKeyStore;
        this.signingKeyStorePassword = signingKeyStorePassword;
    }

    static Cluster create(String name) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String database = "valv_it_" + name.replace('-', '_') + "_" + suffix;
        try (Connection c = DriverManager.getConnection(SERVER_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        try {
            Path dir = Files.createDirectories(ValvProcess.LOGS.resolve(name + "-secrets")).toAbsolutePath();
            String password = randomBase64(18);
            Path store = dir.resolve("signing.p12");
            writeSigningKeyStore(store, password);
            return new Cluster(database, "valv-it-" + name + "-" + suffix, store, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JDBC URL of this cluster's database, optionally through another port (a {@link NetworkCut} in front). */
    String jdbcUrl(Integer port) {
        Matcher m = matcher();
        return "jdbc:postgresql://" + m.group(1) + ":" + (port != null ? port : serverPort()) + "/" + database
                + (m.group(4) != null ? m.group(4) : "");
    }

    /** The replicas' master key (base64), for checking that it never reaches a log. */
    String masterKey() {
        return masterKey;
    }

    /** A cuttable TCP link to PostgreSQL for one replica's connections. */
    NetworkCut databaseLink() {
        try {
            NetworkCut link = new NetworkCut(serverPort());
            links.add(link);
            return link;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A replica configured like {@code scripts/stack} starts Valv: datasource, OIDC issuer and audience, master
     * key, S3 settings, audit checkpoint key, signing key store, demo data; the portal tenant as system
     * properties. {@code overrides} come last (e.g. a purge period, another JDBC URL).
     */
    ValvProcess replica(String name, Map<String, String> overrides) {
        ClusterServices.Running services = ClusterServices.get();
        Map<String, String> oidc = services.oidc();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(null));
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "unused");
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", oidc.get("quarkus.oidc.auth-server-url"));
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", KeycloakResource.AUDIENCE);
        env.put("VALV_CRYPTO_MASTER_KEYS_1", masterKey);
        env.put("VALV_STORAGE_S3_ENDPOINT", services.s3Endpoint());
        env.put("VALV_STORAGE_S3_PATH_STYLE", "true");
        env.put("VALV_STORAGE_S3_BUCKET", bucket);
        env.put("VALV_STORAGE_S3_ACCESS_KEY_ID", S3ProxyResource.ACCESS_KEY);
        env.put("VALV_STORAGE_S3_SECRET_ACCESS_KEY", S3ProxyResource.SECRET_KEY);
        env.put("VALV_STORAGE_S3_CREATE_BUCKET", "true");
        env.put("VALV_AUDIT_CHECKPOINT_KEY", checkpointKey);
        env.put("VALV_CERTIFICATES_SIGNING_KEY_STORE", signingKeyStore.toString());
        env.put("VALV_CERTIFICATES_SIGNING_KEY_STORE_PASSWORD", signingKeyStorePassword);
        env.put("VALV_DEMO_ENABLED", "true");
        // the ITs upload small files four at a time (Checks.uploadMany); the heap-sized default allows 2 at -Xmx384m
        env.put("VALV_TRANSFERS_MAX_UPLOADS", "8");
        // Not in scripts/stack: the 192 MiB crypto warm-up would only burn the 2 shared cores of a test machine.
        env.put("VALV_CRYPTO_WARM_UP_MEBIBYTES", "0");
        env.putAll(overrides);
        List<String> properties = List.of(
                "-Dquarkus.oidc.portal.auth-server-url=" + oidc.get("quarkus.oidc.portal.auth-server-url"),
                "-Dquarkus.oidc.portal.client-id=" + oidc.get("quarkus.oidc.portal.client-id"),
                "-Dquarkus.oidc.portal.credentials.secret=" + oidc.get("quarkus.oidc.portal.credentials.secret"));
        ValvProcess replica = new ValvProcess(name, env, properties);
        replicas.add(replica);
        return replica;
    }

    // ---- the database, directly ------------------------------------------------------------------

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(null), "postgres", "");
    }

    long count(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> strings(String sql, Object... args) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    int update(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    // ---- the bucket, directly --------------------------------------------------------------------

    /** Whether the object exists in this cluster's bucket (asked of S3Proxy itself, not through the cuttable link). */
    boolean objectExists(S3Client s3, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Valv's objects (under {@code m/}) in this cluster's bucket; S3Proxy's directory entries are not objects. */
    List<String> objectKeys(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key())
                .filter(k -> k.startsWith("m/") && !k.endsWith("/")).toList();
    }

    /** Multipart uploads begun in this cluster's bucket and neither completed nor aborted. */
    int pendingMultipartUploads(S3Client s3) {
        return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    @Override
    public void close() {
        for (ValvProcess replica : replicas) {
            replica.close();
        }
        for (NetworkCut link : links) {
            link.close();
        }
        try (Connection c = DriverManager.getConnection(SERVER_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + database, e);
        }
        try (S3Client s3 = S3ProxyResource.client()) {
            for (String key : objectKeys(s3)) {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            }
            s3.deleteBucket(b -> b.bucket(bucket));
        } catch (RuntimeException e) {
            // best effort: S3Proxy's data lives under target/ and goes with it
        }
    }

    private static Matcher matcher() {
        Matcher m = JDBC.matcher(SERVER_URL);
        if (!m.matches()) {
            throw new IllegalStateException("cannot parse valv.test.jdbc-url " + SERVER_URL);
        }
        return m;
    }

    private static int serverPort() {
        Matcher m = matcher();
        return m.group(2) != null ? Integer.parseInt(m.group(2)) : 5432;
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** A self-signed P-256 certificate-signing key in a PKCS#12 store, as `openssl pkcs12 -export` makes in scripts/stack. */
    private static void writeSigningKeyStore(Path file, String password) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=Valv cluster IT " + HexFormat.of().formatHex(new SecureRandom().generateSeed(4)));
            Instant now = Instant.now();
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(30))), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("valv-certificates", pair.getPrivate(), password.toCharArray(),
                    new X509Certificate[] { certificate });
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("could not create the signing key store", e);
        }
    }

    static URI uri(String base, String path) {
        return URI.create(base + path);
    }
}
