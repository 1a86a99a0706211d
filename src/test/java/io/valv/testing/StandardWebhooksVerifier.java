package io.valv.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Verifies deliveries with the official Standard Webhooks library (npm {@code standardwebhooks}, see
 * src/test/node), run by Node: an implementation of the spec that is not Valv's. Installs it on first use
 * ({@code npm ci}, offline from the npm cache when it can; .ci/run installs it beforehand).
 */
public final class StandardWebhooksVerifier {

    private static final File DIR = new File("src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Message(String secret, Map<String, String> headers, String body) {
    }

    private StandardWebhooksVerifier() {
    }

    /** "ok" or "rejected: …" per message, as the library decides. */
    public static synchronized List<String> verify(List<Message> messages) throws IOException, InterruptedException {
        if (!new File(DIR, "node_modules/standardwebhooks").isDirectory()) {
            if (run(List.of("npm", "ci", "--offline", "--no-audit", "--no-fund"), null) != 0
                    && run(List.of("npm", "ci", "--no-audit", "--no-fund"), null) != 0) {
                throw new IllegalStateException("npm ci in src/test/node failed");
            }
        }
        Process p = new ProcessBuilder("node", "verify.js").directory(DIR).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().write(JSON.writeValueAsBytes(messages));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("node verify.js failed: " + out);
        }
        return JSON.readValue(out, new TypeReference<List<String>>() {
        });
    }

    private static int run(List<String> command, File dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(DIR).inheritIO().start();
        return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
