package io.valv.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tools some tests run as a user would (pdfsig, openssl, unzip, sha256sum, python3, node, the
 * browser): one way to run them, and, where one is missing, a failure that names the command installing it
 * instead of an IOException. {@code scripts/test} installs them all on Debian or Ubuntu.
 */
public final class Tools {

    /** The Debian package of each tool a test runs. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(Map.entry("pdfsig", "poppler-utils"),
            Map.entry("pdftotext", "poppler-utils"), Map.entry("unzip", "unzip"), Map.entry("openssl", "openssl"),
            Map.entry("sha256sum", "coreutils"), Map.entry("python3", "python3"), Map.entry("bash", "bash"),
            Map.entry("node", "nodejs"), Map.entry("npm", "npm"), Map.entry("chromium", "chromium"),
            Map.entry("chromedriver", "chromium-driver"), Map.entry("rclone", "rclone"));
    private static final long TIMEOUT_SECONDS = 120;

    private Tools() {
    }

    /** {@code stdout} alone, and {@code output}: stdout followed by stderr. */
    public record Result(int exit, String stdout, String output) {
    }

    /** Runs {@code command} in {@code dir} and waits for it (at most two minutes). */
    public static Result run(Path dir, String... command) {
        require(command[0]);
        try {
            Path stderr = Files.createTempFile("valv-tool-", ".err");
            try {
                Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                return new Result(p.exitValue(), out, out + Files.readString(stderr));
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The tool's path ({@code tool} a name looked up on PATH, or a path); fails naming how to install it. */
    public static Path require(String tool) {
        if (tool.contains("/")) {
            Path path = Path.of(tool);
            if (!Files.isExecutable(path)) {
                throw missing(tool, path.getFileName().toString());
            }
            return path;
        }
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw missing(tool, tool);
    }

    private static AssertionError missing(String tool, String name) {
        String pkg = PACKAGES.getOrDefault(name, name);
        return new AssertionError(tool + " is not installed, and this test runs it. Install it with `scripts/test`"
                + " (which installs everything the tests need) or `sudo apt-get install -y " + pkg + "`.");
    }
}
