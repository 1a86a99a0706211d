package io.valv.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL server of the test's own (the machine's PostgreSQL binaries, a fresh cluster in a temporary
 * folder, a free port), so that a test can stop and start the database under a running Valv without
 * disturbing the shared one the other tests use.
 */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {

    private static Path bin;
    private static Path dir;
    private static int port;

    @Override
    public Map<String, String> start() {
        try {
            bin = postgresBin();
            dir = Files.createTempDirectory("valv-pg-");
            if (isRoot()) {
                run("chown", "postgres", dir.toString());
            }
            run(asPostgres(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--no-sync"));
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException("could not start a private PostgreSQL", e);
        }
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
    }

    @Override
    public void stop() {
        try {
            run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                    "stop"));
        } catch (RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it eventually
        }
    }

    /** Stops the server (fast shutdown: open connections are closed, as in a restart or failover). */
    public static void stopServer() {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts the server again; returns once it accepts connections. */
    public static void startServer() {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l",
                dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    private static Path postgresBin() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no PostgreSQL binaries under /usr/lib/postgresql"));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PostgreSQL refuses to run as root: as root (CI), its commands run as the postgres user. */
    private static String[] asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(Arrays.asList(command));
        return full.toArray(String[]::new);
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
