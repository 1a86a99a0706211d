package io.valv.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.valv.testing.Browser;
import io.valv.testing.DemoClient;
import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.World;

/**
 * The DPO's desk and the admin's registers as their people use them: real headless Chromium, the real
 * Keycloak login page. Dora (the DPO) finds alice's read of a recording in the access log and verifies the
 * log; the admin terminates the DPA it was processed under after the confirmation page has said what goes
 * and when, the client's admin confirms early (API), and the material is purged with a certificate. axe-core
 * checks every page of the desk and the two admin pages it translated, in English and Swedish. Dora also sends
 * an Art. 33(2) notice to acme from the incident report's form, after reading it back.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@WithTestResource(S3ProxyResource.class)
class PortalDeskBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void theDpoFindsAReadAndTheAdminTerminatesTheDpaItWasUnder() throws Exception {
        Acme acme = acmeJobUnderItsOwnDpa("DPA-ACME-DESK-" + System.nanoTime());
        String material = upload(acme.jobId(), "focus group.wav");
        given().auth().oauth2(KeycloakResource.token("alice")).get("/api/v1/materials/" + material + "/content").then()
                .statusCode(200);

        try (Browser dora = Browser.start("en-US")) {
            dora.get(portal("/portal/audit"));
            dora.signIn("dora");
            dora.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("audit-search")));
            dora.driver().findElement(By.id("materialId")).sendKeys(material);
            dora.driver().findElement(By.id("action")).sendKeys("material.content.read");
            dora.driver().findElement(By.cssSelector("#audit-search button")).click();
            dora.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("audit-events")));
            String row = dora.driver().findElement(By.cssSelector("#audit-events tbody tr")).getText();
            assertTrue(row.contains("alice") && row.contains("material.content.read"), row);
            dora.driver().findElement(By.cssSelector("#audit-events tbody tr a")).click();
            dora.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("event"), material));

            dora.get(portal("/portal/audit/verify"));
            dora.driver().findElement(By.id("verify")).click();
            dora.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("verify-result")));
            assertEquals("The log is intact.", dora.driver().findElement(By.id("verify-result")).getText());

            // the incident report's form leads to the Art. 33(2) notice, which is read back before it is sent
            dora.get(portal("/portal/audit/incident-report"));
            dora.driver().findElement(By.cssSelector("#report-form input[value='acme']")).click();
            dora.driver().findElement(By.id("notify")).click();
            dora.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("new-incident")));
            assertTrue(dora.driver().findElement(By.cssSelector("#new-incident input[value='acme']")).isSelected());
            String nature = "Laptop with " + acme.title() + " stolen";
            dora.js().executeScript("arguments[0].value = arguments[1]", dora.driver().findElement(By.id("detectedAt")),
                    java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(3).withSecond(0).withNano(0).toString());
            dora.driver().findElement(By.id("nature")).sendKeys(nature);
            dora.driver().findElement(By.id("dataSubjectCategories")).sendKeys("focus group participants");
            dora.driver().findElement(By.id("approximateDataSubjects")).sendKeys("8");
            dora.driver().findElement(By.id("recordCategories")).sendKeys("voice recordings");
            dora.driver().findElement(By.id("likelyConsequences")).sendKeys("identification by voice");
            dora.driver().findElement(By.id("measures")).sendKeys("remote wipe; keys rotated");
            dora.driver().findElement(By.id("contactPoint")).sendKeys("dora@agency.example");
            dora.driver().findElement(By.id("review")).click();
            dora.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("audience")));
            assertEquals("acme", dora.driver().findElement(By.id("audience-clients")).getText());
            assertTrue(given().auth().oauth2(KeycloakResource.token("acme-admin")).get("/api/v1/incidents").then()
                    .statusCode(200).extract().jsonPath().getList("nature").stream().noneMatch(nature::equals),
                    "the read-back sends nothing");
            dora.driver().findElement(By.id("send")).click();
            dora.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("incident-sent")));
            assertTrue(dora.driver().findElement(By.id("incidents")).getText().contains(nature));
            assertTrue(given().auth().oauth2(KeycloakResource.token("acme-admin")).get("/api/v1/incidents").then()
                    .statusCode(200).extract().jsonPath().getList("nature").contains(nature), "acme was told");
        }

        try (Browser admin = Browser.start("en-US")) {
            admin.get(portal("/portal/admin/clients/acme/dpas"));
            admin.signIn("admin");
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("dpa-" + acme.dpaId())));
            admin.driver().findElement(By.cssSelector("#dpa-" + acme.dpaId() + " a")).click();
            admin.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("doomed")));
            String doomed = admin.driver().findElement(By.id("doomed")).getText();
            assertTrue(doomed.contains("Stored materials: 1, in jobs: 1") && doomed.contains(acme.title()), doomed);
            assertTrue(admin.driver().findElement(By.id("doomed-when")).getText().contains("UTC"), doomed);
            admin.driver().findElement(By.id("confirm")).click();
            admin.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("dpa-" + acme.dpaId()),
                    "Termination scheduled for"));
        }

        // the client's admin confirms early (the waiting period is the client's to cut short), and the purge follows
        given().auth().oauth2(KeycloakResource.token("acme-admin"))
                .post("/api/v1/clients/acme/dpas/" + acme.dpaId() + "/terminate/confirm").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("terminated"));
        awaitCertificateOf(material);
    }

    /** axe-core on every desk page and the two translated admin pages, in English and Swedish. */
    @Test
    void deskPagesAreAccessibleInBothLanguages() {
        Acme acme = acmeJobUnderItsOwnDpa("DPA-ACME-AXE-" + System.nanoTime());
        upload(acme.jobId(), "<i>samtal & co.wav");
        for (String language : List.of("en-US", "sv-SE")) {
            String lang = language.substring(0, 2);
            try (Browser dora = Browser.start(language)) {
                dora.get(portal("/portal/audit"));
                dora.signIn("dora");
                check(dora, "/portal/audit?clientId=acme", "audit-" + lang, lang);
                String event = dora.driver().findElement(By.cssSelector("#audit-events tbody tr a")).getAttribute("href");
                check(dora, java.net.URI.create(event).getPath(), "audit-event-" + lang, lang);
                check(dora, "/portal/audit/verify?run=true", "audit-verify-" + lang, lang);
                check(dora, "/portal/audit/incident-report", "incident-report-form-" + lang, lang);
                check(dora, "/portal/record-of-processing", "record-" + lang, lang);
                check(dora, "/portal/incidents?client=acme", "incidents-" + lang, lang);
                dora.driver().findElement(By.id("detectedAt")).clear();
                dora.js().executeScript("arguments[0].value = arguments[1]", dora.driver().findElement(By.id("detectedAt")),
                        "2026-01-01T09:30");
                for (String field : List.of("nature", "dataSubjectCategories", "recordCategories", "likelyConsequences",
                        "measures", "contactPoint")) {
                    dora.driver().findElement(By.id(field)).sendKeys("axe " + field);
                }
                dora.driver().findElement(By.id("review")).click();
                dora.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("audience")));
                dora.assertAccessible("incident-review-" + lang);
            }
            try (Browser admin = Browser.start(language)) {
                admin.get(portal("/portal/admin/clients"));
                admin.signIn("admin");
                check(admin, "/portal/admin/clients", "admin-clients-" + lang, lang);
                check(admin, "/portal/admin/jobs", "admin-jobs-" + lang, lang);
                check(admin, "/portal/admin/clients/acme/dpas", "admin-dpas-" + lang, lang);
                check(admin, "/portal/admin/clients/acme/dpas/" + acme.dpaId() + "/terminate", "admin-terminate-" + lang,
                        lang);
                check(admin, "/portal/admin/clients/acme/offboard", "admin-offboard-" + lang, lang);
                check(admin, "/portal/admin/subprocessors", "admin-subprocessors-" + lang, lang);
            }
        }
    }

    private void check(Browser browser, String path, String name, String lang) {
        browser.get(portal(path));
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
        assertEquals(lang, browser.driver().findElement(By.tagName("html")).getAttribute("lang"), path);
        browser.assertAccessible(name);
    }

    private String portal(String path) {
        return "http://127.0.0.1:" + root.getPort() + path;
    }

    record Acme(String dpaId, String jobId, String title) {
    }

    /** Client acme (the realm's demo client) with a DPA of its own for this test, a job under it, alice assigned. */
    private static Acme acmeJobUnderItsOwnDpa(String reference) {
        String admin = DemoClient.ensureClient();
        String dpaId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("reference", reference, "version", "1", "effectiveFrom", "2026-01-01",
                        "personalDataAllowed", true, "retentionDays", 365, "dataCategories", List.of("voices"),
                        "permittedSubProcessors", List.of(World.STORAGE)))
                .post("/api/v1/clients/acme/dpas").then().statusCode(201).extract().path("id");
        String title = "Focus groups " + reference;
        String jobId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("clientId", "acme", "dpaId", dpaId, "title", title, "reuseRequested", false))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("staff", "alice"))
                .post("/api/v1/jobs/" + jobId + "/assignments").then().statusCode(200);
        return new Acme(dpaId, jobId, title);
    }

    private static String upload(String jobId, String filename) {
        return given().auth().oauth2(KeycloakResource.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(Wav.sine(2, 8000, 440))
                .post("/api/v1/jobs/" + jobId + "/materials").then().statusCode(201).extract().path("id");
    }

    private static void awaitCertificateOf(String material) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<String> certified = given().auth().oauth2(KeycloakResource.token("acme-admin"))
                    .get("/api/v1/certificates?clientId=acme").then().statusCode(200).extract().jsonPath()
                    .getList("materialId");
            if (certified.contains(material)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no deletion certificate for " + material);
            Thread.sleep(1000);
        }
    }
}
