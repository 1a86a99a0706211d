package io.valv.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * Sends a catalogue of hostile inputs (the classes an outside attack found: a long quoted filename, NUL
 * and other control characters, matrix parameters, oversize ids, URLs and headers, bad JSON, wrong
 * content types, conflicting digests, an oversize Content-Length) to every /api operation the running
 * service publishes in its OpenAPI document, each with a token of a role that may call it (from
 * docs/authorization.md), and asserts: no 5xx; every 4xx is problem+json with a stable type; nothing in
 * the domain tables changed; no audit event was filed under a client other than the caller's own (or the
 * fixture's, for processor roles), and no audit chain exists for a client that does not.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class HostileInputTest {

    /** Every domain table; the audit tables are checked separately (refusals are audit events). */
    static final List<String> DOMAIN_TABLES = List.of("client", "sub_processor", "sub_processor_change", "dpa",
            "dpa_sub_processor", "job", "job_assignment", "material", "material_key", "deletion_certificate",
            "local_copy_attestation");

    static final String LONG_NAME = "a".repeat(3000) + ".wav";

    @TestHTTPResource("/")
    URL base;

    record Operation(String method, String path, boolean takesBody) {

        String key() {
            return method + " " + path;
        }
    }

    /** One hostile input: how it alters a request, and to which operations it applies. */
    record Input(String name, Applies applies, UnaryOperator<Request> alter) {
    }

    enum Applies {
        /** path or size attacks: every operation must refuse them */
        ALL,
        /** an oversize id: operations with a path parameter must refuse it */
        WITH_ID,
        /** body attacks: operations that take a JSON body must refuse them; the others ignore bodies */
        JSON_BODY,
        /** upload header attacks */
        UPLOAD,
        /** header noise an operation may ignore: sent to reads only (a write could legitimately succeed) */
        READS
    }

    /** A request being built: path, headers and body. */
    record Request(String method, String path, Map<String, List<String>> headers, String contentType, byte[] body) {

        Request path(String p) {
            return new Request(method, p, headers, contentType, body);
        }

        Request header(String name, String value) {
            Map<String, List<String>> h = new LinkedHashMap<>(headers);
            h.computeIfAbsent(name, n -> new ArrayList<>());
            h.put(name, new ArrayList<>(h.get(name)));
            h.get(name).add(value);
            return new Request(method, path, h, contentType, body);
        }

        Request replaceHeader(String name, String value) {
            Map<String, List<String>> h = new LinkedHashMap<>(headers);
            h.put(name, List.of(value));
            return new Request(method, path, h, contentType, body);
        }

        Request body(String type, String text) {
            return new Request(method, path, headers, type, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static List<Input> catalogue() {
        List<Input> inputs = new ArrayList<>();
        // the request target
        inputs.add(new Input("NUL in a path segment", Applies.ALL, r -> r.path(lastSegment(r.path(), "x%00y"))));
        inputs.add(new Input("NUL appended to an id", Applies.ALL, r -> r.path(appendToId(r.path(), "%00"))));
        inputs.add(new Input("control character in a path", Applies.ALL, r -> r.path(appendToId(r.path(), "%01"))));
        inputs.add(new Input("DEL in a path", Applies.ALL, r -> r.path(appendToId(r.path(), "%7F"))));
        inputs.add(new Input("NUL in the query", Applies.ALL, r -> r.path(withQuery(r.path(), "clientId=a%00b"))));
        inputs.add(new Input("matrix parameter on an id", Applies.ALL, r -> r.path(appendToId(r.path(), ";"))));
        inputs.add(new Input("matrix parameter with value", Applies.ALL, r -> r.path(appendToId(r.path(), ";x=1"))));
        // (a malformed percent escape, %zz, is refused by Vert.x while it decodes the request line, before any
        // handler: 400 with an empty body; docs/security.md lists it as a residual)
        inputs.add(new Input("oversize id (200)", Applies.WITH_ID, r -> r.path(replaceId(r.path(), "a".repeat(200)))));
        inputs.add(new Input("oversize id (70)", Applies.WITH_ID, r -> r.path(replaceId(r.path(), "a".repeat(70)))));
        inputs.add(new Input("5 KB URL", Applies.ALL, r -> r.path(withQuery(r.path(), "pad=" + "a".repeat(5000)))));
        inputs.add(new Input("10 KB header", Applies.ALL, r -> r.header("X-Pad", "a".repeat(10_000))));
        inputs.add(new Input("20 KB of headers", Applies.ALL, r -> {
            Request out = r;
            for (int i = 0; i < 5; i++) {
                out = out.header("X-Pad-" + i, "a".repeat(4000));
            }
            return out;
        }));
        // bodies
        for (String body : List.of("", "null", "true", "[]", "\"alice\"", "42", "{", "{}x", "{\"a\":1,\"a\":2}",
                "{\"title\":[],\"staff\":{},\"id\":7,\"name\":true}", "{\"unknown\":1}", "[".repeat(5000),
                "{\"staff\":\"a\\u0000b\",\"title\":\"a\\u0000b\",\"name\":\"a\\u0000b\",\"id\":\"a\\u0000b\"}")) {
            inputs.add(new Input("JSON body " + abbreviate(body), Applies.JSON_BODY, r -> r.body("application/json", body)));
        }
        inputs.add(new Input("duplicate keys in a valid body", Applies.JSON_BODY, r -> r.body("application/json",
                duplicateFirstKey(new String(r.body(), StandardCharsets.UTF_8)))));
        inputs.add(new Input("body in an encoding Jackson cannot read (UCS-4 2143)", Applies.JSON_BODY,
                r -> new Request(r.method(), r.path(), r.headers(), "application/json", new byte[] { 0, 0, 6, 0 })));
        inputs.add(new Input("text/plain body", Applies.JSON_BODY, r -> r.body("text/plain", "alice")));
        inputs.add(new Input("valid JSON as text/plain", Applies.JSON_BODY,
                r -> r.body("text/plain", new String(r.body(), StandardCharsets.UTF_8))));
        inputs.add(new Input("form body", Applies.JSON_BODY, r -> r.body("application/x-www-form-urlencoded", "staff=a")));
        // upload headers
        inputs.add(new Input("2,000+ character quoted filename", Applies.UPLOAD,
                r -> r.replaceHeader("Content-Disposition", "attachment; filename=\"" + LONG_NAME + "\"")));
        inputs.add(new Input("quoted filename of escapes", Applies.UPLOAD,
                r -> r.replaceHeader("Content-Disposition", "attachment; filename=\"" + "\\a".repeat(1500) + "\"")));
        inputs.add(new Input("unterminated quoted filename", Applies.UPLOAD,
                r -> r.replaceHeader("Content-Disposition", "attachment; filename=\"abc")));
        inputs.add(new Input("filename twice", Applies.UPLOAD,
                r -> r.replaceHeader("Content-Disposition", "attachment; filename=a.wav; filename=b.wav")));
        inputs.add(new Input("two Content-Disposition lines", Applies.UPLOAD,
                r -> r.header("Content-Disposition", "attachment; filename=other.wav")));
        inputs.add(new Input("conflicting sha-256 digests", Applies.UPLOAD, r -> r.header("Content-Digest",
                "sha-256=:" + b64(new byte[32]) + ":, sha-256=:" + b64(filled(32, 1)) + ":")));
        inputs.add(new Input("conflicting Content-Digest lines", Applies.UPLOAD, r -> r
                .header("Content-Digest", "sha-256=:" + b64(new byte[32]) + ":")
                .header("Content-Digest", "sha-256=:" + b64(filled(32, 1)) + ":")));
        inputs.add(new Input("oversize Content-Digest", Applies.UPLOAD,
                r -> r.header("Content-Digest", "sha-512=:" + "A".repeat(3000) + ":")));
        inputs.add(new Input("personal data twice", Applies.UPLOAD, r -> r.header("Valv-Personal-Data", "true")));
        inputs.add(new Input("personal data NUL", Applies.UPLOAD, r -> r.replaceHeader("Valv-Personal-Data", "tr\u0001ue")));
        inputs.add(new Input("oversize media type", Applies.UPLOAD,
                r -> new Request(r.method(), r.path(), r.headers(), "audio/" + "x".repeat(300), r.body())));
        // header noise on reads
        inputs.add(new Input("oversize Range", Applies.READS, r -> r.header("Range", "bytes=" + "0-1,".repeat(500) + "0-1")));
        inputs.add(new Input("overflowing Range", Applies.READS, r -> r.header("Range", "bytes=99999999999999999999-")));
        inputs.add(new Input("long quoted filename on a read", Applies.READS,
                r -> r.header("Content-Disposition", "attachment; filename=\"" + LONG_NAME + "\"")));
        // a clientId query on the audit reads: oversize (was a 503) and unknown (was a chain for a ghost client)
        inputs.add(new Input("oversize clientId query", Applies.READS,
                r -> r.path(r.path().replaceAll("clientId=[^&]*", "clientId=" + "a".repeat(70)))));
        inputs.add(new Input("unknown clientId query", Applies.READS,
                r -> r.path(r.path().replaceAll("clientId=[^&]*", "clientId=no-such-client"))));
        inputs.add(new Input("bad Accept", Applies.READS, r -> r.header("Accept", "application/x-nothing")));
        return inputs;
    }

    @Test
    void everyOperationRefusesEveryHostileInputCleanly() throws Exception {
        World world = World.create();
        String material = given().auth().oauth2(Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename=m.wav").header("Valv-Personal-Data", "true")
                .contentType("audio/wav").body(new byte[64]).post("/api/v1/jobs/" + world.jobId + "/materials")
                .then().statusCode(201).extract().path("id");
        Map<String, String> callers = callersFromMatrix();
        List<Operation> operations = operations();
        assertTrue(operations.size() >= 30, "the OpenAPI document lists the API: " + operations.size());

        Map<String, String> before = fingerprints();
        long auditBefore = Database.count("select coalesce(max(seq), 0) from audit_event");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Operation op : operations) {
            String caller = callers.getOrDefault(op.method() + " " + normalise(op.path()), "admin");
            for (Input input : catalogue()) {
                if (!applies(input.applies(), op)) {
                    continue;
                }
                Request request = input.alter().apply(valid(op, world, material));
                sent++;
                Answer answer = send(request, token(caller, world.client));
                String where = op.key() + " as " + caller + " with " + input.name() + ": ";
                if (answer.status() >= 500) {
                    failures.add(where + answer.status() + " " + abbreviate(answer.body()));
                } else if (answer.status() >= 400 && !isProblem(answer)) {
                    failures.add(where + answer.status() + " without problem+json (" + answer.contentType() + ")");
                } else if (input.applies() != Applies.READS && answer.status() < 400) {
                    failures.add(where + "accepted with " + answer.status());
                }
            }
        }
        // the oversize Content-Length, over a raw socket (a client library will not send a lie). One that does
        // not fit 64 bits is refused by Netty's decoder before any handler (400, empty body): docs/security.md
        for (Operation op : operations) {
            Request request = valid(op, world, material);
            sent++;
            Answer answer = rawWithContentLength(request, token(callers.getOrDefault(op.method() + " "
                    + normalise(op.path()), "admin"), world.client), "9223372036854775807");
            if (answer.status() != 413 || !isProblem(answer)) {
                failures.add(op.key() + " with an oversize Content-Length: " + answer.status() + " " + answer.contentType());
            }
        }
        assertEquals(List.of(), failures, sent + " requests");
        assertEquals(before, fingerprints(), "no domain table changed");
        // Valv's own background work meanwhile (another test's webhook retries, purges) is not a request's doing
        long foreign = Database.count("select count(*) from audit_event where seq > ? and client_id is not null"
                + " and client_id <> ? and actor_subject <> 'valv:system'", auditBefore, world.client);
        assertEquals(0, foreign, "audit events filed under a client other than the fixture's");
        long ownedByClientRoles = Database.count("select count(*) from audit_event where seq > ? and actor_client"
                + " is not null and client_id is not null and client_id <> actor_client", auditBefore);
        assertEquals(0, ownedByClientRoles, "a client caller's refusal filed under another client");
        assertEquals(List.of(), Database.strings("select e.action || ' ' || e.client_id from audit_event e"
                + " where e.seq > ? and e.client_id is not null and not exists (select 1 from client c where c.id"
                + " = e.client_id)", auditBefore), "audit events for a client that does not exist");
        assertEquals(0, Database.count("select count(*) from audit_client_head h where not exists"
                + " (select 1 from client c where c.id = h.client_id)"), "an audit chain for a client that does not exist");
        System.out.printf("Hostile input: %d operations, %d inputs, %d requests, 0 failures%n", operations.size(),
                catalogue().size() + 1, sent);
    }

    /** The edge refusals that need no operation: unknown paths, wrong methods, and the Vert.x-level sizes. */
    @Test
    void httpLayerRefusalsAreProblems() throws IOException {
        String admin = Tokens.admin();
        assertProblem(given().auth().oauth2(admin).get("/api/v1/nothing-here"), 404, "not-found");
        assertProblem(given().auth().oauth2(admin).get("/api/v2/clients"), 404, "not-found");
        assertProblem(given().auth().oauth2(admin).get("/api"), 404, "not-found");
        assertProblem(given().auth().oauth2(admin).put("/api/v1/clients"), 405, "method-not-allowed");
        assertProblem(given().auth().oauth2(admin).accept("image/png").get("/api/v1/clients"), 406, "not-acceptable");
        assertProblem(given().auth().oauth2(admin).contentType("text/plain").body("acme")
                .post("/api/v1/clients"), 415, "unsupported-media-type");
        assertProblem(given().auth().oauth2(admin).urlEncodingEnabled(false).get("/api/v1/clients/acme;"), 400,
                "invalid-request-target");
        assertProblem(given().auth().oauth2(admin).urlEncodingEnabled(false).get("/api/v1/clients/a%00"), 400,
                "invalid-request-target");
        assertProblem(given().get("/api/v1/clients?x=" + "a".repeat(5000)), 414, "uri-too-long");
        assertProblem(given().header("X-Pad", "a".repeat(10_000)).get("/api/v1/clients"), 431, "headers-too-large");
        Answer length = rawWithContentLength(new Request("POST", "/api/v1/clients", Map.of(), "application/json",
                new byte[0]), admin, "99999999999");
        assertEquals(413, length.status(), length.body());
        assertTrue(isProblem(length), length.contentType());
        Answer notANumber = rawWithContentLength(new Request("POST", "/api/v1/clients", Map.of(), "application/json",
                new byte[0]), admin, "12a");
        assertTrue(notANumber.status() == 400, notANumber.status() + " " + notANumber.body());
    }

    @Test
    void jsonRefusalsSayWhatWasWrongWithoutEchoingIt() {
        String admin = Tokens.admin();
        Response duplicate = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"id\":\"dup-a\",\"id\":\"dup-b\",\"name\":\"n\"}").post("/api/v1/clients");
        assertProblem(duplicate, 400, "invalid-json");
        assertEquals("The body names a key twice.", duplicate.jsonPath().getString("detail"));
        Response unknown = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"id\":\"unk-a\",\"name\":\"n\",\"<script>\":1}").post("/api/v1/clients");
        assertProblem(unknown, 400, "invalid-json");
        assertTrue(!unknown.asString().contains("script"), unknown.asString());
        assertProblem(given().auth().oauth2(admin).contentType("application/json").body("").post("/api/v1/clients"), 400,
                "validation");
        assertEquals(0, Database.count("select count(*) from client where id like 'dup-%' or id like 'unk-%'"));
    }

    // --- building requests ----------------------------------------------------------------------------

    private static boolean applies(Applies applies, Operation op) {
        boolean upload = op.method().equals("POST") && op.path().endsWith("/materials");
        return switch (applies) {
            case ALL -> true;
            case WITH_ID -> op.path().contains("{");
            case JSON_BODY -> op.takesBody() && !upload;
            case UPLOAD -> upload;
            case READS -> op.method().equals("GET");
        };
    }

    /** The valid request of each operation, with the fixture's ids; the hostile input then alters it. */
    private static Request valid(Operation op, World world, String material) {
        String path = op.path().replace("{clientId}", world.client).replace("{dpaId}", world.dpaId)
                .replace("{jobId}", world.jobId).replaceAll("\\{[^}]*}", material);
        if (path.startsWith("/api/v1/audit") && !path.contains("?")) {
            path = path + "?clientId=" + world.client;
        }
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Request r = new Request(op.method(), path, Map.of(), null, new byte[0]);
        String body = switch (op.method() + " " + op.path()) {
            case "POST /api/v1/clients" -> "{\"id\":\"h-" + unique + "\",\"name\":\"H\"}";
            case "POST /api/v1/clients/{clientId}/dpas" -> "{\"reference\":\"R\",\"version\":\"2\","
                    + "\"effectiveFrom\":\"2026-01-01\",\"retentionDays\":30,\"permittedSubProcessors\":[\""
                    + World.STORAGE + "\"]}";
            case "POST /api/v1/subprocessors" -> "{\"name\":\"P " + unique + "\",\"purpose\":\"p\",\"country\":\"SE\","
                    + "\"transferMechanism\":\"none\"}";
            case "POST /api/v1/jobs" -> "{\"clientId\":\"" + world.client + "\",\"title\":\"t\",\"reuseRequested\":false}";
            case "POST /api/v1/jobs/{jobId}/assignments" -> "{\"staff\":\"bob\"}";
            case "POST /api/v1/certificates" -> "{\"scope\":\"job\",\"jobId\":\"" + world.jobId + "\"}";
            // the body is optional there; the hostile variants alter this one
            case "POST /api/v1/clients/{clientId}/offboard", "POST /api/v1/clients/{clientId}/dpas/{dpaId}/terminate" ->
                "{\"waitDays\":7}";
            default -> null;
        };
        if (body != null) {
            return r.body("application/json", body);
        }
        if (op.method().equals("POST") && op.path().endsWith("/materials")) {
            return r.header("Content-Disposition", "attachment; filename=x.wav").header("Valv-Personal-Data", "false")
                    .body("audio/wav", "0123456789abcdef");
        }
        return r;
    }

    /** The path with its last path parameter value (or last segment) replaced. */
    static String lastSegment(String path, String value) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String query = path.substring(bare.length());
        int slash = bare.lastIndexOf('/');
        return bare.substring(0, slash + 1) + value + query;
    }

    /** Appends to the first id-like segment after /api/v1/x/ (or to the last segment). */
    static String appendToId(String path, String suffix) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String query = path.substring(bare.length());
        String[] segments = bare.split("/");
        int target = segments.length > 4 ? 4 : segments.length - 1;
        segments[target] = segments[target] + suffix;
        return String.join("/", segments) + query;
    }

    static String replaceId(String path, String id) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String query = path.substring(bare.length());
        String[] segments = bare.split("/");
        segments[4] = id;
        return String.join("/", segments) + query;
    }

    static String withQuery(String path, String query) {
        return path + (path.contains("?") ? "&" : "?") + query;
    }

    /** {"a":1,...} -> {"a":1,"a":1,...}: otherwise valid, with its first key twice. */
    static String duplicateFirstKey(String json) {
        if (!json.startsWith("{")) {
            return "{\"a\":1,\"a\":1}";
        }
        int comma = json.indexOf(",\"");
        String first = json.substring(1, comma < 0 ? json.length() - 1 : comma);
        return "{" + first + "," + json.substring(1);
    }

    // --- sending ------------------------------------------------------------------------------------

    record Answer(int status, String contentType, String body) {
    }

    private static Answer send(Request r, String token) {
        RequestSpecification spec = given().urlEncodingEnabled(false).auth().oauth2(token);
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            for (String value : h.getValue()) {
                spec = spec.header(h.getKey(), value);
            }
        }
        if (r.contentType() != null) {
            // RestAssured encodes a form from a String only, and audio/* from bytes only
            spec = r.contentType().startsWith("application/x-www-form-urlencoded")
                    ? spec.contentType(r.contentType()).body(new String(r.body(), StandardCharsets.UTF_8))
                    : spec.contentType(r.contentType()).body(r.body());
        }
        Response response = spec.request(r.method(), r.path());
        return new Answer(response.statusCode(), response.contentType(), response.asString());
    }

    /** A request whose Content-Length promises more than it sends: the answer must come before the body. */
    private Answer rawWithContentLength(Request r, String token, String length) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(r.method() + " " + r.path() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Length: " + length + "\r\n");
            r.headers().forEach((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
            if (r.contentType() != null) {
                head.append("Content-Type: ").append(r.contentType()).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(r.body());
            out.flush();
            return readAnswer(socket.getInputStream());
        }
    }

    private static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        try {
            while ((n = in.read(chunk)) > 0) {
                buffer.write(chunk, 0, n);
                String text = buffer.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0) {
                    int cl = text.toLowerCase(Locale.ROOT).indexOf("content-length:");
                    if (cl > 0 && cl < end) {
                        int len = Integer.parseInt(text.substring(cl + 15, text.indexOf("\r\n", cl)).trim());
                        if (text.length() >= end + 4 + len) {
                            break;
                        }
                    }
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            // answered without a length: what arrived is the answer
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return new Answer(-1, null, "no answer");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int end = text.indexOf("\r\n\r\n");
        String contentType = null;
        for (String line : text.substring(0, Math.max(end, 0)).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                contentType = line.substring(13).trim();
            }
        }
        return new Answer(status, contentType, end < 0 ? "" : text.substring(end + 4));
    }

    private static boolean isProblem(Answer a) {
        return a.contentType() != null && a.contentType().startsWith(Problem.MEDIA_TYPE)
                && a.body().contains("\"type\":\"" + ProblemException.TYPE_BASE);
    }

    private static void assertProblem(Response response, int status, String type) {
        assertEquals(status, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith(Problem.MEDIA_TYPE), response.contentType());
        assertEquals(ProblemException.TYPE_BASE + type, response.jsonPath().getString("type"));
    }

    // --- the service's operations and who may call them ----------------------------------------------

    private static List<Operation> operations() {
        Map<String, Map<String, Map<String, Object>>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        List<Operation> operations = new ArrayList<>();
        new TreeMap<>(paths).forEach((path, ops) -> {
            if (path.startsWith("/api/")) {
                ops.forEach((method, spec) -> {
                    if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                        operations.add(new Operation(method.toUpperCase(Locale.ROOT), path, spec.containsKey("requestBody")));
                    }
                });
            }
        });
        return operations;
    }

    /** For each operation (normalised), the first of admin, dpo, staff+, cadm, up that the matrix lets in. */
    private static Map<String, String> callersFromMatrix() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/authorization.md"));
        int start = lines.indexOf("<!-- matrix:start -->");
        int end = lines.indexOf("<!-- matrix:end -->");
        List<String> header = cells(lines.get(start + 1));
        Map<String, String> callers = new TreeMap<>();
        for (String line : lines.subList(start + 3, end)) {
            List<String> cells = cells(line);
            String[] endpoint = cells.get(0).replace("`", "").split(" ", 2);
            for (String caller : List.of("admin", "dpo", "staff+", "cadm", "up")) {
                int status = Integer.parseInt(cells.get(header.indexOf(caller)));
                if (status < 400 || status == 409) {
                    callers.putIfAbsent(endpoint[0] + " " + normalise(endpoint[1]), caller);
                }
            }
        }
        return callers;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.trim().split("\\|")) {
            if (!cell.isBlank()) {
                cells.add(cell.trim());
            }
        }
        return cells;
    }

    private static String normalise(String path) {
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).replaceAll("\\{[^}]+}", "{}");
    }

    private static String token(String caller, String client) {
        return switch (caller) {
            case "dpo" -> Tokens.auditor();
            case "staff+" -> Tokens.staff("alice");
            case "cadm" -> Tokens.clientAdmin(client);
            case "up" -> Tokens.uploader(client);
            default -> Tokens.admin();
        };
    }

    // --- state ---------------------------------------------------------------------------------------

    /** An md5 of every row of every domain table: any insert, update or delete changes it. */
    private static Map<String, String> fingerprints() throws SQLException {
        Map<String, String> prints = new TreeMap<>();
        try (Connection c = Database.connect(); Statement s = c.createStatement()) {
            for (String table : DOMAIN_TABLES) {
                try (ResultSet r = s.executeQuery("select count(*) || ':' || md5(coalesce(string_agg(t::text, '|'"
                        + " order by t::text), '')) from " + table + " t")) {
                    r.next();
                    prints.put(table, r.getString(1));
                }
            }
        }
        return prints;
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }

    private static String b64(byte[] bytes) {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
