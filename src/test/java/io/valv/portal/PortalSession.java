package io.valv.portal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.valv.testing.Tokens;

/**
 * A browser-like session against the portal with RestAssured: keeps cookies, never follows redirects by
 * itself (tests look at each hop), and signs in through the real authorization-code flow of the portal
 * OIDC tenant against the OIDC test server. Only the provider's login form is skipped: the test server's
 * token endpoint is stubbed per user ({@link PortalTest#stubLogin}), so the code Valv exchanges decides who
 * signs in.
 */
public final class PortalSession {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** Starts at /portal, is sent to the provider, comes back with {@code code} and ends on the portal. */
    public static PortalSession signIn(String code) {
        PortalSession session = new PortalSession();
        Response challenge = session.get("/portal");
        assertEquals(302, challenge.statusCode(), "an anonymous visit is sent to the identity provider");
        URI authorize = URI.create(challenge.header("Location"));
        String state = query(authorize, "state");
        String redirectUri = java.net.URLDecoder.decode(query(authorize, "redirect_uri"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(redirectUri.endsWith("/portal/callback"), redirectUri);
        Response back = session.get(URI.create(redirectUri).getPath() + "?state=" + state + "&code=" + code);
        for (int hop = 0; hop < 3 && (back.statusCode() == 302 || back.statusCode() == 303); hop++) {
            back = session.get(URI.create(back.header("Location")).getPath());
        }
        assertEquals(200, back.statusCode(), "signed in and back on the portal");
        return session;
    }

    /**
     * Makes the OIDC test server's token endpoint answer the code {@code valv-<user>} with tokens for this user
     * (acting for {@code client}, if not null) and a provider session id of its own.
     */
    public static void stubLogin(WireMockServer oidc, String user, String client, String... roles) {
        String access = Tokens.claims(user, client, roles).sign();
        // a provider session id per login, as Keycloak puts in its ID tokens
        String id = Tokens.claims(user, client, roles).audience("quarkus-web-app")
                .claim("sid", java.util.UUID.randomUUID().toString()).sign();
        oidc.stubFor(post(urlEqualTo("/auth/realms/quarkus/token")).atPriority(1)
                .withRequestBody(containing("code=valv-" + user + "&"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"access_token\":\""
                        + access + "\",\"id_token\":\"" + id + "\",\"refresh_token\":\"r-" + user
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":600}")));
    }

    public RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    public Response get(String path) {
        return keep(request().get(path));
    }

    /** Submits a portal form with this session's CSRF token, as the page would. */
    public Response submit(String path, Map<String, String> fields) {
        RequestSpecification form = request().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("csrf-token", csrfToken());
        fields.forEach(form::formParam);
        return keep(form.post(path));
    }

    /** The CSRF token of this browser and session, as every signed-in page states it (and its forms repeat). */
    public String csrfToken() {
        return csrfToken("/portal");
    }

    /** The same, read from another page (a client's people have no {@code /portal} page of their own). */
    public String csrfToken(String path) {
        String page = get(path).then().statusCode(200).extract().asString();
        assertNotNull(cookies.get(PortalCsrf.COOKIE), "a portal visitor has a CSRF cookie");
        Matcher m = META.matcher(page);
        assertTrue(m.find(), "the page states its CSRF token");
        return m.group(1);
    }

    /** The CSRF token a page's forms carry. */
    public static String formToken(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "the page carries a CSRF token");
        return m.group(1);
    }

    public Response keep(Response response) {
        for (Cookie c : response.detailedCookies()) {
            if (c.getMaxAge() == 0 || c.getValue() == null || c.getValue().isEmpty()) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        }
        return response;
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    private static String query(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        assertNotNull(null, "no " + name + " in " + uri);
        return null;
    }
}
