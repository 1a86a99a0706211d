package io.valv.workspace;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.valv.testing.Browser;
import io.valv.testing.DemoClient;
import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tools;

/**
 * The client workspace as a client's people use it: real headless Chromium, the real Keycloak login page, a
 * ~30 MB file uploaded through the page with tus-js-client, broken off by a page reload mid-way and resumed to
 * completion; the client admin erases it through the confirmation page and downloads the certificate PDF, which
 * poppler's {@code pdfsig} validates; another client's admin sees none of it; axe-core on every page.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@WithTestResource(S3ProxyResource.class)
class WorkspaceBrowserTest {

    /** A little over three and a half 8 MiB parts. */
    static final int SIZE = 30 * 1024 * 1024 + 12_345;
    /** Bytes per second while the upload is to be broken off: slow enough to reload the page mid-way. */
    static final int THROTTLED = 4 * 1024 * 1024;

    @TestHTTPResource("/")
    URL root;

    @Test
    void uploadResumesAfterAReloadThenTheAdminErasesItAndVerifiesTheCertificate() throws Exception {
        String jobId = DemoClient.openJob("Workspace upload (browser)");
        Path file = Files.createTempFile("valv-ws-upload", ".bin");
        byte[] data = new byte[SIZE];
        new Random(14).nextBytes(data);
        Files.write(file, data);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        String materialId;

        try (Browser uploader = Browser.start()) {
            uploader.get(portal("/portal"));
            uploader.signIn("acme-upload");
            uploader.waiting().until(ExpectedConditions.urlToBe(portal("/portal/workspace")));
            uploader.driver().findElement(By.cssSelector("a[href='/portal/workspace/jobs/" + jobId + "']")).click();
            uploader.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("upload-form")));

            // no upload starts before the personal-data question is answered
            uploader.driver().findElement(By.id("files")).sendKeys(file.toString());
            uploader.driver().findElement(By.id("start-upload")).click();
            uploader.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-message"),
                    "personal data"));
            assertTrue(uploader.driver().findElements(By.cssSelector("#uploads li")).isEmpty());

            throttle(uploader, THROTTLED);
            uploader.driver().findElement(By.cssSelector("label[for='personal-data-yes']")).click();
            uploader.driver().findElement(By.id("start-upload")).click();
            By progress = By.cssSelector("#uploads li progress");
            uploader.waiting().until(d -> percent(d.findElement(progress).getAttribute("value")) >= 40);
            assertTrue(percent(uploader.driver().findElement(progress).getAttribute("value")) < 100, "cut mid-way");

            // the page goes away mid-upload; the same file chosen again resumes at the server's durable offset
            uploader.driver().navigate().refresh();
            uploader.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("upload-form")));
            throttle(uploader, -1);
            uploader.driver().findElement(By.cssSelector("label[for='personal-data-yes']")).click();
            uploader.driver().findElement(By.id("files")).sendKeys(file.toString());
            uploader.driver().findElement(By.id("start-upload")).click();
            uploader.waiting().until(d -> "true".equals(d.findElement(By.cssSelector("#uploads li"))
                    .getAttribute("data-resumed")));
            uploader.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#uploads .sha256")));
            assertEquals(sha256, uploader.driver().findElement(By.cssSelector("#uploads .sha256")).getText());
            materialId = uploader.driver().findElement(By.cssSelector("#uploads li")).getAttribute("data-material-id");
            uploader.assertAccessible("workspace-job-uploaded-en");
        }
        given().auth().oauth2(KeycloakResource.token("acme-admin")).get("/api/v1/materials/" + materialId).then()
                .statusCode(200).body("sha256", org.hamcrest.Matchers.equalTo(sha256))
                .body("size", org.hamcrest.Matchers.equalTo(SIZE)).body("personalData", org.hamcrest.Matchers.equalTo(true));

        try (Browser admin = Browser.start()) {
            admin.get(portal("/portal/workspace/jobs/" + jobId));
            admin.signIn("acme-admin");
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("material-" + materialId)));
            admin.driver().findElement(By.cssSelector("a[href='/portal/workspace/materials/" + materialId + "/erasure']"))
                    .click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-erasure")));
            assertTrue(admin.driver().findElement(By.id("to-destroy")).getText().contains(file.getFileName().toString()));
            admin.assertAccessible("workspace-confirm-en");
            admin.driver().findElement(By.id("confirm-erasure")).click();
            // back on the job page; the certificate is listed there once the purge has issued it
            By certificate = By.cssSelector("#destroyed a.certificate-pdf");
            admin.waiting().until(ExpectedConditions.urlToBe(portal("/portal/workspace/jobs/" + jobId)));
            admin.waiting().until(d -> {
                if (d.findElements(certificate).isEmpty()) {
                    d.navigate().refresh();
                    return false;
                }
                return true;
            });
            admin.assertAccessible("workspace-job-erased-en");
            admin.driver().findElement(By.cssSelector("#destroyed a.certificate-pdf")).click();
            Path pdf = awaitDownload(admin.downloads(), ".pdf");
            Tools.Result checked = Tools.run(pdf.getParent(), "pdfsig", pdf.getFileName().toString());
            assertTrue(checked.output().contains("Signature Validation: Signature is Valid."), checked.output());
            assertTrue(checked.output().contains("Total document signed"), checked.output());
            admin.get(portal("/portal/workspace/certificates"));
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("certificates")));
            assertTrue(admin.driver().findElement(By.id("certificates")).getText()
                    .contains(file.getFileName().toString()));
        }

        try (Browser globex = Browser.start()) {
            globex.get(portal("/portal/workspace/jobs/" + jobId));
            globex.signIn("globex-admin");
            globex.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
            assertFalse(globex.driver().getPageSource().contains("Workspace upload (browser)"));
            Object status = globex.js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0], { credentials: 'same-origin' }).then(r => done(r.status), e => done(String(e)));",
                    "/portal/workspace/jobs/" + jobId);
            assertEquals(404L, status, "another client's job does not exist for globex");
            globex.get(portal("/portal/workspace"));
            globex.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
            String page = globex.driver().getPageSource();
            assertFalse(page.contains("Workspace upload (browser)") || page.contains("acme"), "nothing of acme");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** axe-core in Chromium on every workspace page, in English and in Swedish. */
    @Test
    void workspacePagesAreAccessibleInBothLanguages() throws Exception {
        String jobId = DemoClient.openJob("Accessible <i>job</i>");
        String material = given().auth().oauth2(KeycloakResource.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"a & b.wav\"").header("Valv-Personal-Data", "false")
                .contentType("audio/wav").body(new byte[64]).post("/api/v1/jobs/" + jobId + "/materials").then()
                .statusCode(201).extract().path("id");
        for (String language : List.of("en-US", "sv-SE")) {
            try (Browser admin = Browser.start(language)) {
                admin.get(portal("/portal"));
                admin.signIn("acme-admin");
                admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("jobs")));
                assertEquals(language.substring(0, 2), admin.driver().findElement(By.tagName("html")).getAttribute("lang"));
                admin.assertAccessible("workspace-" + language);
                admin.get(portal("/portal/workspace/jobs/" + jobId));
                admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("materials")));
                admin.assertAccessible("workspace-job-" + language);
                admin.get(portal("/portal/workspace/materials/" + material + "/erasure"));
                admin.assertAccessible("workspace-confirm-" + language);
                admin.get(portal("/portal/workspace/jobs/" + jobId + "/erasure"));
                admin.assertAccessible("workspace-confirm-job-" + language);
                admin.get(portal("/portal/workspace/certificates"));
                admin.assertAccessible("workspace-certificates-" + language);
                admin.get(portal("/portal/workspace/access-log?jobId=" + jobId));
                admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("log-events")));
                assertTrue(admin.driver().findElement(By.id("log-events")).getText().contains("a & b.wav"),
                        "the upload is in the log under its file name");
                admin.assertAccessible("workspace-access-log-" + language);
                admin.get(portal("/portal/workspace/export"));
                admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("export-" + jobId)));
                admin.assertAccessible("workspace-export-" + language);
                if (language.startsWith("en")) {
                    // the return of data as the client's admin takes it: one click, the signed ZIP on disk
                    admin.driver().findElement(By.cssSelector("#export-" + jobId + " a")).click();
                    Path zip = awaitDownload(admin.downloads(), ".zip");
                    Tools.Result listed = Tools.run(zip.getParent(), "unzip", "-l", zip.getFileName().toString());
                    assertTrue(listed.output().contains("SHA256SUMS.p7s") && listed.output().contains("manifest.json"),
                            listed.output());
                }
            }
        }
    }

    /**
     * The client admin's webhooks page: a refused registration re-shows the form as typed; a registration for a
     * loopback receiver shows its secret once (not in the URL, not on the list after); the endpoint is switched
     * off and on, its secret rotated (the new one shown once, with the end of the overlap), a delivery listed and
     * redelivered, and the endpoint deleted after the confirmation step; axe on every page, then in Swedish.
     */
    @Test
    void theClientAdminManagesWebhookEndpointsOnThePage() throws Exception {
        String jobId = DemoClient.openJob("Webhook notices (browser)");
        String hook = "http://127.0.0.1:9/hook/" + java.util.UUID.randomUUID();
        try (Browser admin = Browser.start()) {
            admin.get(portal("/portal/workspace"));
            admin.signIn("acme-admin");
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("home-webhooks")));
            admin.driver().findElement(By.id("home-webhooks")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("new-webhook")));
            assertEquals(portal("/portal/workspace/webhooks"), admin.driver().getCurrentUrl());
            assertFalse(admin.driver().findElements(By.cssSelector("nav a[href='/portal/workspace/webhooks']")).isEmpty(),
                    "the navigation links the page");
            admin.assertAccessible("workspace-webhooks-en");

            // no event type chosen: refused, the form comes back as typed
            admin.driver().findElement(By.id("webhook-url")).sendKeys(hook);
            admin.driver().findElement(By.id("create-webhook")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-error")));
            assertEquals(hook, admin.driver().findElement(By.id("webhook-url")).getAttribute("value"));
            admin.assertAccessible("workspace-webhooks-refused-en");

            admin.driver().findElement(By.cssSelector("#webhook-events input[value='material.stored']")).click();
            admin.driver().findElement(By.cssSelector("#webhook-events input[value='certificate.issued']")).click();
            admin.driver().findElement(By.id("create-webhook")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("secret")));
            String secret = admin.driver().findElement(By.id("secret")).getAttribute("value");
            assertTrue(secret.startsWith("whsec_"), secret);
            assertTrue(admin.driver().findElement(By.id("secret-once")).getText().contains("not shown again"));
            assertFalse(admin.driver().getCurrentUrl().contains(secret), "the secret is in no URL");
            admin.assertAccessible("workspace-webhook-created-en");
            String href = admin.driver().findElement(By.id("secret-continue")).getAttribute("href");
            String id = href.substring(href.lastIndexOf('/') + 1);

            admin.get(portal("/portal/workspace/webhooks"));
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-" + id)));
            String row = admin.driver().findElement(By.id("webhook-" + id)).getText();
            assertTrue(row.contains(hook) && row.contains("material.stored") && row.contains("certificate.issued"), row);
            assertFalse(admin.driver().getPageSource().contains(secret), "the list does not show the secret again");
            admin.assertAccessible("workspace-webhooks-listed-en");

            // off and on again, each confirmed on the page and by the API
            admin.driver().findElement(By.cssSelector("#webhook-" + id + " a")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("switch-webhook")));
            assertEquals("on", admin.driver().findElement(By.id("webhook-enabled")).getText());
            assertTrue(admin.driver().findElements(By.id("webhook-overlap")).isEmpty());
            admin.assertAccessible("workspace-webhook-en");
            admin.driver().findElement(By.id("switch-webhook")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-done")));
            assertEquals("off", admin.driver().findElement(By.id("webhook-enabled")).getText());
            assertEquals(false, endpoint(id).get("enabled"));
            admin.assertAccessible("workspace-webhook-off-en");
            admin.driver().findElement(By.id("switch-webhook")).click();
            admin.waiting().until(ExpectedConditions.textToBe(By.id("webhook-enabled"), "on"));
            assertEquals(true, endpoint(id).get("enabled"));

            // rotation: the new secret once, and until when the old one still signs
            admin.driver().findElement(By.id("rotate-secret")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("secret-overlap")));
            String rotated = admin.driver().findElement(By.id("secret")).getAttribute("value");
            assertTrue(rotated.startsWith("whsec_") && !rotated.equals(secret), rotated);
            String until = admin.driver().findElement(By.id("secret-overlap")).getText();
            assertTrue(until.contains(" UTC"), until);
            admin.assertAccessible("workspace-webhook-rotated-en");
            admin.driver().findElement(By.id("secret-continue")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-overlap")));
            assertTrue(until.contains(admin.driver().findElement(By.id("webhook-overlap")).getText()));
            String page = admin.driver().getPageSource();
            assertFalse(page.contains(secret) || page.contains(rotated), "the endpoint page shows no secret");

            // a notice for it: the upload's material.stored, to a receiver that does not answer; redelivered
            given().auth().oauth2(KeycloakResource.token("acme-upload"))
                    .header("Content-Disposition", "attachment; filename=\"hooked.wav\"").header("Valv-Personal-Data", "false")
                    .contentType("audio/wav").body(new byte[64]).post("/api/v1/jobs/" + jobId + "/materials").then()
                    .statusCode(201);
            admin.driver().navigate().refresh();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("deliveries")));
            String delivery = admin.driver().findElement(By.id("deliveries")).getText();
            assertTrue(delivery.contains("material.stored") && delivery.contains("msg_"), delivery);
            admin.assertAccessible("workspace-webhook-deliveries-en");
            admin.driver().findElement(By.cssSelector("#deliveries button.redeliver")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-done")));
            assertTrue(admin.driver().getCurrentUrl().endsWith("/portal/workspace/webhooks/" + id + "?done=redelivered"));

            // deletion, after the confirmation step
            admin.driver().findElement(By.id("delete-webhook")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-delete")));
            assertTrue(admin.driver().findElement(By.id("to-delete")).getText().contains(hook));
            admin.assertAccessible("workspace-webhook-delete-en");
            assertTrue(endpoint(id) != null, "nothing is deleted before the confirmation");
            admin.driver().findElement(By.id("confirm-delete")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhooks-done")));
            assertTrue(admin.driver().findElements(By.id("webhook-" + id)).isEmpty());
            assertEquals(null, endpoint(id), "deleted");
        }

        // the Swedish pages, for an endpoint registered through the API
        String swedish = given().auth().oauth2(KeycloakResource.token("acme-admin")).contentType(ContentType.JSON)
                .body(Map.of("url", hook, "events", List.of("incident.notified"))).post("/api/v1/clients/acme/webhooks")
                .then().statusCode(201).extract().path("id");
        try (Browser admin = Browser.start("sv-SE")) {
            admin.get(portal("/portal/workspace/webhooks"));
            admin.signIn("acme-admin");
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-" + swedish)));
            assertEquals("sv", admin.driver().findElement(By.tagName("html")).getAttribute("lang"));
            assertEquals("Registrera en mottagare", admin.driver().findElement(By.id("new-webhook-heading")).getText());
            admin.assertAccessible("workspace-webhooks-sv-SE");
            admin.get(portal("/portal/workspace/webhooks/" + swedish));
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("deliveries-none")));
            assertEquals("på", admin.driver().findElement(By.id("webhook-enabled")).getText());
            admin.assertAccessible("workspace-webhook-sv-SE");
            admin.driver().findElement(By.id("rotate-secret")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("secret-overlap")));
            assertTrue(admin.driver().findElement(By.id("secret-once")).getText().contains("visas inte igen"));
            admin.assertAccessible("workspace-webhook-rotated-sv-SE");
            admin.get(portal("/portal/workspace/webhooks/" + swedish + "/delete"));
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-delete")));
            admin.assertAccessible("workspace-webhook-delete-sv-SE");
        } finally {
            given().auth().oauth2(KeycloakResource.token("acme-admin")).delete("/api/v1/clients/acme/webhooks/" + swedish)
                    .then().statusCode(204);
        }
    }

    /**
     * A breach notice as the client admin reads it: the list, the notice's Art. 33(3) fields, and the client's
     * own section of the window's report (the staff member's read counted, the staff member a pseudonym), in
     * English and Swedish, axe-clean.
     */
    @Test
    void theClientAdminReadsABreachNoticeAndItsSectionOfTheReport() throws Exception {
        String jobId = DemoClient.openJob("Breach window (browser)");
        String admin = KeycloakResource.token("admin");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("staff", "alice"))
                .post("/api/v1/jobs/" + jobId + "/assignments").then().statusCode(200);
        java.time.Instant start = java.time.Instant.now().minusSeconds(1);
        String material = given().auth().oauth2(KeycloakResource.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"breach-window.wav\"")
                .header("Valv-Personal-Data", "true")
                .contentType("audio/wav").body(new byte[48]).post("/api/v1/jobs/" + jobId + "/materials").then()
                .statusCode(201).extract().path("id");
        given().auth().oauth2(KeycloakResource.token("alice")).get("/api/v1/materials/" + material + "/content").then()
                .statusCode(200);
        Thread.sleep(5);
        Map<String, Object> notice = new java.util.LinkedHashMap<>();
        notice.put("nature", "A copy of one recording was sent to the wrong address.\nIt was deleted there the same day.");
        notice.put("dataSubjectCategories", "interviewees");
        notice.put("approximateDataSubjects", 1);
        notice.put("recordCategories", "audio recordings");
        notice.put("approximateRecords", 1);
        notice.put("likelyConsequences", "Low.");
        notice.put("measures", "The recipient confirmed deletion.");
        notice.put("contactPoint", "dpo@processor.example");
        notice.put("detectedAt", start.toString());
        notice.put("clientIds", List.of("acme"));
        notice.put("windowFrom", start.toString());
        notice.put("windowTo", java.time.Instant.now().toString());
        String id = given().auth().oauth2(KeycloakResource.token("dora")).contentType(ContentType.JSON).body(notice)
                .post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        for (String language : List.of("en-US", "sv-SE")) {
            try (Browser browser = Browser.start(language)) {
                browser.get(portal("/portal/workspace/incidents"));
                browser.signIn("acme-admin");
                browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("incident-" + id)));
                browser.assertAccessible("workspace-incidents-" + language);
                browser.driver().findElement(By.cssSelector("#incident-" + id + " a")).click();
                browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("incident-report")));
                String facts = browser.driver().findElement(By.id("incident-facts")).getText();
                assertTrue(facts.contains("sent to the wrong address") && facts.contains(id), facts);
                // the window also holds whatever other tests read of acme's material just before: the total
                // counts at least this test's read, and the table of this test's material exactly that one
                assertTrue(Long.parseLong(browser.driver().findElement(By.id("content-reads")).getText()) >= 1);
                assertEquals(1, readsOf(browser, "breach-window.wav"));
                String report = browser.driver().findElement(By.id("incident-report")).getText();
                assertTrue(report.contains("breach-window.wav"), report);
                assertFalse(report.contains("alice"), "staff are pseudonyms to the client: " + report);
                assertTrue(report.contains(language.startsWith("sv") ? "Innehållsläsningar" : "Content reads"), report);
                browser.assertAccessible("workspace-incident-" + language);
            }
        }
    }

    /**
     * An uploader gets the webhooks page's 403, as on the client admin's other pages, cannot register through
     * its form either, and is not offered the page.
     */
    @Test
    void anUploaderCannotUseTheWebhooksPage() {
        DemoClient.openJob("Webhooks are the admin's");
        String token = KeycloakResource.token("acme-admin");
        int before = given().auth().oauth2(token).get("/api/v1/clients/acme/webhooks").then().statusCode(200).extract()
                .jsonPath().getList("$").size();
        try (Browser uploader = Browser.start()) {
            uploader.get(portal("/portal/workspace/webhooks"));
            uploader.signIn("acme-upload");
            uploader.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
            assertTrue(uploader.driver().findElements(By.id("new-webhook")).isEmpty());
            String refusal = uploader.driver().findElement(By.tagName("main")).getText();
            uploader.assertAccessible("workspace-webhooks-uploader-en");
            String status = "const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0], { credentials: 'same-origin' }).then(r => done(r.status), e => done(String(e)));";
            assertEquals(403L, uploader.js().executeAsyncScript(status, "/portal/workspace/webhooks"));
            assertEquals(403L, uploader.js().executeAsyncScript(status, "/portal/workspace/access-log"),
                    "the same answer as the admin's other pages");
            uploader.get(portal("/portal/workspace/access-log"));
            uploader.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
            assertEquals(refusal, uploader.driver().findElement(By.tagName("main")).getText());
            uploader.get(portal("/portal/workspace"));
            uploader.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("jobs")));
            assertTrue(uploader.driver().findElements(By.cssSelector("a[href='/portal/workspace/webhooks']")).isEmpty(),
                    "no link to the page for an uploader");
            // the form's post, from the workspace home, with its own CSRF token: refused, nothing registered
            Object posted = uploader.js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const token = document.querySelector('meta[name=\"csrf-token\"]').content;"
                    + "fetch('/portal/workspace/webhooks', { method: 'POST', credentials: 'same-origin',"
                    + " headers: { 'Content-Type': 'application/x-www-form-urlencoded' },"
                    + " body: 'csrf-token=' + encodeURIComponent(token) + '&url=' + encodeURIComponent('http://127.0.0.1:9/hook')"
                    + " + '&events=material.stored' }).then(r => done(r.status), e => done(String(e)));");
            assertEquals(403L, posted);
        }
        assertEquals(before, given().auth().oauth2(token).get("/api/v1/clients/acme/webhooks").then().statusCode(200)
                .extract().jsonPath().getList("$").size());
    }

    /** An endpoint of acme as the API lists it, or null once it is gone. */
    private static Map<String, Object> endpoint(String id) {
        List<Map<String, Object>> all = given().auth().oauth2(KeycloakResource.token("acme-admin"))
                .get("/api/v1/clients/acme/webhooks").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(e -> id.equals(e.get("id"))).findFirst().orElse(null);
    }

    private String portal(String path) {
        return "http://127.0.0.1:" + root.getPort() + path;
    }

    /** Chrome's own network throttling of this tab's uploads (bytes per second; -1 lifts it). */
    private static void throttle(Browser browser, int bytesPerSecond) {
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        chrome.executeCdpCommand("Network.enable", Map.of());
        chrome.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", bytesPerSecond));
    }

    /** The content reads the incident report's table of one material lists (its reads column summed). */
    private static long readsOf(Browser browser, String filename) {
        long reads = 0;
        for (var table : browser.driver().findElements(By.cssSelector("#incident-report table.material-accesses"))) {
            if (!table.findElement(By.tagName("caption")).getText().contains(filename)) {
                continue;
            }
            for (var cell : table.findElements(By.cssSelector("tbody td:nth-child(5)"))) {
                reads += cell.getText().isBlank() ? 0 : Long.parseLong(cell.getText().trim());
            }
        }
        return reads;
    }

    private static int percent(String value) {
        return value == null ? 0 : (int) Double.parseDouble(value);
    }

    private static Path awaitDownload(Path dir, String suffix) throws IOException, InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (var files = Files.list(dir)) {
                var done = files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst();
                if (done.isPresent() && Files.size(done.get()) > 0) {
                    Thread.sleep(200);
                    return done.get();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + suffix + " downloaded into " + dir);
    }

}
