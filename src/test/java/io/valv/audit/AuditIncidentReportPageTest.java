package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.valv.audit.proof.AuditChain;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** The incident report as a page: the JSON's figures, every outside value escaped, no script. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditIncidentReportPageTest {

    static final String HOSTILE = "<script>alert(\"x\")&'<script>.wav";
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void theReportAsAPageHasTheJsonFiguresAndEscapesEverything() {
        Instant from = Instant.now().minusSeconds(1);
        World world = World.create();
        String id = given().auth().oauth2(Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename*=UTF-8''%3Cscript%3Ealert(%22x%22)%26%27%3Cscript%3E.wav")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(Uploads.randomBytes(900, 31))
                .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.staff("alice")).header("Range", "bytes=0-99").get("/api/v1/materials/" + id + "/content")
                .then().statusCode(206);
        given().auth().oauth2(Tokens.staff("alice")).header("Range", "bytes=100-299")
                .get("/api/v1/materials/" + id + "/content").then().statusCode(206);
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(200);
        given().auth().oauth2(Tokens.staff("sam")).get("/api/v1/materials/" + id + "/content").then().statusCode(403);
        String window = "?from=" + from + "&to=" + Instant.now().plusSeconds(5);

        // an API client's wildcard keeps JSON
        JsonPath json = given().auth().oauth2(Tokens.auditor()).accept("*/*").get("/api/v1/audit/incident-report" + window)
                .then().statusCode(200).contentType(startsWith("application/json")).extract().jsonPath();
        Map<String, Object> section = json.getList("clients", Map.class).stream()
                .filter(c -> world.client.equals(c.get("clientId"))).findFirst().orElseThrow();
        assertEquals(3, section.get("contentReads"));
        assertEquals(100 + 200 + 900, section.get("bytesRead"));
        @SuppressWarnings("unchecked")
        Map<String, Object> material = ((List<Map<String, Object>>) section.get("materials")).get(0);
        assertEquals(HOSTILE, material.get("filename"));

        Response page = given().auth().oauth2(Tokens.auditor()).accept(BROWSER_ACCEPT)
                .get("/api/v1/audit/incident-report" + window);
        page.then().statusCode(200).contentType(startsWith("text/html")).contentType(containsString("charset=utf-8"))
                .header("Content-Security-Policy", startsWith("default-src 'none'; style-src 'sha256-"))
                .header("Content-Security-Policy", not(containsString("unsafe")))
                .header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
        String html = page.asString();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertFalse(html.toLowerCase().contains("<script"), "no script element, the filename is text");
        assertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;&lt;script&gt;.wav"), html);

        // the client's section carries the JSON's figures
        int start = html.indexOf("(" + world.client + ")</h2>");
        assertTrue(start > 0, html);
        String mine = html.substring(start, html.indexOf("</section>", start));
        assertTrue(mine.contains("<tr><th>Content reads</th><td>" + section.get("contentReads") + "</td></tr>"), mine);
        assertTrue(mine.contains("<tr><th>Bytes read</th><td>" + section.get("bytesRead") + "</td></tr>"), mine);
        assertTrue(mine.contains("<tr><th>Refused attempts</th><td>" + section.get("deniedAttempts") + "</td></tr>"), mine);
        assertTrue(mine.contains("<tr><th>People involved</th><td>" + String.join(", ", (List<String>) section.get("actors"))
                + "</td></tr>"), mine);
        assertTrue(mine.contains("<td>DPA-" + world.client + "</td><td>voice recordings</td>"), mine);
        assertTrue(mine.contains("<tr><th>Material</th><td>" + id + "</td></tr>"), mine);
        assertTrue(mine.contains("<tr><th>Declared to contain personal data</th><td>yes</td></tr>"), mine);

        // the same rules as the JSON: auditor only, and bad input is a problem, not a page
        given().auth().oauth2(Tokens.clientAdmin(world.client)).accept(BROWSER_ACCEPT)
                .get("/api/v1/audit/incident-report" + window).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.auditor()).accept(BROWSER_ACCEPT)
                .get("/api/v1/audit/incident-report?from=" + from + "&to=" + from).then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/validation"));
    }

    @Test
    void everyOutsideValueOnThePageIsEscaped() {
        String evil = "<img src=x onerror=\"alert('x')\">&";
        String escaped = "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;";
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        var access = new IncidentReports.Access(at, evil, Actions.MATERIAL_CONTENT_READ, "ok", 10L, 1L);
        var material = new IncidentReports.MaterialAccess(UUID.randomUUID(), evil, UUID.randomUUID(), true, 1, 0, 10,
                List.of(access));
        var dpa = new IncidentReports.DpaRef(UUID.randomUUID(), evil, List.of(evil, "health"), false);
        var section = new IncidentReports.ClientSection("c-1", evil, List.of(dpa), 1, 10, 0, List.of(evil, "p-2"),
                List.of(material));
        String html = IncidentReportPage.render(new IncidentReports.IncidentReport(at, at.plusSeconds(60), at, true,
                List.of(section), 0));

        assertFalse(html.contains("<img"), html);
        // client name, person, DPA reference, data category, filename, reader
        assertEquals(6, html.split(java.util.regex.Pattern.quote(escaped), -1).length - 1, html);
        assertTrue(html.contains("<h2>" + escaped + " (c-1)</h2>"), html);
        assertTrue(html.contains("<tr><th>People involved</th><td>" + escaped + ", p-2</td></tr>"), html);
        assertTrue(html.contains("<td>" + escaped + "</td><td>" + escaped + ", health</td><td>no</td>"), html);
        assertTrue(html.contains("<h4>" + escaped + "</h4>"), html);
        assertTrue(html.contains("<td>" + AuditChain.time(at) + "</td><td>" + escaped + "</td>"), html);
        assertTrue(html.contains("<p class=\"warn\">Truncated"), html);
        // the one raw output is the fixed style sheet, the one the policy's hash allows
        int style = html.indexOf("<style>") + "<style>".length();
        String sheet = html.substring(style, html.indexOf("</style>"));
        assertTrue(IncidentReportPage.CONTENT_SECURITY_POLICY.contains("'sha256-" + java.util.Base64.getEncoder()
                .encodeToString(sha256(sheet)) + "'"), sheet);
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every field the report may lack, lacking: a refusal of a material that does not exist (no filename, job or
     * declaration), by no token (no actor), a DPA without the flag, a client without a name.
     */
    @Test
    void aReportWhoseEveryOptionalFieldIsMissingRenders() {
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        var refused = new IncidentReports.Access(at, null, Actions.ACCESS_DENIED, "denied", null, null);
        var missing = new IncidentReports.MaterialAccess(UUID.randomUUID(), null, null, null, 0, 0, 0, List.of(refused));
        var dpa = new IncidentReports.DpaRef(UUID.randomUUID(), null, List.of(), null);
        var section = new IncidentReports.ClientSection("c-2", null, List.of(dpa), 0, 0, 1, List.of(), List.of(missing));
        String html = IncidentReportPage.render(new IncidentReports.IncidentReport(at, at.plusSeconds(60), at, false,
                List.of(section), 7));
        assertTrue(html.contains("<h2>c-2 (c-2)</h2>"), html);
        assertTrue(html.contains("<th>Job</th><td>(unknown)</td>"), html);
        assertTrue(html.contains("<th>Declared to contain personal data</th><td>unknown</td>"), html);
        assertTrue(html.contains("<td>(no token)</td><td>access.denied</td><td>denied</td>"), html);
        assertTrue(html.contains("<th>Refused requests under no client</th><td>7</td>"), html);
    }
}
