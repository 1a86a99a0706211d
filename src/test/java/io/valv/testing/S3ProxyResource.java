package io.valv.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 protocol server for tests: S3Proxy 2.6.0 (fetched by the build into target/tools) in its
 * own JVM with a filesystem backend, reached through a {@link NetworkCut} that tests can cut to simulate
 * an outage of the store.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "valv-test";
    public static final String ACCESS_KEY = "valv-test-access";
    public static final String SECRET_KEY = "valv-test-secret";
    private static Process process;
    private static int port;
    private static Path dataDir;
    private static Path configFile;
    private static NetworkCut network;

    @Override
    public Map<String, String> start() {
        try {
            port = freePort();
            dataDir = Files.createDirectories(Path.of("target", "s3proxy-data-" + port)).toAbsolutePath();
            configFile = dataDir.resolveSibling("s3proxy-" + port + ".properties");
            Files.writeString(configFile, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dataDir, ""));
            startProcess();
            network = new NetworkCut(port);
        } catch (IOException e) {
            throw new IllegalStateException("could not start S3Proxy", e);
        }
        return Map.of(
                "valv.storage.type", "s3",
                "valv.storage.s3.endpoint", "http://127.0.0.1:" + network.port(),
                "valv.storage.s3.path-style", "true",
                "valv.storage.s3.bucket", BUCKET,
                "valv.storage.s3.access-key-id", ACCESS_KEY,
                "valv.storage.s3.secret-access-key", SECRET_KEY,
                "valv.storage.s3.create-bucket", "true");
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            process = null;
        }
    }

    /** The store itself, bypassing the cuttable link: what the tests use to inspect it. */
    public static String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Simulates an outage: Valv's connections to the store are reset and refused until {@link #restart()}. */
    public static void kill() {
        network.cut();
    }

    public static void restart() {
        network.restore();
    }

    public static S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    private static void startProcess() {
        String jar = System.getProperty("valv.s3proxy.jar", "target/tools/s3proxy.jar");
        if (!new File(jar).exists()) {
            throw new IllegalStateException("S3Proxy jar missing at " + jar + " (run through Maven)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "--properties", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolveSibling("s3proxy-" + port + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start S3Proxy", e);
        }
        awaitPort(Duration.ofSeconds(60));
    }

    private static void awaitPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("S3Proxy exited; see target/s3proxy-" + port + ".log");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("S3Proxy did not open port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
