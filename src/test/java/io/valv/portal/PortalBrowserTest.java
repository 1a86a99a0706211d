package io.valv.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.valv.testing.Browser;
import io.restassured.http.ContentType;
import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.World;

/**
 * The portal as a member of staff uses it: real headless Chromium (Debian {@code chromium} +
 * {@code chromium-driver}), the real Keycloak login page of the shipped realm, a real WAV file played and
 * sought through ranged requests, downloaded, and the job completed.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@WithTestResource(S3ProxyResource.class)
class PortalBrowserTest {

    static final String CHROMIUM = System.getProperty("valv.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("valv.chromedriver", "/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int SAMPLE_RATE = 44_100;
    /** 16-bit mono PCM. */
    static final int BYTES_PER_SECOND = SAMPLE_RATE * 2;

    @TestHTTPResource("/")
    URL root;

    Path profile;
    Path downloads;
    ChromeDriverService service;
    WebDriver browser;

    @BeforeEach
    void startBrowser() throws IOException {
        profile = Files.createTempDirectory("valv-chromium-profile");
        downloads = Files.createTempDirectory("valv-chromium-downloads");
        service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--window-size=1280,1024",
                        "--user-data-dir=" + profile)
                .setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                        "download.prompt_for_download", false));
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        for (Path dir : new Path[] { profile, downloads }) {
            if (dir != null) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void staffSignInPlaySeekDownloadAndComplete() throws Exception {
        String jobId = acmeJobAssignedToAlice();
        byte[] wav = Wav.sine(60, SAMPLE_RATE, 440);
        String material = upload(jobId, "interview 1.wav", wav);

        // sign in through Keycloak's own login page; Valv sends alice back to the page she asked for
        browser.get(portal("/portal/jobs/" + jobId));
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.withMessage(() -> "at " + browser.getCurrentUrl() + ": "
                + browser.findElement(By.tagName("body")).getText().replaceAll("\\s+", " "));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
        assertTrue(browser.getCurrentUrl().startsWith(KeycloakResource.baseUrl()), browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys("alice");
        browser.findElement(By.id("kc-login")).click();
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

        screenshot("portal-job.png");

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

    /** axe-core in Chromium on every staff and admin page, in English and in Swedish: no serious or critical violation. */
    @Test
    void staffAndAdminPagesAreAccessibleInBothLanguages() {
        String jobId = acmeJobAssignedToAlice();
        upload(jobId, "<i>intervju & co.wav", Wav.sine(2, SAMPLE_RATE, 440));
        for (String language : List.of("en-US", "sv-SE")) {
            try (Browser alice = Browser.start(language)) {
                alice.get(portal("/portal"));
                alice.signIn("alice");
                alice.assertAccessible("jobs-" + language);
                alice.get(portal("/portal/jobs/" + jobId));
                alice.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("audio")));
                assertEquals(language.substring(0, 2), alice.driver().findElement(By.tagName("html")).getAttribute("lang"));
                alice.assertAccessible("job-" + language);
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

    /** Client acme (the realm's demo client) with an active DPA and an open job assigned to alice. */
    private static String acmeJobAssignedToAlice() {
        String admin = KeycloakResource.token("admin");
        int sub = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", World.STORAGE, "purpose", "Encrypted object storage", "country", "SE",
                        "transferMechanism", "none (EU)"))
                .post("/api/v1/subprocessors").then().extract().statusCode();
        assertTrue(sub == 201 || sub == 409, "storage sub-processor: " + sub);
        int client = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", "acme", "name", "Acme Research AB", "contact", "dpo@acme.example"))
                .post("/api/v1/clients").then().extract().statusCode();
        assertTrue(client == 201 || client == 409, "client acme: " + client);
        List<String> active = given().auth().oauth2(admin).get("/api/v1/clients/acme/dpas").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.status == 'active' }.id");
        if (active.isEmpty()) {
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("reference", "DPA-ACME-BROWSER", "version", "1", "effectiveFrom", "2026-01-01",
                            "personalDataAllowed", true, "retentionDays", 365, "dataCategories", List.of("voices"),
                            "permittedSubProcessors", List.of(World.STORAGE)))
                    .post("/api/v1/clients/acme/dpas").then().statusCode(201);
        }
        String jobId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("clientId", "acme", "title", "Interviews (browser)", "reuseRequested", false))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("staff", "alice"))
                .post("/api/v1/jobs/" + jobId + "/assignments").then().statusCode(200);
        return jobId;
    }

    private static String upload(String jobId, String filename, byte[] data) {
        return given().auth().oauth2(KeycloakResource.token("acme-upload"))
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Valv-Personal-Data", "true").contentType("audio/wav").body(data)
                .post("/api/v1/jobs/" + jobId + "/materials").then().statusCode(201).extract().path("id");
    }

    /** Kept under target/ for people to look at the page as it was tested. */
    private void screenshot(String name) throws IOException {
        Path file = Path.of("target", "portal-screenshots", name);
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static long rangeStart(String range) {
        if (range == null || !range.startsWith("bytes=") || range.startsWith("bytes=-")) {
            return -1;
        }
        return Long.parseLong(range.substring(6, range.indexOf('-')));
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
