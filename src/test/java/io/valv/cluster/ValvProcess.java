package io.valv.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Valv replica as a real operating-system process: the packaged {@code target/quarkus-app/quarkus-run.jar}
 * in the prod profile, configured the way {@code scripts/stack} and the Helm chart configure it (environment
 * variables, plus the portal tenant's {@code -Dquarkus.oidc.portal.*} system properties). Its output goes to
 * {@code target/cluster/<name>-<start>.log}; every start gets a free HTTP port.
 * <p>
 * Nothing outlives the test JVM: every started process is registered and killed by {@link #close()}, by
 * {@link #killAll()} (called by the tests' cleanup) and, as a last net, by a shutdown hook.
 */
final class ValvProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final Path LOGS = Path.of("target", "cluster");
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ValvProcess::killAll, "valv-process-reaper"));
    }

    private final String name;
    private final Map<String, String> environment;
    private final List<String> systemProperties;
    private String maxHeap = "384m";
    private Process process;
    private int port;
    private int starts;
    private Path log;

    /**
     * @param environment the process environment on top of a cleaned copy of this JVM's (any inherited
     *        {@code QUARKUS_*} or {@code VALV_*} variable is dropped so that only what the test sets counts)
     * @param systemProperties {@code -Dkey=value} options for the JVM
     */
    ValvProcess(String name, Map<String, String> environment, List<String> systemProperties) {
        this.name = name;
        this.environment = new LinkedHashMap<>(environment);
        this.systemProperties = List.copyOf(systemProperties);
    }

    /** The JVM's {@code -Xmx} for the next start (default 384m). */
    ValvProcess maxHeap(String size) {
        this.maxHeap = size;
        return this;
    }

    /** Starts the JVM on a new free port (a restart after {@link #kill9()} or {@link #stop()} too). */
    ValvProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    "no packaged Valv at " + JAR + ": the cluster ITs run after `package` (./mvnw verify)");
        }
        try {
            port = freePort();
            starts++;
            Path work = Files.createDirectories(LOGS.resolve(name + "-work")).toAbsolutePath();
            log = LOGS.resolve(name + "-" + starts + ".log").toAbsolutePath();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + maxHeap);
            command.addAll(systemProperties);
            command.add("-jar");
            command.add(JAR.toAbsolutePath().toString());
            // a working directory of its own: Quarkus reads ./.env and ./config/ from it in prod
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("VALV_") || k.equals("JAVA_TOOL_OPTIONS"));
            env.putAll(environment);
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            process = builder.start();
            LIVE.add(process);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails at once if the process exits. */
    ValvProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                .GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " during start-up:\n" + logTail(60));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Poll.pause(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + logTail(60));
    }

    /** Waits for the JVM to end by itself (a refused start); its exit code, or -1 if still running at the deadline. */
    int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no transaction completion, connections simply drop. */
    void kill9() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LIVE.remove(p);
    }

    /** SIGTERM and return at once: the shutdown runs while the test watches ({@link #awaitExit}). */
    void sigterm() {
        process.destroy();
    }

    /** SIGTERM, a graceful shutdown (falls back to SIGKILL after 30 s). */
    void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        LIVE.remove(p);
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            kill9();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The process's peak resident set so far ({@code VmHWM} in /proc), in KiB. */
    long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no VmHWM in /proc/" + process.pid() + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Every log this replica wrote so far, across restarts. */
    String allLogs() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            Path p = LOGS.resolve(name + "-" + i + ".log");
            try {
                if (Files.exists(p)) {
                    all.append(Files.readString(p, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + log + ")";
        }
    }

    Path log() {
        return log;
    }

    /** Kills every Valv process this JVM started and that is still running. */
    static void killAll() {
        for (Process p : LIVE) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.clear();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
