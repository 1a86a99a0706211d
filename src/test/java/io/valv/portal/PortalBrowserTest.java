package io.valv.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.valv.testing.Browser;
import io.valv.testing.DemoClient;
import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;

/**
 * The portal as a member of staff uses it: real headless Chromium (Debian {@code chromium} +
 * {@code chromium-driver}), the real Keycloak login page of the shipped realm, a real WAV file played and
 * sought through ranged requests, downloaded, and the job completed.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@WithTestResource(S3ProxyResource.class)
class PortalBrowserTest {

    static final int SAMPLE_RATE = 44_100;
    /** 16-bit mono PCM. */
    static final int BYTES_PER_SECOND = SAMPLE_RATE * 2;

    @TestHTTPResource("/")
    URL root;

    @Test
    void staffSignInPlaySeekDownloadAndComplete() throws Exception {
        String jobId = DemoClient.openJobAssignedTo("Interviews (browser)", "alice");
        byte[] wav = Wav.sine(60, SAMPLE_RATE, 440);
        String material = upload(jobId, "interview 1.wav", wav);

        // sign in through Keycloak's own login page; Valv sends alice back to the page she asked for
        try (Browser chrome = Browser.start()) {
            WebDriver browser = chrome.driver();
            Path downloads = chrome.downloads();
            browser.get(portal("/portal/jobs/" + jobId));
            chrome.signIn("alice");
            WebDriverWait wait = chrome.waiting();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("audio")));
            assertEquals(portal("/portal/jobs/" + jobId), browser.getCurrentUrl());
            assertEquals("Interviews (browser)", browser.findElement(By.tagName("h1")).getText());

            // metadata comes from the first bytes only (preload="metadata"): the file is not downloaded whole
            JavascriptExecutor js = (JavascriptExecutor) browser;
            WebElement audio = browser.findElement(By.tagName("audio"));
            wait.until(b -> number(js.executeScript("return arguments[0].duration;", audio)) > 59);

            // seek deep into the recording: the element fetches from there with a Range request (206) ...
            double target = 45;
            js.executeScript("arguments[0].currentTime = arguments[1];", audio, target);
            wait.until(b -> (Boolean) js.executeScript("return !arguments[0].seeking && arguments[0].readyState >= 2;",
                    audio));
            long deep = 30L * BYTES_PER_SECOND;
            List<ContentRequests.Seen> seen = ContentRequests.of(material);
            assertTrue(seen.stream().anyMatch(s -> s.status() == 206 && rangeStart(s.range()) >= deep),
                    "a 206 answer from beyond " + deep + " bytes: " + seen);
            assertTrue(seen.stream().noneMatch(s -> s.status() >= 400), "no refused content request: " + seen);

            // ... and plays on from there
            js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "arguments[0].play().then(() => done(true), e => done(String(e)));", audio);
            wait.until(b -> number(js.executeScript("return arguments[0].currentTime;", audio)) > target + 0.5);
            assertTrue(number(js.executeScript("return arguments[0].currentTime;", audio)) < target + 15,
                    "playing from the sought position, not from the start");

            chrome.screenshot("portal-job.png");

            // download: the link's bytes are the uploaded file's
            browser.findElement(By.className("download")).click();
            Path file = downloads.resolve("interview 1.wav");
            wait.until(b -> Files.exists(file) && sizeOf(file) == wav.length);
            assertArrayEquals(wav, Files.readAllBytes(file));

            // attest, then complete (the page asks for confirmation first)
            browser.findElement(By.id("attest")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("attestation"), "You attested on"));
            browser.findElement(By.id("complete")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-status"), "completed"));
            assertTrue(browser.findElements(By.tagName("audio")).isEmpty(), "no player once the job is complete");
            given().auth().oauth2(KeycloakResource.token("admin")).get("/api/v1/jobs/" + jobId).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("completed"));

            // sign out at Keycloak too, and land on the portal's signed-out page
            browser.findElement(By.id("signout")).click();
            wait.until(ExpectedConditions.urlContains("/portal/signed-out"));
            browser.get(portal("/portal"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
        }
    }

    /**
     * The transcriber's player: seeking on the seek bar through a ranged request, speed and skips driven by
     * keyboard shortcuts while the notes field has focus (and takes no text from them), the position kept
     * across a reload in this browser, the watermark over the page, and a shortcut changed in the settings.
     */
    @Test
    void transcriberDrivesThePlayerFromTheKeyboardWhileTypingNotes() {
        String jobId = DemoClient.openJobAssignedTo("Interviews (browser)", "alice");
        String material = upload(jobId, "interview 2.wav", Wav.sine(60, SAMPLE_RATE, 440), "audio/wav");
        try (Browser alice = Browser.start()) {
            alice.get(portal("/portal/jobs/" + jobId));
            alice.signIn("alice");
            WebDriver page = alice.driver();
            JavascriptExecutor js = alice.js();
            WebDriverWait wait = alice.waiting();
            WebElement audio = playerReady(alice);
            By time = By.cssSelector(".player [data-role='time']");

            // seek to 45 s on the seek bar first, while little is buffered (preload="metadata"): the element
            // asks for the bytes from there, and the file is never fetched whole
            WebElement seek = page.findElement(By.cssSelector(".player [data-role='seek']"));
            js.executeScript("arguments[0].value = 45; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                    seek);
            wait.until(b -> Math.abs(currentTime(js, audio) - 45) < 0.5 && settled(js, audio));
            long offset = 45L * BYTES_PER_SECOND;
            List<ContentRequests.Seen> seen = ContentRequests.of(material);
            assertTrue(seen.stream().anyMatch(s -> s.status() == 206
                    && Math.abs(rangeStart(s.range()) - offset) < 2L * BYTES_PER_SECOND),
                    "a 206 answer for a range starting near " + offset + ": " + seen);
            assertTrue(seen.stream().noneMatch(s -> s.status() != 206), "ranged answers only: " + seen);
            wait.until(ExpectedConditions.textMatches(time, java.util.regex.Pattern.compile("^00:00:45\\.\\d$")));

            // play with the page's button, then type notes and drive the player from the notes field
            page.findElement(By.cssSelector(".player [data-action='toggle']")).click();
            wait.until(b -> currentTime(js, audio) > 46);
            WebElement notes = page.findElement(By.id("notes"));
            notes.click();
            notes.sendKeys("Speaker A: ");
            for (int i = 0; i < 5; i++) {
                notes.sendKeys(Keys.F4);
            }
            wait.until(b -> number(js.executeScript("return arguments[0].playbackRate;", audio)) == 1.5);
            assertEquals(Boolean.TRUE, js.executeScript("return arguments[0].preservesPitch;", audio));
            assertEquals("1.5", page.findElement(By.cssSelector(".player [data-role='speed']")).getAttribute("value"));
            wait.until(b -> currentTime(js, audio) > 52);
            notes.sendKeys(Keys.ESCAPE);
            wait.until(b -> Boolean.TRUE.equals(js.executeScript("return arguments[0].paused;", audio)));
            double before = currentTime(js, audio);
            notes.sendKeys(Keys.F1);
            wait.until(b -> currentTime(js, audio) < before - 1 && settled(js, audio));
            double skipped = currentTime(js, audio);
            assertEquals(before - 5, skipped, 0.3, "skipped back 5 s");
            assertEquals(notes, page.switchTo().activeElement(), "the notes kept the focus");
            assertEquals("Speaker A: ", notes.getAttribute("value"), "the shortcuts typed nothing");

            // a reload puts the player back where alice was (kept in this browser only)
            String saved = String.valueOf(js.executeScript("return localStorage.getItem(arguments[0]);",
                    "valv.player.position.alice." + material));
            assertEquals(skipped, Double.parseDouble(saved), 0.1);
            page.navigate().refresh();
            WebElement reloaded = playerReady(alice);
            wait.until(b -> Math.abs(currentTime(js, reloaded) - skipped) < 0.2);
            double restored = currentTime(js, reloaded);
            wait.until(ExpectedConditions.textToBe(time,
                    String.format("00:00:%02d.%d", (int) restored, (int) Math.floor(restored * 10 + 1e-6) % 10)));

            // the watermark: alice and the job, over the page, never in the way of a click
            WebElement watermark = page.findElement(By.className("watermark"));
            assertTrue(watermark.getAttribute("data-watermark").startsWith("alice · Interviews (browser)"),
                    watermark.getAttribute("data-watermark"));
            assertEquals("none", watermark.getCssValue("pointer-events"));
            assertEquals("fixed", watermark.getCssValue("position"));
            assertTrue(String.valueOf(js.executeScript(
                    "return getComputedStyle(document.querySelector('.watermark span'), '::before').content;"))
                    .contains("alice"), "the overlay draws alice's name");

            // skip back moves from F1 to F9
            page.findElement(By.cssSelector("#player-settings summary")).click();
            WebElement field = page.findElement(By.id("ps-key-back"));
            assertEquals("F1", field.getAttribute("value"));
            field.click();
            field.sendKeys(Keys.F9);
            assertEquals("F9", field.getAttribute("value"));
            page.findElement(By.id("player-settings-save")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("player-settings-status"), "Settings saved"));
            assertEquals("F9", page.findElement(By.cssSelector(".player [data-action='back']"))
                    .getAttribute("aria-keyshortcuts"));
            WebElement notesAgain = page.findElement(By.id("notes"));
            notesAgain.click();
            double at = currentTime(js, reloaded);
            notesAgain.sendKeys(Keys.F1);
            notesAgain.sendKeys(Keys.F9);
            wait.until(b -> currentTime(js, reloaded) < at - 1 && settled(js, reloaded));
            assertEquals(at - 5, currentTime(js, reloaded), 0.3, "F9 skipped back once; F1 does nothing now");
            assertTrue(String.valueOf(js.executeScript("return localStorage.getItem(arguments[0]);",
                    "valv.player.settings.alice")).contains("\"back\":\"F9\""));
            alice.screenshot("portal-player.png");
        }
    }

    /** axe-core in Chromium on every staff and admin page, in English and in Swedish: no serious or critical violation. */
    @Test
    void staffAndAdminPagesAreAccessibleInBothLanguages() {
        String jobId = DemoClient.openJobAssignedTo("Interviews (browser)", "alice");
        upload(jobId, "<i>intervju & co.wav", Wav.sine(2, SAMPLE_RATE, 440), "audio/wav");
        String image = upload(jobId, "scan.png", png(), "image/png");
        for (String language : List.of("en-US", "sv-SE")) {
            try (Browser alice = Browser.start(language)) {
                alice.get(portal("/portal"));
                alice.signIn("alice");
                alice.assertAccessible("jobs-" + language);
                alice.get(portal("/portal/jobs/" + jobId));
                playerReady(alice);
                assertEquals(language.substring(0, 2), alice.driver().findElement(By.tagName("html")).getAttribute("lang"));
                alice.driver().findElement(By.cssSelector("#player-settings summary")).click();
                alice.assertAccessible("job-" + language);
                alice.get(portal("/portal/materials/" + image + "/view"));
                alice.waiting().until(b -> Boolean.TRUE.equals(alice.js().executeScript(
                        "const i = document.querySelector('.viewer img'); return i.complete && i.naturalWidth > 0;")));
                alice.assertAccessible("view-" + language);
            }
            try (Browser admin = Browser.start(language)) {
                admin.get(portal("/portal/admin/clients"));
                admin.signIn("admin");
                admin.assertAccessible("admin-clients-" + language);
                admin.get(portal("/portal/admin/jobs"));
                admin.assertAccessible("admin-jobs-" + language);
            }
        }
    }

    private String portal(String path) {
        return "http://127.0.0.1:" + root.getPort() + path;
    }

    private static String upload(String jobId, String filename, byte[] data) {
        return upload(jobId, filename, data, "audio/wav");
    }

    private static String upload(String jobId, String filename, byte[] data, String mediaType) {
        return given().auth().oauth2(KeycloakResource.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Valv-Personal-Data", "true").contentType(mediaType).body(data)
                .post("/api/v1/jobs/" + jobId + "/materials").then().statusCode(201).extract().path("id");
    }

    private static long rangeStart(String range) {
        if (range == null || !range.startsWith("bytes=") || range.startsWith("bytes=-")) {
            return -1;
        }
        return Long.parseLong(range.substring(6, range.indexOf('-')));
    }

    /** The job page's first media element once its metadata is in and the player script has taken it over. */
    private static WebElement playerReady(Browser browser) {
        WebDriverWait wait = browser.waiting();
        WebElement media = wait
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".player audio, .player video")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".player-controls")));
        wait.until(b -> number(browser.js().executeScript("return arguments[0].duration;", media)) > 0);
        return media;
    }

    private static double currentTime(JavascriptExecutor js, WebElement media) {
        return number(js.executeScript("return arguments[0].currentTime;", media));
    }

    private static boolean settled(JavascriptExecutor js, WebElement media) {
        return Boolean.TRUE.equals(js.executeScript("return !arguments[0].seeking && arguments[0].readyState >= 2;", media));
    }

    /** A small real PNG. */
    private static byte[] png() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xff0000);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
