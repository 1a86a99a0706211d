package io.valv.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian {@code chromium} + {@code chromium-driver}) for page tests, with its own
 * throw-away profile and download directory, the real Keycloak login page, and axe-core (npm, from
 * {@code src/test/node}) run inside the page.
 *
 * <pre>
 * try (Browser browser = Browser.start()) {
 *     browser.get(base + "/portal/...");
 *     browser.signIn("acme-admin"); // on Keycloak's login page, password = user name
 *     browser.assertAccessible("workspace");
 * }
 * </pre>
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = System.getProperty("valv.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("valv.chromedriver", "/usr/bin/chromedriver");
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path AXE = Path.of("src", "test", "node", "node_modules", "axe-core", "axe.min.js");

    private final Path profile;
    private final Path downloads;
    private final ChromeDriverService service;
    private final WebDriver driver;

    private Browser(Path profile, Path downloads, ChromeDriverService service, WebDriver driver) {
        this.profile = profile;
        this.downloads = downloads;
        this.service = service;
        this.driver = driver;
    }

    /** A browser whose preferred language is English. */
    public static Browser start() {
        return start("en-US");
    }

    /** A browser with this {@code Accept-Language} preference (e.g. {@code sv-SE}). */
    public static Browser start(String language) {
        Tools.require(CHROMIUM);
        Tools.require(CHROMEDRIVER);
        try {
            Path profile = Files.createTempDirectory("valv-chromium-profile");
            Path downloads = Files.createTempDirectory("valv-chromium-downloads");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                            "--window-size=1280,1024", "--lang=" + language, "--user-data-dir=" + profile)
                    .setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                            "download.prompt_for_download", false, "intl.accept_languages", language));
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return new Browser(profile, downloads, service, driver);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }

    public Path downloads() {
        return downloads;
    }

    public void get(String url) {
        driver.get(url);
    }

    /** A wait whose failure message says where the browser was and what the page said. */
    public WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // a page that reloads (a form posted, a redirect) between finding an element and reading it: look again
        wait.ignoring(StaleElementReferenceException.class);
        wait.withMessage(() -> "at " + driver.getCurrentUrl() + ": "
                + driver.findElement(By.tagName("body")).getText().replaceAll("\\s+", " "));
        return wait;
    }

    /** On Keycloak's login page (where an unauthenticated portal request lands): the demo user's password is its name. */
    public void signIn(String user) {
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
        assertTrue(driver.getCurrentUrl().startsWith(KeycloakResource.baseUrl()), driver.getCurrentUrl());
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(user);
        driver.findElement(By.id("kc-login")).click();
        waiting().until(d -> !d.getCurrentUrl().startsWith(KeycloakResource.baseUrl()));
    }

    /**
     * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now and fails on any serious or critical
     * violation, naming the rule and the elements. {@code page} names the page in the message and the screenshot.
     */
    @SuppressWarnings("unchecked")
    public void assertAccessible(String page) {
        try {
            js().executeScript(Files.readString(AXE));
        } catch (IOException e) {
            throw new UncheckedIOException("axe-core is missing: run npm ci in src/test/node", e);
        }
        Object result = js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                      + v.nodes.map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));
                """);
        List<String> violations = (List<String>) result;
        if (!violations.isEmpty()) {
            screenshot("axe-" + page + ".png");
        }
        assertTrue(violations.isEmpty(), "axe-core on " + page + " (" + driver.getCurrentUrl() + "):\n"
                + violations.stream().collect(Collectors.joining("\n")));
    }

    /** Kept under target/portal-screenshots for people to look at the page as it was tested. */
    public void screenshot(String name) {
        try {
            Path file = Path.of("target", "portal-screenshots", name);
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            for (Path dir : new Path[] { profile, downloads }) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temp directory left behind is harmless
                }
            }
        }
    }
}
