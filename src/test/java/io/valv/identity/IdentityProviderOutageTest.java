package io.valv.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.valv.testing.Browser;
import io.valv.testing.KeycloakResource;
import io.valv.testing.S3ProxyResource;

/**
 * The identity provider restarts (issue #20): while it is down, bearer-token API calls keep working with the
 * signing keys Valv holds, the health check names it DOWN without taking the replica out of readiness, and a
 * person opening the portal gets a page saying sign-in is unavailable (503 + Retry-After, in their language,
 * axe-clean) instead of a redirect into a dead login page. When it is back with new signing keys, tokens signed
 * with them are accepted and the portal sends people to the login page again, with nothing restarted in Valv.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@WithTestResource(S3ProxyResource.class)
class IdentityProviderOutageTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration RECOVERY = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URL root;

    @Test
    void aProviderOutageKeepsTokensWorkingAndShowsPeopleThatSignInIsUnavailable() throws Exception {
        String before = KeycloakResource.token("admin");
        given().auth().oauth2(before).get("/api/v1/clients").then().statusCode(200);
        portal("en").then().statusCode(302).header("Location", startsWith(KeycloakResource.baseUrl()));

        KeycloakResource.halt();
        try {
            given().auth().oauth2(before).get("/api/v1/clients").then().statusCode(200);
            awaitTrue("the portal says sign-in is unavailable", () -> portal("en").statusCode() == 503);
            portal("en").then().statusCode(503).header("Retry-After", "30").contentType(startsWith("text/html"))
                    .body(containsString("Sign-in is unavailable")).body(containsString("Nothing is lost"));
            portal("sv").then().statusCode(503).body(containsString("Inloggningen är inte tillgänglig"));
            given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'identity-provider' }.status", equalTo("DOWN"));
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().auth().oauth2(before).get("/api/v1/clients").then().statusCode(200);
            try (Browser browser = Browser.start()) {
                browser.get(url("/portal"));
                assertEquals("Sign-in is unavailable", browser.driver().findElement(By.tagName("h1")).getText());
                browser.assertAccessible("sign-in unavailable");
            }
        } finally {
            KeycloakResource.restart();
        }

        // back, with a fresh realm: new signing keys that Valv has never seen
        long back = System.nanoTime();
        String after = KeycloakResource.token("admin");
        assertNotEquals(keyId(before), keyId(after), "the restarted provider signs with a new key");
        awaitTrue("a token signed with the new key is accepted",
                () -> given().auth().oauth2(after).get("/api/v1/clients").statusCode() == 200);
        long newKeyAccepted = System.nanoTime();
        awaitTrue("the portal sends people to the login page again", () -> portal("en").statusCode() == 302);
        long signInBack = System.nanoTime();
        portal("en").then().header("Location", startsWith(KeycloakResource.baseUrl()));
        awaitTrue("the health check is UP again", () -> given().get("/q/health/well").statusCode() == 200);
        System.out.printf("identity provider back: a token with the new key accepted after %d ms, portal sign-in after %d ms%n",
                (newKeyAccepted - back) / 1_000_000, (signInBack - back) / 1_000_000);
    }

    private Response portal(String language) {
        return given().redirects().follow(false).header("Accept-Language", language).get("/portal");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + root.getPort() + path;
    }

    private static String keyId(String jwt) throws Exception {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                StandardCharsets.UTF_8);
        return JSON.readTree(header).path("kid").asText();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within " + RECOVERY.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }
}
