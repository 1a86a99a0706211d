package io.valv.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Static checks of the container image recipe (no Docker engine runs here): non-root, the four fast-jar
 * layers, OCI labels, an allow-list build context, and no weakening of the JVM's crypto configuration.
 */
class DockerfileTest {

    static final Path DOCKERFILE = Paths.get("src", "main", "docker", "Dockerfile.jvm");
    static final Path DOCKERIGNORE = Paths.get(".dockerignore");

    /** The fast-jar layers, least to most frequently changed. */
    private static final List<String> LAYERS = List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar",
            "target/quarkus-app/app/", "target/quarkus-app/quarkus/");

    @Test
    void runsAsNonRootUser185() throws IOException {
        List<String> users = instructions("USER");
        assertFalse(users.isEmpty(), "the image must set a USER");
        assertEquals("185", users.get(users.size() - 1), "the last USER decides who runs the JVM");
        assertTrue(instructions("EXPOSE").contains("8080"));
    }

    @Test
    void copiesTheFourFastJarLayersOwnedByTheRuntimeUser() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String copy : instructions("COPY")) {
            assertTrue(copy.startsWith("--chown=185 "), copy);
            sources.add(copy.split("\\s+")[1]);
        }
        assertEquals(LAYERS, sources);
        assertTrue(instructions("FROM").get(0).startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime:"),
                "Java 17 runtime image, matching maven.compiler.release");
    }

    @Test
    void neverWeakensTheCryptoPolicy() throws IOException {
        // Instructions only: the comments may explain what is deliberately left alone.
        String text = String.join("\n", Files.readAllLines(DOCKERFILE).stream()
                .filter(l -> !l.trim().startsWith("#")).toList()).toLowerCase(Locale.ROOT);
        for (String forbidden : List.of("java.security", "crypto-policies", "crypto.policy",
                "disablesystempropertiesfile", "disabledalgorithms", "securerandom.source", "security.provider")) {
            assertFalse(text.contains(forbidden), "Dockerfile.jvm must not touch " + forbidden);
        }
        String javaOpts = instructions("ENV").stream().filter(e -> e.startsWith("JAVA_OPTS_APPEND=")).findFirst()
                .orElseThrow();
        assertTrue(javaOpts.contains("-XX:MaxRAMPercentage=75"), javaOpts);
    }

    @Test
    void carriesOciLabels() throws IOException {
        String labels = String.join(" ", instructions("LABEL"));
        for (String label : List.of("title", "description", "version", "revision", "created", "vendor", "licenses")) {
            assertTrue(labels.contains("org.opencontainers.image." + label + "="), "missing OCI label " + label);
        }
    }

    @Test
    void buildContextIsAnAllowList() throws IOException {
        List<String> rules = Files.readAllLines(DOCKERIGNORE).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", rules.get(0), "everything is excluded first");
        for (String rule : rules.subList(1, rules.size())) {
            assertTrue(rule.startsWith("!target/quarkus-app/"), "only the fast-jar is let back in: " + rule);
        }
        for (String layer : LAYERS) {
            String path = layer.endsWith("/") ? layer.substring(0, layer.length() - 1) : layer;
            assertTrue(rules.contains("!" + path), layer + " must be re-included by .dockerignore");
        }
    }

    /** Arguments of every instruction of that kind, in order, with line continuations joined. */
    private static List<String> instructions(String keyword) throws IOException {
        String joined = Files.readString(DOCKERFILE).replaceAll("\\\\\\r?\\n", " ");
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*" + keyword + "\\s+(.+)$").matcher(joined);
        while (m.find()) {
            found.add(m.group(1).trim());
        }
        return found;
    }
}
