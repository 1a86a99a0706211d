package io.valv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Keycloak for end-to-end tests: {@code org.keycloak:keycloak-quarkus-dist} (fetched by the build
 * into target/tools/keycloak.zip), unpacked once into target/keycloak-&lt;version&gt;, started in dev mode
 * on a free loopback port with the machine's Temurin 25 (Keycloak 26 needs Java 21+), the shipped realm
 * {@code keycloak/valv-realm.json} imported into an in-memory database so that every start begins from
 * exactly that file.
 * <p>
 * The service is pointed at the realm (and must see {@code aud=valv} in every access token); the
 * {@code portal} OIDC tenant gets the confidential {@code valv-portal} client. Tokens for the demo users
 * and service accounts come from {@link #token(String)} and {@link #clientCredentialsToken(String, String)}.
 * <p>
 * System properties (set by surefire/failsafe in pom.xml): {@code valv.keycloak.zip},
 * {@code valv.keycloak.version}, {@code valv.keycloak.java-home}, and {@code valv.keycloak.start-timeout}
 * (seconds, default 300: a cold start on a busy 2-core machine has been seen to take 140 s).
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    public static final String REALM = "valv";
    /** Audience every access token of the realm carries and the service requires. */
    public static final String AUDIENCE = "valv";
    public static final String CLI_CLIENT = "valv-cli";
    public static final String PORTAL_CLIENT = "valv-portal";
    /** Local-only secrets, as in keycloak/valv-realm.json (documented in README). */
    public static final String PORTAL_SECRET = "valv-portal-local-secret";
    public static final String ACME_INTEGRATION = "acme-integration";
    public static final String ACME_INTEGRATION_SECRET = "acme-integration-local-secret";
    public static final String GLOBEX_INTEGRATION = "globex-integration";
    public static final String GLOBEX_INTEGRATION_SECRET = "globex-integration-local-secret";

    private static final Path REALM_FILE = Path.of("keycloak", "valv-realm.json");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, CachedToken> TOKENS = new ConcurrentHashMap<>();

    /** Bootstrap admin of the master realm: this throw-away, in-memory Keycloak only. */
    private static final String ADMIN = "kc-test-admin";

    private static volatile Process process;
    private static volatile ProcessBuilder launcher;
    private static volatile Path launchLog;
    private static volatile int port;
    private static volatile int appPort;

    @Override
    public Map<String, String> start() {
        try {
            Path home = install();
            Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
            appPort = freePort();
            Files.writeString(imports.resolve("valv-realm.json"), testRealm(Files.readString(REALM_FILE), appPort));
            port = freePort();
            int managementPort = freePort();
            Path log = Path.of("target", "keycloak-" + port + ".log").toAbsolutePath();
            List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin").resolve("kc.sh").toString(),
                    "start-dev",
                    // build-time option: keep it identical everywhere (tests, scripts/stack) so that the
                    // unpacked distribution is re-augmented only once
                    "--db=dev-mem",
                    "--import-realm",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    // default 9000 would clash with S3Proxy
                    "--http-management-port=" + managementPort,
                    // fixed issuer, whatever Host header a caller uses
                    "--hostname=" + rootUrl()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", javaHome().toString());
            builder.environment().remove("JAVA_OPTS");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN);
            TOKENS.clear();
            launcher = builder;
            launchLog = log;
            process = builder.start();
            awaitRealm(log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak", e);
        }
        String issuer = baseUrl();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.token.audience", AUDIENCE);
        config.put("quarkus.oidc.portal.auth-server-url", issuer);
        config.put("quarkus.oidc.portal.client-id", PORTAL_CLIENT);
        config.put("quarkus.oidc.portal.credentials.secret", PORTAL_SECRET);
        // the port the test realm's redirect and back-channel logout URLs name
        // (the profiled key too: application.properties' %test.quarkus.http.test-port=0 would win over the plain one)
        config.put("quarkus.http.test-port", Integer.toString(appPort));
        config.put("%test.quarkus.http.test-port", Integer.toString(appPort));
        return config;
    }

    /**
     * The shipped realm with the portal client registered for this run's Valv port only: its redirect URIs
     * and its back-channel logout URL. The shipped file names the local stack's port 8080 and nothing else;
     * in particular no {@code http://127.0.0.1/portal/*}, which Keycloak would match on any loopback port
     * (RFC 8252), so that any local process could receive a portal login code.
     */
    static String testRealm(String realmJson, int appPort) throws IOException {
        JsonNode realm = JSON.readTree(realmJson);
        for (JsonNode client : realm.path("clients")) {
            if (!PORTAL_CLIENT.equals(client.path("clientId").asText())) {
                continue;
            }
            var redirects = ((com.fasterxml.jackson.databind.node.ObjectNode) client).putArray("redirectUris");
            redirects.add("http://127.0.0.1:" + appPort + "/portal/*");
            redirects.add("http://localhost:" + appPort + "/portal/*");
            ((com.fasterxml.jackson.databind.node.ObjectNode) client.path("attributes")).put("backchannel.logout.url",
                    "http://127.0.0.1:" + appPort + "/portal/back-channel-logout");
        }
        return JSON.writeValueAsString(realm);
    }

    /** The realm's admin API as the master realm's bootstrap admin (test-only credentials). */
    public static HttpResponse<String> admin(String method, String path) {
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(rootUrl()
                + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                        + ADMIN + "&password=" + ADMIN)));
        String adminToken;
        try {
            adminToken = JSON.readTree(login.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(HttpRequest.newBuilder(URI.create(rootUrl() + "/admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        Process p = process;
        process = null;
        TOKENS.clear();
        if (p == null) {
            return;
        }
        // kc.sh forwards TERM to its java child; make sure no descendant outlives the test run either way
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops the running Keycloak, as an outage would; {@link #restart()} brings it back on the same port. */
    public static void halt() {
        new KeycloakResource().stop();
    }

    /**
     * Starts Keycloak again on the same port and issuer. Its database is in memory, so the realm is imported
     * afresh: the same users and clients, new signing keys (a key rotation, as far as Valv can tell).
     */
    public static void restart() throws IOException {
        TOKENS.clear();
        process = launcher.start();
        awaitRealm(launchLog);
    }

    /** The realm's issuer URL, e.g. {@code http://127.0.0.1:41234/realms/valv}. */
    public static String baseUrl() {
        return rootUrl() + "/realms/" + REALM;
    }

    /** Access token of a demo user (password = user name) through the public {@code valv-cli} client. */
    public static String token(String user) {
        return cached("user:" + user, Map.of("grant_type", "password", "client_id", CLI_CLIENT,
                "username", user, "password", user));
    }

    /** Access token of a service account (client credentials grant). */
    public static String clientCredentialsToken(String clientId, String secret) {
        return cached("client:" + clientId + ":" + secret, Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret));
    }

    /** The token endpoint's whole JSON answer for a form; for tests of refused grants. */
    public static HttpResponse<String> tokenEndpoint(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String cached(String key, Map<String, String> form) {
        CachedToken token = TOKENS.get(key);
        if (token == null || System.nanoTime() - token.freshUntilNanos() >= 0) {
            token = fetch(form);
            TOKENS.put(key, token);
        }
        return token.value();
    }

    private static CachedToken fetch(Map<String, String> form) {
        HttpResponse<String> response = tokenEndpoint(form);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the token request for " + form.get("client_id") + "/"
                    + form.getOrDefault("username", "-") + ": " + response.statusCode() + " " + response.body());
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            long lifetime = json.path("expires_in").asLong(60);
            // reused for at most half its life, so that a cached token never expires under a running test
            return new CachedToken(json.path("access_token").asText(),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetime / 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record CachedToken(String value, long freshUntilNanos) {
    }

    private static String rootUrl() {
        if (port == 0) {
            throw new IllegalStateException("Keycloak is not running (attach KeycloakResource to the test)");
        }
        return "http://127.0.0.1:" + port;
    }

    private static void awaitRealm(Path log) {
        long timeout = Long.getLong("valv.keycloak.start-timeout", 300);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(baseUrl() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(500);
        }
        new KeycloakResource().stop();
        throw new IllegalStateException("Keycloak did not serve realm " + REALM + " within " + timeout + " s; see " + log);
    }

    /** Unpacks the distribution once per version; concurrent test JVMs of one checkout wait for each other. */
    private static Path install() throws IOException {
        String version = System.getProperty("valv.keycloak.version", "26.5.6");
        Path zip = Path.of(System.getProperty("valv.keycloak.zip", "target/tools/keycloak.zip"));
        Path home = Path.of("target", "keycloak-" + version).toAbsolutePath();
        if (Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))) {
            return home;
        }
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Keycloak distribution missing at " + zip
                    + " (run through Maven: ./mvnw process-test-resources fetches it)");
        }
        Path lockFile = Path.of("target", "keycloak-" + version + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))) {
                return home;
            }
            Path staging = Path.of("target", "keycloak-" + version + ".unpacking-" + UUID.randomUUID());
            unzip(zip, staging);
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        }
        return home;
    }

    /** Extracts the zip's single top-level folder's content into {@code target}; shell scripts stay executable. */
    private static void unzip(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path out = root.resolve(name.substring(slash + 1)).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry escapes the target folder: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                Files.copy(entries, out, StandardCopyOption.REPLACE_EXISTING);
                if (name.endsWith(".sh")) {
                    out.toFile().setExecutable(true);
                }
            }
        } catch (IOException e) {
            deleteQuietly(root);
            throw e;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover staging folder under target/ does no harm
        }
    }

    /** The JDK named by {@code valv.keycloak.java-home}, else any Java 21+ under /usr/lib/jvm. */
    private static Path javaHome() {
        Path home = Path.of(System.getProperty("valv.keycloak.java-home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return home;
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(j -> Files.isExecutable(j.resolve("bin").resolve("java")) && majorVersion(j) >= 21)
                    .findFirst().orElseThrow(() -> noJava(home));
        } catch (IOException e) {
            throw noJava(home);
        }
    }

    /** JAVA_VERSION from the JDK's {@code release} file; 0 when it cannot be read. */
    private static int majorVersion(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.replaceAll("[^0-9.]", "").split("\\.")[0]).mapToInt(Integer::parseInt).findFirst()
                    .orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static IllegalStateException noJava(Path home) {
        return new IllegalStateException("Keycloak 26 needs Java 21+; no JDK at " + home + " nor under /usr/lib/jvm"
                + " (install one, e.g. sudo apt-get install -y openjdk-21-jre-headless, or set"
                + " -Dvalv.keycloak.java-home=/path/to/jdk-21-or-later)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
