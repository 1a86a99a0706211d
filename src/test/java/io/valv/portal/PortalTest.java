package io.valv.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

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
 * The portal over HTTP: login, security headers, CSRF, escaping, and each page's rules. People sign in
 * through the portal tenant's real authorization-code flow against the OIDC test server (see
 * {@link PortalSession}); the real login page and media playback are covered by {@link PortalBrowserTest}.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class PortalTest {

    static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>.wav";

    @OidcWireMock
    WireMockServer oidc;

    @Test
    void pagesRequireLoginWhileTheApiKeepsBearerTokens() {
        given().redirects().follow(false).get("/portal").then().statusCode(302)
                .header("Location", containsString("/realms/quarkus"))
                .header("Location", containsString("client_id=quarkus-web-app"))
                .header("Location", containsString("%2Fportal%2Fcallback"))
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY");
        given().redirects().follow(false).get("/portal/jobs/6b1a1f34-4c3e-4f55-9c52-2f0e58f0a8a1").then().statusCode(302);
        given().redirects().follow(false).get("/portal/admin/clients").then().statusCode(302);
        given().redirects().follow(false).get("/portal/materials/6b1a1f34-4c3e-4f55-9c52-2f0e58f0a8a1/content")
                .then().statusCode(302);

        // the API never redirects to a login page and never hands out the portal's CSRF cookie
        given().get("/api/v1/jobs").then().statusCode(401);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs").then().statusCode(200)
                .header("Set-Cookie", nullValue());
    }

    @Test
    void theApiRefusesThePortalSessionCookie() {
        World world = World.create();
        PortalSession alice = signIn("alice", "staff");
        Map<String, String> session = new java.util.HashMap<>(alice.cookies());
        session.remove(PortalCsrf.COOKIE);
        assertTrue(session.keySet().stream().anyMatch(c -> c.startsWith("q_session_portal")), session.keySet().toString());
        alice.get("/portal").then().statusCode(200);

        // sent by hand to /api (a browser never would: Path=/portal), the cookie authenticates nobody there
        for (String path : java.util.List.of("/api/v1/jobs", "/api/v1/jobs/" + world.jobId)) {
            given().redirects().follow(false).cookies(session).get(path).then().statusCode(401)
                    .contentType("application/problem+json");
        }
        given().redirects().follow(false).cookies(session).contentType("application/x-www-form-urlencoded")
                .post("/api/v1/jobs/" + world.jobId + "/complete").then().statusCode(401)
                .contentType("application/problem+json");
        jobStatus(world).then().body("status", equalTo("open"));
    }

    @Test
    void securityHeadersOnPagesAssetsAndContent() {
        World world = World.create();
        String material = upload(world, "headers.wav", Wav.sine(1, 8000, 440));
        PortalSession alice = signIn("alice", "staff");
        for (Response r : new Response[] { alice.get("/portal"), alice.get("/portal/jobs/" + world.jobId),
                alice.get("/portal/assets/valv.css"), alice.get("/portal/assets/portal.js") }) {
            assertEquals(200, r.statusCode());
            assertEquals(PortalHttpFilter.CSP, r.header("Content-Security-Policy"));
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
            assertEquals("no-referrer", r.header("Referrer-Policy"));
            assertEquals("no-store", r.header("Cache-Control"));
            assertEquals("DENY", r.header("X-Frame-Options"));
        }
        Response content = alice.get("/portal/materials/" + material + "/content?inline=true");
        assertEquals(200, content.statusCode());
        assertEquals("no-store", content.header("Cache-Control"));
        assertEquals("nosniff", content.header("X-Content-Type-Options"));
        assertTrue(content.header("Content-Security-Policy").contains("sandbox"), "content keeps its own sandbox CSP");

        String page = alice.get("/portal/jobs/" + world.jobId).body().asString();
        assertFalse(page.contains("<script>") || page.contains(" style=") || page.contains("<style"),
                "no inline script or style");
        assertTrue(page.contains("<script src=\"/portal/assets/portal.js\" defer></script>"));
    }

    @Test
    void staffSeeTheirJobsPlayAndDownloadWithRanges() {
        World world = World.create();
        byte[] wav = Wav.sine(2, 8000, 440);
        String material = upload(world, "interview.wav", wav);
        PortalSession alice = signIn("alice", "staff");

        alice.get("/portal").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("My assigned jobs"))
                .body(containsString("href=\"/portal/jobs/" + world.jobId + "\""));
        String page = alice.get("/portal/jobs/" + world.jobId).then().statusCode(200)
                .body(containsString("<audio controls preload=\"metadata\" src=\"/portal/materials/" + material
                        + "/content?inline=true\"></audio>"))
                .body(containsString("href=\"/portal/materials/" + material + "/content\""))
                .body(containsString("action=\"/portal/jobs/" + world.jobId + "/complete\""))
                .body(containsString("action=\"/portal/jobs/" + world.jobId + "/attestation\"")).extract().asString();
        assertEquals(alice.csrfToken(), PortalSession.formToken(page), "the forms repeat the page's token");

        Response whole = alice.get("/portal/materials/" + material + "/content");
        assertEquals(200, whole.statusCode());
        assertArrayEquals(wav, whole.asByteArray());
        assertTrue(whole.header("Content-Disposition").startsWith("attachment;"));
        assertEquals("bytes", whole.header("Accept-Ranges"));
        String etag = whole.header("ETag");

        Response range = alice.request().header("Range", "bytes=100-199")
                .get("/portal/materials/" + material + "/content?inline=true");
        assertEquals(206, range.statusCode());
        assertEquals("bytes 100-199/" + wav.length, range.header("Content-Range"));
        assertEquals(etag, range.header("ETag"));
        assertTrue(range.header("Content-Disposition").startsWith("inline;"));
        assertArrayEquals(Arrays.copyOfRange(wav, 100, 200), range.asByteArray());
        alice.request().header("Range", "bytes=" + wav.length + "-").get("/portal/materials/" + material + "/content")
                .then().statusCode(416);
    }

    @Test
    void filenamesAreEscaped() {
        World world = World.create();
        upload(world, HOSTILE_NAME, Wav.sine(1, 8000, 440));
        String page = signIn("alice", "staff").get("/portal/jobs/" + world.jobId).then().statusCode(200)
                .extract().asString();
        assertFalse(page.contains("<img"), "markup from a filename never reaches the page");
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;.wav"), page);
    }

    @Test
    void unassignedStaffSeeNothingOfTheJob() {
        World world = World.create();
        String material = upload(world, "secret.wav", Wav.sine(1, 8000, 440));
        PortalSession sam = signIn("sam", "staff");
        sam.get("/portal").then().statusCode(200).body(not(containsString(world.jobId)));
        sam.get("/portal/jobs/" + world.jobId).then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("not assigned"));
        sam.get("/portal/materials/" + material + "/content").then().statusCode(403);
    }

    @Test
    void portalRefusalsAreAuditedLikeTheApis() {
        World world = World.create();
        String material = upload(world, "refused.wav", Wav.sine(1, 8000, 440));
        PortalSession sam = signIn("sam", "staff");
        String onJob = "t-" + java.util.UUID.randomUUID();
        sam.request().header("X-Request-Id", onJob).get("/portal/jobs/" + world.jobId).then().statusCode(403);
        String onContent = "t-" + java.util.UUID.randomUUID();
        sam.request().header("X-Request-Id", onContent).get("/portal/materials/" + material + "/content").then()
                .statusCode(403);

        var events = given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit?size=500&clientId=" + world.client).then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> job = events.getMap("items.find { it.requestId == '" + onJob + "' }");
        assertEquals("access.denied", job.get("action"));
        assertEquals("denied", job.get("outcome"));
        assertEquals("sam", job.get("actor"));
        assertEquals(world.jobId, job.get("jobId"));
        assertEquals("403 http-403 GET /portal/jobs/" + world.jobId, job.get("detail"));
        Map<String, Object> content = events.getMap("items.find { it.requestId == '" + onContent + "' }");
        assertEquals(material, content.get("materialId"));
        assertTrue(((String) content.get("detail")).startsWith("403 "), content.toString());
    }

    @Test
    void adminAndAuditorReadMetadataButNeverContent() {
        World world = World.create();
        String material = upload(world, "meta.wav", Wav.sine(1, 8000, 440));
        for (PortalSession session : new PortalSession[] { signIn("admin", "vault-admin"), signIn("dora", "auditor") }) {
            session.get("/portal").then().statusCode(200).body(containsString("All jobs"))
                    .body(containsString(world.jobId));
            session.get("/portal/jobs/" + world.jobId).then().statusCode(200).body(containsString("meta.wav"))
                    .body(not(containsString("<audio"))).body(not(containsString("/content\"")));
            session.get("/portal/materials/" + material + "/content").then().statusCode(403);
        }
    }

    @Test
    void clientRolesLandInTheirWorkspaceNotOnStaffPages() {
        World world = World.create();
        stubLogin("acme-admin", "client-admin");
        PortalSession session = PortalSession.signIn("valv-acme-admin");
        session.get("/portal").then().statusCode(303).header("Location", endsWithPath("/portal/workspace"));
        session.get("/portal/jobs/" + world.jobId).then().statusCode(403).contentType(containsString("text/html"));
        session.get("/portal/admin/clients").then().statusCode(403).contentType(containsString("text/html"));
    }

    @Test
    void formsRequireTheCsrfToken() {
        World world = World.create();
        PortalSession alice = signIn("alice", "staff");
        String complete = "/portal/jobs/" + world.jobId + "/complete";

        alice.request().contentType("application/x-www-form-urlencoded").formParam("confirm", "yes").post(complete)
                .then().statusCode(400);
        alice.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", "AAAAAAAAAAAAAAAAAAAAAA")
                .post(complete).then().statusCode(400);
        alice.request().contentType("application/json").body("{}").post(complete).then().statusCode(400);
        alice.request().contentType("text/plain").body("csrf-token=" + alice.csrfToken()).post(complete)
                .then().statusCode(400);
        alice.request().post(complete).then().statusCode(400);
        // a token without its cookie (another browser's page) is refused as well
        given().redirects().follow(false).cookies(withoutCsrfCookie(alice))
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", alice.csrfToken())
                .post(complete).then().statusCode(400);
        // the cookie is not the token: an attacker who plants a cookie and a field of the same value gets nowhere
        String planted = "AAAAAAAAAAAAAAAAAAAAAA";
        Map<String, String> withPlanted = withoutCsrfCookie(alice);
        withPlanted.put(PortalCsrf.COOKIE, planted);
        given().redirects().follow(false).cookies(withPlanted).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", planted).post(complete).then().statusCode(400);
        given().redirects().follow(false).cookies(withoutCsrfCookie(alice))
                .cookie(PortalCsrf.COOKIE, alice.cookies().get(PortalCsrf.COOKIE))
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", alice.cookies().get(PortalCsrf.COOKIE))
                .post(complete).then().statusCode(400);
        // nor with a valid pair of their own session: the token is bound to the session it was issued in
        PortalSession sam = signIn("sam", "staff");
        Map<String, String> samsPairInAlicesSession = withoutCsrfCookie(alice);
        samsPairInAlicesSession.put(PortalCsrf.COOKIE, sam.cookies().get(PortalCsrf.COOKIE));
        given().redirects().follow(false).cookies(samsPairInAlicesSession).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", sam.csrfToken()).post(complete).then().statusCode(400);
        jobStatus(world).then().body("status", equalTo("open"));

        alice.submit(complete, Map.of()).then().statusCode(303)
                .header("Location", endsWithPath("/portal/jobs/" + world.jobId));
        jobStatus(world).then().body("status", equalTo("completed"));
    }

    @Test
    void formsFromAnotherSiteAreRefusedEvenWithAValidToken() {
        World world = World.create();
        PortalSession alice = signIn("alice", "staff");
        String complete = "/portal/jobs/" + world.jobId + "/complete";
        String token = alice.csrfToken();
        String own = "http://localhost:" + io.restassured.RestAssured.port;

        for (String origin : java.util.List.of("https://evil.example", "null", own + ".evil.example",
                "http://localhost:1")) {
            alice.request().header("Origin", origin).contentType("application/x-www-form-urlencoded")
                    .formParam("csrf-token", token).post(complete).then().statusCode(403);
        }
        for (String site : java.util.List.of("cross-site", "same-site", "none")) {
            alice.request().header("Sec-Fetch-Site", site).header("Origin", own)
                    .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token).post(complete)
                    .then().statusCode(403);
        }
        jobStatus(world).then().body("status", equalTo("open"));

        // a same-origin fetch with a foreign Origin cannot come from a browser
        alice.request().header("Origin", "https://evil.example").header("Sec-Fetch-Site", "same-origin")
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token).post(complete)
                .then().statusCode(403);
        jobStatus(world).then().body("status", equalTo("open"));

        // what a browser sends for the portal's own form (Origin: null under Referrer-Policy: no-referrer)
        alice.request().header("Origin", "null").header("Sec-Fetch-Site", "same-origin")
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token).post(complete)
                .then().statusCode(303);
        jobStatus(world).then().body("status", equalTo("completed"));
    }

    @Test
    void attestThenCompleteThenContentIsGone() {
        World world = World.create();
        String material = upload(world, "done.wav", Wav.sine(1, 8000, 440));
        PortalSession alice = signIn("alice", "staff");
        String job = "/portal/jobs/" + world.jobId;

        alice.submit(job + "/attestation", Map.of()).then().statusCode(303);
        alice.get(job).then().statusCode(200).body(containsString("You attested on"))
                .body(not(containsString("id=\"attest\"")));
        alice.submit(job + "/complete", Map.of()).then().statusCode(303);
        alice.get(job).then().statusCode(200).body(containsString("id=\"job-status\">completed<"))
                .body(not(containsString("<audio"))).body(not(containsString("id=\"complete\"")));
        alice.get("/portal/materials/" + material + "/content").then().statusCode(403);
        // completing again is harmless; attesting after completion is still recorded once
        alice.submit(job + "/complete", Map.of()).then().statusCode(303);
        alice.submit(job + "/attestation", Map.of()).then().statusCode(303);
    }

    @Test
    void adminManagesClientsJobsAndAssignments() {
        World world = World.create();
        PortalSession admin = signIn("admin", "vault-admin");
        String id = "p-" + world.client.substring(2);

        admin.get("/portal/admin/clients").then().statusCode(200).body(containsString(world.client));
        admin.submit("/portal/admin/clients", Map.of("id", id, "name", "Portal <Client> AB", "orgNumber", "556677-8899",
                "contact", "dpo@portal.example")).then().statusCode(303)
                .header("Location", endsWithPath("/portal/admin/clients"));
        admin.get("/portal/admin/clients").then().statusCode(200).body(containsString(id))
                .body(containsString("Portal &lt;Client&gt; AB"));
        admin.submit("/portal/admin/clients", Map.of("id", id, "name", "Again")).then().statusCode(409)
                .body(containsString("already exists")).body(containsString("value=\"Again\""));
        admin.submit("/portal/admin/clients", Map.of("id", "Not A Slug", "name", "X")).then().statusCode(400)
                .body(containsString("lowercase slug"));

        admin.submit("/portal/admin/jobs", Map.of("clientId", world.client, "title", "Focus groups",
                "reuseRequested", "true")).then().statusCode(303);
        // the new client has no DPA yet: the service's refusal is shown on the form
        admin.submit("/portal/admin/jobs", Map.of("clientId", id, "title", "Too early")).then().statusCode(409);
        String page = admin.get("/portal/admin/jobs").then().statusCode(200).body(containsString("Focus groups"))
                .extract().asString();
        String newJob = given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs").then().statusCode(200).extract()
                .jsonPath().getString("find { it.title == 'Focus groups' && it.clientId == '" + world.client + "' }.id");
        assertTrue(page.contains("/portal/admin/jobs/" + newJob + "/assignments"));

        admin.submit("/portal/admin/jobs/" + newJob + "/assignments", Map.of("staff", "sam")).then().statusCode(303);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs/" + newJob).then().statusCode(200)
                .body("staff", hasItem("sam")).body("reuseRequested", equalTo(true));
        signIn("sam", "staff").get("/portal").then().statusCode(200).body(containsString(newJob));

        signIn("alice", "staff").get("/portal/admin/clients").then().statusCode(403);
    }

    @Test
    void signOutEndsTheSessionAtTheProvider() {
        long signInsBefore = auditEvents("portal.sign-in", "alice");
        long signOutsBefore = auditEvents("portal.sign-out", "alice");
        PortalSession alice = signIn("alice", "staff");
        awaitAuditEvents("portal.sign-in", "alice", signInsBefore + 1);
        Map<String, String> copy = new java.util.HashMap<>(alice.cookies());
        given().redirects().follow(false).cookies(copy).get("/portal").then().statusCode(200);
        Response out = alice.get("/portal/logout");
        assertEquals(302, out.statusCode());
        assertTrue(out.header("Location").contains("/protocol/openid-connect/end-session"), out.header("Location"));
        assertTrue(
                out.header("Location").contains("post_logout_redirect_uri=")
                        && out.header("Location").contains("%2Fportal%2Fsigned-out"),
                out.header("Location"));
        assertFalse(alice.cookies().keySet().stream().anyMatch(c -> c.startsWith("q_session")), "session cookie cleared");
        alice.get("/portal").then().statusCode(302);
        // a copy of the cookie taken before the sign-out is worth nothing now (it would have lived on until
        // its ID token expired), however often it is replayed: 401, its provider session has ended
        for (int replay = 0; replay < 2; replay++) {
            given().redirects().follow(false).cookies(copy).get("/portal").then().statusCode(401)
                    .body(not(containsString("My assigned jobs")));
        }
        // and another session of the same user is not affected
        signIn("alice", "staff").get("/portal").then().statusCode(200);
        given().get("/portal/signed-out").then().statusCode(200).body(containsString("Signed out"));
        awaitAuditEvents("portal.sign-out", "alice", signOutsBefore + 1);
    }

    @Test
    void pagesSpeakTheBrowsersLanguageAndRememberTheSwitch() {
        given().header("Accept-Language", "sv-SE,sv;q=0.9,en;q=0.5").get("/portal/signed-out").then().statusCode(200)
                .body(containsString("<html lang=\"sv\">"), containsString("Hoppa till innehållet"));
        given().header("Accept-Language", "en-GB").get("/portal/signed-out").then().statusCode(200)
                .body(containsString("<html lang=\"en\">"), containsString("Skip to content"));
        var switched = given().header("Accept-Language", "en-GB").queryParam("lang", "sv").get("/portal/signed-out");
        switched.then().statusCode(200).body(containsString("<html lang=\"sv\">"));
        assertEquals("sv", switched.cookie("valv-lang"));
        given().cookie("valv-lang", "sv").header("Accept-Language", "en-GB").get("/portal/signed-out").then()
                .body(containsString("<html lang=\"sv\">"));
        given().cookie("valv-lang", "<b>").queryParam("lang", "xx").get("/portal/signed-out").then()
                .body(containsString("<html lang=\"en\">"));
    }

    @Test
    void staffPagesSpeakSwedish() {
        World world = World.create();
        upload(world, "intervju.wav", Wav.sine(1, 8000, 440));
        PortalSession alice = signIn("alice", "staff");
        alice.request().header("Accept-Language", "sv-SE,sv;q=0.9").get("/portal").then().statusCode(200)
                .body(containsString("<html lang=\"sv\">"), containsString("Mina tilldelade uppdrag"),
                        containsString("<th>Skapat</th>"), containsString("öppet"));
        String job = "/portal/jobs/" + world.jobId;
        alice.request().header("Accept-Language", "sv").get(job).then().statusCode(200)
                .body(containsString("id=\"job-status\">öppet<"), containsString(">Ladda ner<"),
                        containsString("Anteckningar"), containsString("Kortkommandon"), containsString("Spela"),
                        containsString("Markera uppdraget som avslutat"), containsString("Jag har raderat mina lokala kopior"),
                        not(containsString(">Download<")), not(containsString("When you are done")));
        alice.request().header("Accept-Language", "en").get(job).then().statusCode(200)
                .body(containsString(">Download<"), containsString("Notes"), containsString("Keyboard shortcuts"));
        given().header("Accept-Language", "sv").get("/portal/signed-out").then().statusCode(200)
                .body(containsString("<h1>Utloggad</h1>"), containsString(">Logga in<"));
        given().header("Accept-Language", "sv").get("/portal/session-expired").then().statusCode(200)
                .body(containsString("Sessionen har gått ut"));
        // a refusal: the heading in Swedish, then the service's own detail
        signIn("sam", "staff").request().header("Accept-Language", "sv").get(job).then().statusCode(403)
                .body(containsString("<h1>Åtkomst nekad</h1>"), containsString("not assigned"),
                        containsString("Tillbaka till portalen"));
    }

    @Test
    void theViewerShowsImagesUnderTheWatermarkToAssignedStaffOfAnOpenJobOnly() throws Exception {
        World world = World.create();
        String image = upload(world, "scan.png", png(), "image/png");
        String audio = upload(world, "talk.wav", Wav.sine(1, 8000, 440));
        PortalSession alice = signIn("alice", "staff");
        alice.get("/portal/jobs/" + world.jobId).then().statusCode(200)
                .body(containsString("href=\"/portal/materials/" + image + "/view\""))
                .body(not(containsString("/portal/materials/" + audio + "/view")))
                .body(containsString("class=\"watermark\""));

        Response view = alice.get("/portal/materials/" + image + "/view");
        assertEquals(200, view.statusCode());
        assertEquals(PortalHttpFilter.CSP, view.header("Content-Security-Policy"));
        assertEquals("DENY", view.header("X-Frame-Options"));
        String page = view.body().asString();
        assertTrue(page.contains("<img src=\"/portal/materials/" + image + "/content\" alt=\"scan.png\">"), page);
        assertTrue(page.contains("data-watermark=\"alice · "), "the watermark names the viewer");
        assertFalse(page.contains("<script>") || page.contains(" style=") || page.contains("<style"));
        Response content = alice.get("/portal/materials/" + image + "/content");
        assertEquals(200, content.statusCode());
        assertEquals("image/png", content.contentType());
        assertTrue(content.header("Content-Disposition").startsWith("attachment;"), "the content path is unchanged");
        alice.get("/portal/materials/" + audio + "/view").then().statusCode(200)
                .body(containsString("cannot be shown in the browser"), not(containsString("<img src")));

        // the same rules as content: assigned staff only, never the admin or the DPO, nobody anonymous
        signIn("sam", "staff").get("/portal/materials/" + image + "/view").then().statusCode(403)
                .contentType(containsString("text/html"));
        signIn("admin", "vault-admin").get("/portal/materials/" + image + "/view").then().statusCode(403);
        signIn("dora", "auditor").get("/portal/materials/" + image + "/view").then().statusCode(403);
        given().redirects().follow(false).get("/portal/materials/" + image + "/view").then().statusCode(302);
        given().redirects().follow(false).get("/portal/materials/" + java.util.UUID.randomUUID() + "/view")
                .then().statusCode(302);
        alice.get("/portal/materials/" + java.util.UUID.randomUUID() + "/view").then().statusCode(404);

        // and once the job is complete, nobody
        alice.submit("/portal/jobs/" + world.jobId + "/complete", Map.of()).then().statusCode(303);
        alice.get("/portal/materials/" + image + "/view").then().statusCode(org.hamcrest.Matchers.oneOf(403, 404, 410));
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** A small real PNG. */
    private static byte[] png() throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xff0000);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static long auditEvents(String action, String subject) {
        return Database.count("select count(*) from audit_event where action = ? and actor_subject = ?", action, subject);
    }

    /** Sign-in and sign-out are recorded by an asynchronous observer: wait for the row, within a deadline. */
    private static void awaitAuditEvents(String action, String subject, long expected) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (auditEvents(action, subject) < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertEquals(expected, auditEvents(action, subject), action + " of " + subject + " is in the access log");
    }

    /** The test server's token endpoint answers code {@code valv-<user>} with that user's tokens. */
    void stubLogin(String user, String... roles) {
        PortalSession.stubLogin(oidc, user, null, roles);
    }

    PortalSession signIn(String user, String... roles) {
        stubLogin(user, roles);
        return PortalSession.signIn("valv-" + user);
    }

    /** Signs in a user the portal turns away: the flow completes, the page answers with the refusal. */
    Response signInResponse(String user, String... roles) {
        stubLogin(user, roles);
        PortalSession session = new PortalSession();
        Response challenge = session.get("/portal");
        String location = challenge.header("Location");
        String state = location.replaceAll(".*[?&]state=([^&]+).*", "$1");
        Response back = session.get("/portal/callback?state=" + state + "&code=valv-" + user);
        assertEquals(302, back.statusCode());
        return session.get(java.net.URI.create(back.header("Location")).getPath());
    }

    static String upload(World world, String filename, byte[] data) {
        return upload(world, filename, data, "audio/wav");
    }

    static String upload(World world, String filename, byte[] data, String mediaType) {
        return given().auth().oauth2(Tokens.uploader(world.client))
                .header("Content-Disposition", "attachment; filename*=UTF-8''"
                        + java.net.URLEncoder.encode(filename, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
                .header("Valv-Personal-Data", "true").contentType(mediaType).body(data)
                .post("/api/v1/jobs/" + world.jobId + "/materials").then().statusCode(201).extract().path("id");
    }

    static Response jobStatus(World world) {
        return given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs/" + world.jobId);
    }

    private static Map<String, String> withoutCsrfCookie(PortalSession session) {
        Map<String, String> cookies = new java.util.HashMap<>(session.cookies());
        cookies.remove(PortalCsrf.COOKIE);
        return cookies;
    }

    private static org.hamcrest.Matcher<String> endsWithPath(String path) {
        return org.hamcrest.Matchers.endsWith(path);
    }
}
