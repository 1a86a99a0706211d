package io.valv.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.valv.testing.S3ProxyResource;

/**
 * With {@code valv.portal.public-url} pinned, the {@code Host} header cannot steer where the identity provider
 * sends the login code or the user after sign-out: a request naming another host never reaches the OIDC login.
 */
@QuarkusTest
@TestProfile(PortalPublicUrlTest.Pinned.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class PortalPublicUrlTest {

    static final String PUBLIC = "valv.example.test";

    public static class Pinned implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("valv.portal.public-url", "http://" + PUBLIC);
        }
    }

    @Test
    void theRedirectUriNamesThePinnedHostOnly() {
        Response challenge = given().redirects().follow(false).header("Host", PUBLIC).get("/portal");
        assertEquals(302, challenge.statusCode());
        String redirectUri = URLDecoder.decode(challenge.header("Location").replaceAll(".*[?&]redirect_uri=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);
        assertEquals("http://" + PUBLIC + "/portal/callback", redirectUri);

        for (String hostile : new String[] { "evil.example", "evil.example:80", PUBLIC + ".evil.example",
                PUBLIC + ":8443", "localhost" }) {
            given().redirects().follow(false).header("Host", hostile).get("/portal").then().statusCode(421)
                    .header("Location", org.hamcrest.Matchers.nullValue())
                    .body(not(containsString("evil")));
            given().redirects().follow(false).header("Host", hostile).get("/portal/logout").then().statusCode(421);
            given().redirects().follow(false).header("Host", hostile).get("/portal/callback?state=x&code=y")
                    .then().statusCode(421);
        }
        // X-Forwarded-Host is not trusted (quarkus.http.proxy.* is off), so it cannot steer the URI either
        Response forwarded = given().redirects().follow(false).header("Host", PUBLIC)
                .header("X-Forwarded-Host", "evil.example").get("/portal");
        assertEquals(302, forwarded.statusCode());
        assertTrue(forwarded.header("Location").contains("redirect_uri=http%3A%2F%2F" + PUBLIC + "%2Fportal%2Fcallback"),
                forwarded.header("Location"));
        // the API is not the portal: it keeps answering on any host (bearer tokens carry no redirect)
        given().header("Host", "evil.example").get("/api/v1/jobs").then().statusCode(401);
    }
}
