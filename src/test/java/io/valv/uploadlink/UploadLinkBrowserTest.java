package io.valv.uploadlink;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.valv.testing.Browser;
import io.valv.testing.DemoClient;
import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;

/**
 * Upload links in a real headless Chromium: an anonymous sender uploads through the link page (tus-js-client),
 * the material is stored with the file's SHA-256 and the browser keeps no file name; the client admin (real
 * Keycloak sign-in as acme-admin) creates and revokes links on the links page, after which the sender's page
 * refuses. Hostile note text is shown escaped; axe-core passes on both pages in English and Swedish.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@WithTestResource(S3ProxyResource.class)
class UploadLinkBrowserTest {

    static final String HOSTILE_NOTE = "<script>alert(1)</script> <b>bold</b> evil\u202Etxt.exe";

    @TestHTTPResource("/")
    URL root;

    @Test
    void aSenderUploadsThroughTheLinkAndTheAdminRevokesIt() throws Exception {
        String jobId = DemoClient.openJob("Interviews <i>by link</i>");
        String admin = KeycloakResource.token("acme-admin");
        String url = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("expiresAt", Instant.now().plus(5, ChronoUnit.DAYS).toString(), "maxBytes", 100_000_000,
                        "maxFiles", 5, "note", HOSTILE_NOTE))
                .post("/api/v1/jobs/" + jobId + "/upload-links").then().statusCode(201).extract().path("url");
        String token = url.substring(url.lastIndexOf('/') + 1);
        byte[] data = new byte[3 * 1024 * 1024 + 123];
        new Random(14).nextBytes(data);
        Path file = Files.createTempDirectory("valv-link").resolve("intervju-åäö.wav");
        Files.write(file, data);

        try (Browser sender = Browser.start()) {
            sender.get(at("/upload/" + token));
            assertEquals(HOSTILE_NOTE.replace("\u202E", "[U+202E]"), sender.driver().findElement(By.id("note")).getText());
            assertTrue(sender.driver().findElements(By.tagName("b")).isEmpty(), "the note's markup is text");
            sender.assertAccessible("upload-link");

            // the declaration is required and nothing is pre-selected
            assertFalse(sender.driver().findElement(By.id("personal-yes")).isSelected());
            assertFalse(sender.driver().findElement(By.id("personal-no")).isSelected());
            sender.driver().findElement(By.id("files")).sendKeys(file.toString());
            sender.driver().findElement(By.id("start")).click();
            sender.waiting().until(d -> d.findElement(By.id("link-status")).getText().contains("personal data"));
            assertTrue(sender.driver().findElements(By.cssSelector("#uploads li")).isEmpty(), "nothing started");

            sender.driver().findElement(By.id("personal-yes")).click();
            sender.driver().findElement(By.id("start")).click();
            sender.waiting().until(d -> d.findElement(By.cssSelector("#uploads li .upload-state")).getText().equals("Stored"));
            String kept = (String) sender.js().executeScript("return JSON.stringify(window.localStorage);");
            assertFalse(kept.contains("intervju"), "no file name in localStorage: " + kept);
            sender.assertAccessible("upload-link-progress");
        }
        List<Map<String, Object>> stored = given().auth().oauth2(admin).get("/api/v1/jobs/" + jobId + "/materials").then()
                .statusCode(200).extract().jsonPath().getList("");
        assertEquals(1, stored.size(), stored.toString());
        assertEquals(sha256(data), stored.get(0).get("sha256"));
        assertEquals("intervju-åäö.wav", stored.get(0).get("filename"));

        try (Browser swedish = Browser.start("sv-SE")) {
            swedish.get(at("/upload/" + token));
            assertTrue(swedish.driver().findElement(By.tagName("h1")).getText().contains("Ladda upp filer"));
            swedish.assertAccessible("upload-link-sv");
        }

        try (Browser browser = Browser.start()) {
            browser.get(at("/portal/workspace/jobs/" + jobId + "/links"));
            browser.signIn("acme-admin");
            browser.waiting().until(d -> d.getCurrentUrl().endsWith("/portal/workspace/jobs/" + jobId + "/links"));
            String row = browser.driver().findElement(By.id("links")).getText();
            assertTrue(row.contains("[U+202E]") && row.contains("<script>"), row);
            assertTrue(row.contains("1 of 5 files"), row);
            browser.assertAccessible("upload-links");

            // a new link from the form: its URL is shown once
            browser.driver().findElement(By.id("max-files")).clear();
            browser.driver().findElement(By.id("max-files")).sendKeys("3");
            browser.driver().findElement(By.cssSelector("#create-link button[type=submit]")).click();
            browser.waiting().until(d -> !d.findElements(By.id("created-url")).isEmpty());
            String created = browser.driver().findElement(By.id("created-url")).getAttribute("value");
            assertTrue(created.matches("http://[^/]+/upload/[A-Za-z0-9_-]{32}"), created);
            browser.assertAccessible("upload-links-created");

            // revoke the sender's link (the confirmation is answered yes)
            browser.get(at("/portal/workspace/jobs/" + jobId + "/links"));
            browser.js().executeScript("window.confirm = function () { return true; };");
            browser.driver().findElement(By.cssSelector("#links tr:last-child button.danger")).click();
            browser.waiting().until(d -> d.findElement(By.id("links")).getText().contains("Revoked"));
            browser.get(at("/portal/workspace/jobs/" + jobId + "/links?lang=sv"));
            assertTrue(browser.driver().findElement(By.tagName("h1")).getText().contains("Uppladdningslänkar"));
            browser.assertAccessible("upload-links-sv");
        }

        try (Browser sender = Browser.start()) {
            sender.get(at("/upload/" + token));
            assertTrue(sender.driver().findElement(By.id("refusal")).getText().contains("Ask the person who sent it"),
                    sender.driver().getPageSource());
            assertTrue(sender.driver().findElements(By.id("link-upload")).isEmpty());
            sender.assertAccessible("upload-link-refused");
        }
        assertEquals(1, given().auth().oauth2(admin).get("/api/v1/jobs/" + jobId + "/materials").then().statusCode(200)
                .extract().jsonPath().getList("").size());
    }

    private String at(String path) {
        return "http://127.0.0.1:" + root.getPort() + path;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
