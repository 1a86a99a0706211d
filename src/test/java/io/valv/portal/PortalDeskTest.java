package io.valv.portal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.World;

/**
 * The DPO's desk and the admin's registers over HTTP: who reaches which page, CSRF on every form, escaping
 * of the outside world's text, refused input shown again with nothing changed, and the end-of-contract
 * confirmations. The real login page, Chromium and axe-core are {@link PortalDeskBrowserTest}'s.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class PortalDeskTest {

    static final String HOSTILE = "<script>alert(1)</script>";
    static final String ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
    private static final String SOME = "6b1a1f34-4c3e-4f55-9c52-2f0e58f0a8a1";

    @OidcWireMock
    WireMockServer oidc;

    /** Every page of the desk, and who may read it: auditor-only, admin-only, or both. */
    static List<String> dpoPages(World w) {
        return List.of("/portal/audit", "/portal/audit/events/1", "/portal/audit/verify", "/portal/audit/incident-report",
                "/portal/audit/incident-report/view?from=2026-01-01T00:00&to=2026-01-02T00:00");
    }

    static List<String> adminPages(World w) {
        return List.of("/portal/admin/clients/" + w.client + "/dpas", "/portal/admin/clients/" + w.client + "/dpas/"
                + w.dpaId + "/terminate", "/portal/admin/clients/" + w.client + "/offboard", "/portal/admin/subprocessors");
    }

    static List<String> forms(World w) {
        String dpas = "/portal/admin/clients/" + w.client + "/dpas";
        return List.of(dpas, dpas + "/" + w.dpaId + "/activate", dpas + "/" + w.dpaId + "/terminate",
                dpas + "/" + w.dpaId + "/terminate/cancel", "/portal/admin/clients/" + w.client + "/offboard",
                "/portal/admin/clients/" + w.client + "/offboard/cancel", "/portal/admin/subprocessors");
    }

    @Test
    void nobodyWithoutTheRoleReachesADeskPage() {
        World world = World.create();
        List<String> record = List.of("/portal/record-of-processing", "/portal/record-of-processing/json",
                "/portal/record-of-processing/csv");
        for (String page : concat(dpoPages(world), adminPages(world), record)) {
            given().redirects().follow(false).get(page).then().statusCode(302)
                    .header("Location", containsString("/realms/quarkus"));
        }
        PortalSession admin = signIn("admin", "vault-admin");
        PortalSession dora = signIn("dora", "auditor");
        PortalSession alice = signIn("alice", "staff");
        PortalSession clientAdmin = session("acme-admin", world.client, "client-admin");
        PortalSession uploader = session("acme-upload", world.client, "client-uploader");
        for (String page : dpoPages(world)) {
            for (PortalSession refused : List.of(admin, alice, clientAdmin, uploader)) {
                refused.get(page).then().statusCode(403).contentType(containsString("text/html"));
            }
        }
        for (String page : adminPages(world)) {
            for (PortalSession refused : List.of(dora, alice, clientAdmin, uploader)) {
                refused.get(page).then().statusCode(403).contentType(containsString("text/html"));
            }
            admin.get(page).then().statusCode(200);
        }
        for (String page : record) {
            for (PortalSession refused : List.of(alice, clientAdmin, uploader)) {
                refused.get(page).then().statusCode(403);
            }
            admin.get(page).then().statusCode(200);
            dora.get(page).then().statusCode(200);
        }
        // what the API answers as problem+json, a page answers as a page (web.ProblemMapper asks the portal)
        dora.get("/portal/audit/events/not-a-number").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("<h1>Not found</h1>"));
        dora.get("/portal/audit").then().statusCode(200).body(containsString("href=\"/portal/audit/verify\""))
                .body(not(containsString("href=\"/portal/admin/subprocessors\"")));
        admin.get("/portal/admin/clients").then().statusCode(200).body(containsString("href=\"/portal/admin/subprocessors\""))
                .body(not(containsString("href=\"/portal/audit\"")));
        // the forms are the admin's too: another role's valid token changes nothing
        for (String form : forms(world)) {
            dora.submit(form, Map.of("waitDays", "0", "reason", "test")).then().statusCode(403);
        }
        assertEquals("active", dpa(world, "status"));
        assertNull(dpa(world, "scheduledFor"));
    }

    @Test
    void csrfIsRequiredOnEveryForm() {
        World world = World.create();
        PortalSession admin = signIn("admin", "vault-admin");
        for (String form : forms(world)) {
            admin.request().contentType("application/x-www-form-urlencoded").formParam("waitDays", "0")
                    .formParam("reason", "test").post(form).then().statusCode(400);
            admin.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", "AAAAAAAAAAAAAAAAAAAAAA")
                    .formParam("waitDays", "0").formParam("reason", "test").post(form).then().statusCode(400);
        }
        assertEquals("active", dpa(world, "status"));
        assertNull(dpa(world, "scheduledFor"));
        given().auth().oauth2(Tokens.admin()).get("/api/v1/clients/" + world.client).then().body("scheduledFor", nullValue());
    }

    @Test
    void theDpoFindsAStaffReadInTheLogAndVerifiesIt() {
        World world = World.create();
        String material = PortalTest.upload(world, "interview.wav", Wav.sine(1, 8000, 440));
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + material + "/content").then()
                .statusCode(200);
        PortalSession dora = signIn("dora", "auditor");
        long listsBefore = Database
                .count("select count(*) from audit_event where action = 'audit.list' and actor_subject = 'dora'");

        String page = dora.get("/portal/audit?materialId=" + material + "&action=material.content.read&outcome=ok")
                .then().statusCode(200).body(containsString("Events found: 1")).body(containsString("alice"))
                .extract().asString();
        String seq = page.replaceAll("(?s).*href=\"/portal/audit/events/(\\d+)\".*", "$1");
        dora.get("/portal/audit/events/" + seq).then().statusCode(200).body(containsString(material))
                .body(containsString("material.content.read")).body(containsString("alice"));
        dora.get("/portal/audit?clientId=" + world.client + "&actor=alice").then().statusCode(200)
                .body(containsString("material.content.read"));
        // searches and event pages are reads of the log, recorded as the API records them
        assertTrue(Database.count(
                "select count(*) from audit_event where action = 'audit.list' and actor_subject = 'dora'") >= listsBefore + 3);

        dora.get("/portal/audit/verify").then().statusCode(200).body(not(containsString("id=\"verify-result\"")));
        dora.get("/portal/audit/verify?run=true").then().statusCode(200).body(containsString("id=\"verify-result\""))
                .body(containsString("id=\"verification\""));
        dora.get("/portal/audit/events/999999999999").then().statusCode(404).contentType(containsString("text/html"));
        dora.get("/portal/audit?lang=sv").then().statusCode(200).body(containsString("<html lang=\"sv\">"))
                .body(containsString("Åtkomstlogg"));
    }

    @Test
    void aBadSearchIsShownAgainEscaped() {
        PortalSession dora = signIn("dora", "auditor");
        dora.get("/portal/audit?materialId=not-a-uuid").then().statusCode(400).body(containsString("materialId is not valid"))
                .body(containsString("value=\"not-a-uuid\""));
        dora.request().queryParam("actor", HOSTILE).queryParam("clientId", HOSTILE).get("/portal/audit").then()
                .statusCode(400).body(containsString(ESCAPED)).body(not(containsString(HOSTILE)));
        dora.request().queryParam("from", "yesterday").get("/portal/audit").then().statusCode(400)
                .body(containsString("from is not a valid time"));
        dora.get("/portal/audit?page=-1").then().statusCode(400);
        // paging is bounded and newest first: page 2 links back to page 1
        dora.get("/portal/audit?page=1").then().statusCode(200).body(containsString("rel=\"prev\""));
    }

    @Test
    void theIncidentReportComesFromItsForm() {
        World world = World.create();
        PortalTest.upload(world, "report.wav", Wav.sine(1, 8000, 440));
        PortalSession dora = signIn("dora", "auditor");
        dora.get("/portal/audit/incident-report").then().statusCode(200).body(containsString(world.client));
        String from = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES).toString().replace("Z", "");
        String to = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES).toString().replace("Z", "");
        Response report = dora.request().queryParam("from", from).queryParam("to", to).queryParam("client", world.client)
                .get("/portal/audit/incident-report/view");
        report.then().statusCode(200).header("Content-Security-Policy", startsWith("default-src 'none'"))
                .body(containsString(world.client)).body(not(containsString("<script")));
        dora.request().queryParam("from", to).queryParam("to", from).get("/portal/audit/incident-report/view").then()
                .statusCode(400).body(containsString("to must be after from")).body(containsString("id=\"report-form\""));
        dora.request().queryParam("from", from).get("/portal/audit/incident-report/view").then().statusCode(400)
                .body(containsString("to is required"));
    }

    @Test
    void theDpoSendsAnIncidentNoticeOnlyAfterReadingItBack() {
        World world = World.create();
        PortalSession dora = signIn("dora", "auditor");
        String detected = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES).toString().replace("Z", "");
        Map<String, String> notice = new java.util.HashMap<>(
                Map.of("detectedAt", detected, "nature", HOSTILE + " laptop stolen",
                        "dataSubjectCategories", "interviewees", "approximateDataSubjects", "12", "recordCategories",
                        "voice recordings",
                        "approximateRecords", "", "likelyConsequences", "identification", "measures", "remote wipe",
                        "contactPoint", "dpo@agency.example", "client", world.client));
        // the incident report's "notify" button arrives with the report's clients ticked
        dora.get("/portal/incidents?client=" + world.client).then().statusCode(200)
                .body(containsString("value=\"" + world.client + "\" checked"));

        dora.submit("/portal/incidents/review", notice).then().statusCode(200).body(containsString("id=\"send\""))
                .body(containsString(ESCAPED + " laptop stolen")).body(not(containsString(HOSTILE)))
                .body(containsString("<li>" + world.client + "</li>"));
        assertEquals(0, noticesOf(world).size(), "the read-back sends nothing");
        dora.submit("/portal/incidents/edit", notice).then().statusCode(200).body(containsString("id=\"new-incident\""))
                .body(containsString(">" + ESCAPED + " laptop stolen</textarea>"));

        Map<String, String> future = new java.util.HashMap<>(notice);
        future.put("detectedAt",
                Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES).toString().replace("Z", ""));
        dora.submit("/portal/incidents/review", future).then().statusCode(400).body(containsString("in the future"));
        Map<String, String> blank = new java.util.HashMap<>(notice);
        blank.put("measures", " ");
        dora.submit("/portal/incidents/review", blank).then().statusCode(400).body(containsString("measures"))
                .body(containsString("id=\"new-incident\""));
        Map<String, String> unknown = new java.util.HashMap<>(notice);
        unknown.put("client", "no-such-client-" + UUID.randomUUID());
        dora.submit("/portal/incidents", unknown).then().statusCode(400).body(containsString("No client has the id"));
        signIn("alice", "staff").submit("/portal/incidents", notice).then().statusCode(403);
        dora.request().contentType("application/x-www-form-urlencoded").formParams(notice).post("/portal/incidents").then()
                .statusCode(400);
        assertEquals(0, noticesOf(world).size(), "a refused notice sends nothing");

        Response sent = dora.submit("/portal/incidents", notice);
        sent.then().statusCode(303).header("Location", containsString("/portal/incidents?sent="));
        String id = sent.header("Location").replaceAll(".*sent=", "");
        dora.get("/portal/incidents?sent=" + id).then().statusCode(200).body(containsString("id=\"incident-sent\""))
                .body(containsString("id=\"incident-" + id + "\""));
        List<Map<String, Object>> told = noticesOf(world);
        assertEquals(1, told.size());
        assertEquals(id, told.get(0).get("id"));
        assertEquals(HOSTILE + " laptop stolen", told.get(0).get("nature"));
        assertEquals(0, ((Number) told.get(0).get("approximateRecords")).intValue(), "an empty estimate is sent as 0");
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?clientId=" + world.client + "&action=incident.notify")
                .then().statusCode(200).body("total", equalTo(1));
        dora.get("/portal/incidents?lang=sv").then().statusCode(200).body(containsString("Incidentanmälningar"));
    }

    private static List<Map<String, Object>> noticesOf(World world) {
        return given().auth().oauth2(Tokens.clientAdmin(world.client)).get("/api/v1/incidents").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    @Test
    void theRecordOfProcessingIsAPageAndTwoDownloads() {
        World world = World.create();
        PortalSession admin = signIn("admin", "vault-admin");
        admin.submit("/portal/admin/clients/" + world.client + "/dpas", dpaForm("=HYPERLINK(\"x\")", "30")).then()
                .statusCode(303);
        admin.get("/portal/record-of-processing").then().statusCode(200).body(containsString("DPA-" + world.client));
        Response json = admin.get("/portal/record-of-processing/json");
        json.then().statusCode(200).contentType(containsString("application/json"))
                .header("Content-Disposition", containsString("record-of-processing.json"));
        assertTrue(json.jsonPath().getList("controllers.clientId").contains(world.client));
        String csv = admin.get("/portal/record-of-processing/csv").then().statusCode(200)
                .contentType(containsString("text/csv")).header("Content-Disposition", containsString(".csv"))
                .extract().asString();
        assertTrue(csv.startsWith("\"client_id\",\"client_name\""), csv);
        assertTrue(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "a formula is defused and quotes doubled");
    }

    @Test
    void theAdminTerminatesADpaAfterSeeingWhatWillBeDestroyed() {
        World world = World.create();
        String material = PortalTest.upload(world, "doomed.wav", Wav.sine(1, 8000, 440));
        PortalSession admin = signIn("admin", "vault-admin");
        String dpas = "/portal/admin/clients/" + world.client + "/dpas";

        // a draft with a hostile reference is shown escaped, then activated
        admin.submit(dpas, dpaForm(HOSTILE, "30")).then().statusCode(303).header("Location", endsWith(dpas));
        String list = admin.get(dpas).then().statusCode(200).body(containsString(ESCAPED)).body(not(containsString(HOSTILE)))
                .extract().asString();
        String draft = dpaIds(world).stream().filter(id -> !id.equals(world.dpaId)).findFirst().orElseThrow();
        assertTrue(list.contains(dpas + "/" + draft + "/activate"));
        admin.submit(dpas + "/" + draft + "/activate", Map.of()).then().statusCode(303);
        assertEquals("active", given().auth().oauth2(Tokens.admin()).get("/api/v1/clients/" + world.client + "/dpas")
                .jsonPath().getString("find { it.id == '" + draft + "' }.status"));

        // bad input: the form again with the reason, and no DPA more
        int before = dpaIds(world).size();
        admin.submit(dpas, dpaForm("DPA-2", "999")).then().statusCode(400).body(containsString("retentionDays"))
                .body(containsString("value=\"DPA-2\""));
        admin.submit(dpas, Map.of("reference", "DPA-3", "version", "1", "effectiveFrom", "01/02/2026", "retentionDays", "30"))
                .then().statusCode(400).body(containsString("effectiveFrom is not a valid date"));
        admin.submit(dpas, Map.of("reference", "DPA-4", "version", "1", "effectiveFrom", "2026-01-01",
                "retentionDays", "30", "subProcessor", "Nobody " + UUID.randomUUID())).then().statusCode(400)
                .body(containsString("no entry named"));
        assertEquals(before, dpaIds(world).size());

        // the confirmation states the jobs, the materials and the date before anything is scheduled
        String confirm = dpas + "/" + world.dpaId + "/terminate";
        admin.get(confirm).then().statusCode(200).body(containsString("Interviews"))
                .body(containsString("Stored materials: 1, in jobs: 1")).body(containsString("id=\"doomed-when\""));
        assertNull(dpa(world, "scheduledFor"));
        admin.get(confirm + "?waitDays=0").then().statusCode(400).body(containsString("needs a reason"))
                .body(not(containsString("id=\"confirm\"")));
        admin.get(confirm + "?waitDays=abc").then().statusCode(400).body(containsString("waitDays is not valid"));
        admin.submit(confirm, Map.of("waitDays", "0")).then().statusCode(400).body(containsString("needs a reason"));
        assertNull(dpa(world, "scheduledFor"));
        assertEquals("active", dpa(world, "status"));

        // scheduled with the default wait, shown with a cancel button, cancelled
        admin.submit(confirm, Map.of("waitDays", "", "reason", "")).then().statusCode(303);
        assertNotNull(dpa(world, "scheduledFor"));
        admin.get(dpas).then().statusCode(200).body(containsString("Termination scheduled for"))
                .body(containsString(dpas + "/" + world.dpaId + "/terminate/cancel"));
        // scheduled once: the confirmation offers nothing more to schedule
        admin.get(confirm).then().statusCode(200).body(containsString("id=\"not-schedulable\""))
                .body(not(containsString("id=\"confirm\"")));
        admin.submit(dpas + "/" + world.dpaId + "/terminate/cancel", Map.of()).then().statusCode(303);
        assertNull(dpa(world, "scheduledFor"));
        assertEquals("active", dpa(world, "status"));

        // at once, with a reason: terminated, and its material goes
        admin.submit(confirm, Map.of("waitDays", "0", "reason", "client asked in writing")).then().statusCode(303);
        assertEquals("terminated", dpa(world, "status"));
        assertEquals(0, Database.count("select count(*) from material where id = ?::uuid and state = 'STORED'", material));
    }

    @Test
    void offboardingIsConfirmedAndCanBeCancelled() {
        World world = World.create();
        PortalTest.upload(world, "client.wav", Wav.sine(1, 8000, 440));
        PortalSession admin = signIn("admin", "vault-admin");
        String offboard = "/portal/admin/clients/" + world.client + "/offboard";
        admin.get("/portal/admin/clients").then().statusCode(200).body(containsString(offboard));
        admin.get(offboard).then().statusCode(200).body(containsString("Interviews"))
                .body(containsString("Stored materials: 1, in jobs: 1")).body(containsString("client key is destroyed"));
        admin.submit(offboard, Map.of("waitDays", "", "reason", "")).then().statusCode(303)
                .header("Location", containsString("/portal/admin/clients"));
        admin.get("/portal/admin/clients").then().statusCode(200).body(containsString("offboard-scheduled-" + world.client))
                .body(containsString(offboard + "/cancel"));
        admin.submit(offboard + "/cancel", Map.of()).then().statusCode(303);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/clients/" + world.client).then().body("scheduledFor", nullValue())
                .body("status", equalTo("active"));
        admin.get("/portal/admin/clients/no-such-client/offboard").then().statusCode(404);
    }

    @Test
    void theSubProcessorRegisterAnnouncesChanges() {
        PortalSession admin = signIn("admin", "vault-admin");
        String name = HOSTILE + " " + UUID.randomUUID();
        admin.submit("/portal/admin/subprocessors", Map.of("name", name, "purpose", "Transcription", "country", "SE",
                "transferMechanism", "none (EU)", "effectiveFrom", "2027-01-01")).then().statusCode(303);
        admin.get("/portal/admin/subprocessors").then().statusCode(200).body(containsString(ESCAPED))
                .body(not(containsString(HOSTILE))).body(containsString("2027-01-01"));
        long count = given().auth().oauth2(Tokens.admin()).get("/api/v1/subprocessors").jsonPath().getList("id").size();
        admin.submit("/portal/admin/subprocessors", Map.of("name", "Elsewhere", "purpose", "Hosting", "country", "sweden",
                "transferMechanism", "SCC")).then().statusCode(400).body(containsString("ISO 3166-1"))
                .body(containsString("value=\"sweden\""));
        admin.submit("/portal/admin/subprocessors", Map.of("name", name, "purpose", "Again", "country", "SE",
                "transferMechanism", "SCC")).then().statusCode(409).body(containsString("already exists"));
        assertEquals(count, given().auth().oauth2(Tokens.admin()).get("/api/v1/subprocessors").jsonPath().getList("id").size());
        admin.get("/portal/admin/subprocessors?lang=sv").then().statusCode(200).body(containsString("Underbiträden"));

        // a client's objection to the change appears beside it, with its reason escaped
        World world = World.create();
        String change = given().auth().oauth2(Tokens.admin()).get("/api/v1/subprocessors/changes").then().statusCode(200)
                .extract().jsonPath().getString("find { it.subProcessor == '" + name.replace("'", "\\'") + "' }.id");
        assertNotNull(change);
        admin.get("/portal/admin/subprocessors").then().body(containsString("id=\"change-" + change + "\""))
                .body(not(containsString("<strong>" + world.client + "</strong>")));
        given().auth().oauth2(Tokens.clientAdmin(world.client)).contentType("application/json")
                .body(Map.of("reason", "Not outside the EU " + HOSTILE))
                .post("/api/v1/clients/" + world.client + "/subprocessor-changes/" + change + "/objection").then()
                .statusCode(201);
        String page = admin.get("/portal/admin/subprocessors").then().statusCode(200).extract().asString();
        String row = page.substring(page.indexOf("id=\"change-" + change + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertTrue(row.contains("<strong>" + world.client + "</strong>") && row.contains("Not outside the EU " + ESCAPED), row);
        assertTrue(!page.contains(HOSTILE), "the objection's reason is escaped");
    }

    @Test
    void theTranslatedAdminPagesSpeakSwedish() {
        PortalSession admin = signIn("admin", "vault-admin");
        admin.get("/portal/admin/clients?lang=sv").then().statusCode(200).body(containsString("Ny kund"))
                .body(containsString("Skapa kund"));
        admin.get("/portal/admin/jobs").then().statusCode(200).body(containsString("Nytt uppdrag"));
        admin.get("/portal/admin/jobs?lang=en").then().statusCode(200).body(containsString("New job"));
        signIn("alice", "staff").get("/portal/admin/jobs?lang=sv").then().statusCode(403)
                .body(containsString("personuppgiftsbiträdets administratör"));
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static Map<String, String> dpaForm(String reference, String retentionDays) {
        return Map.of("reference", reference, "version", "2", "effectiveFrom", "2026-01-01", "personalDataAllowed", "true",
                "dataCategories", "voice recordings, names", "retentionDays", retentionDays, "subProcessor", World.STORAGE);
    }

    /** A field of the world's DPA as the API shows it. */
    private static Object dpa(World world, String field) {
        return given().auth().oauth2(Tokens.admin()).get("/api/v1/clients/" + world.client + "/dpas").then().statusCode(200)
                .extract().jsonPath().get("find { it.id == '" + world.dpaId + "' }." + field);
    }

    private static List<String> dpaIds(World world) {
        return given().auth().oauth2(Tokens.admin()).get("/api/v1/clients/" + world.client + "/dpas").then()
                .statusCode(200).extract().jsonPath().getList("id");
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    void stubLogin(String user, String client, String... roles) {
        String access = Tokens.claims(user, client, roles).sign();
        String id = Tokens.claims(user, client, roles).audience("quarkus-web-app")
                .claim("sid", UUID.randomUUID().toString()).sign();
        oidc.stubFor(post(urlEqualTo("/auth/realms/quarkus/token")).atPriority(1)
                .withRequestBody(containing("code=valv-" + user + "&"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"access_token\":\""
                        + access + "\",\"id_token\":\"" + id + "\",\"refresh_token\":\"r-" + user
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":600}")));
    }

    PortalSession signIn(String user, String... roles) {
        stubLogin(user, null, roles);
        return PortalSession.signIn("valv-" + user);
    }

    /** A signed-in session for someone the portal's home turns away (client roles): the flow completes all the same. */
    PortalSession session(String user, String client, String... roles) {
        stubLogin(user, client, roles);
        PortalSession session = new PortalSession();
        String location = session.get("/portal").header("Location");
        String state = location.replaceAll(".*[?&]state=([^&]+).*", "$1");
        Response back = session.get("/portal/callback?state=" + state + "&code=valv-" + user);
        assertEquals(302, back.statusCode());
        return session;
    }
}
