package io.valv.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.valv.testing.KeycloakResource;

/** Valv's public API on one replica, called over HTTP with real Keycloak tokens of the demo users. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final ValvProcess replica;

    Api(ValvProcess replica) {
        this.replica = replica;
    }

    HttpResponse<byte[]> send(String user, String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on " + replica.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A demo user's access token (password = user name), cached by {@link KeycloakResource}. Fetched one at a
     * time: Keycloak has answered concurrent password grants for one user with "Invalid user credentials".
     */
    static synchronized String token(String user) {
        return KeycloakResource.token(user);
    }

    HttpResponse<byte[]> get(String user, String path, String... headers) {
        return send(user, "GET", path, null, headers);
    }

    /** A JSON call that must answer {@code expectedStatus}; returns the parsed body. */
    JsonNode json(String user, String method, String path, Object body, int expectedStatus) {
        byte[] bytes;
        try {
            bytes = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<byte[]> response = bytes == null ? send(user, method, path, null)
                : send(user, method, path, bytes, "Content-Type", "application/json");
        return expect(response, expectedStatus, method + " " + path);
    }

    /** Uploads as a client uploader; returns the 201 body. */
    JsonNode upload(String user, String jobId, String filename, byte[] content) {
        HttpResponse<byte[]> response = send(user, "POST", "/api/v1/jobs/" + jobId + "/materials", content,
                "Content-Disposition", "attachment; filename=\"" + filename + "\"", "Valv-Personal-Data", "true",
                "Content-Type", "application/octet-stream");
        return expect(response, 201, "upload " + filename);
    }

    /** {@code GET /api/v1/audit/verify} as the auditor. */
    JsonNode verifyAudit() {
        return json("dora", "GET", "/api/v1/audit/verify", null, 200);
    }

    /**
     * The value of one Prometheus sample on {@code /q/metrics}, e.g. {@code valv_purges_total{outcome="done"}}; 0 if absent.
     */
    double metric(String name, String labels) {
        HttpResponse<byte[]> response = send(null, "GET", "/q/metrics", null);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\}\\s+(\\S+)").matcher(text);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    String replicaName() {
        return replica.name();
    }

    static JsonNode expect(HttpResponse<byte[]> response, int status, String what) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != status) {
            throw new AssertionError(what + ": expected " + status + ", got " + response.statusCode() + " " + body);
        }
        try {
            return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + body, e);
        }
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
