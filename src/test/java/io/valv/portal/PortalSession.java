package io.valv.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A browser-like session against the portal with RestAssured: keeps cookies, never follows redirects by
 * itself (tests look at each hop), and signs in through the real authorization-code flow of the portal
 * OIDC tenant against the OIDC test server. Only the provider's login form is skipped: the test server's
 * token endpoint is stubbed per user ({@link PortalTest#stubLogin}), so the code Valv exchanges decides who
 * signs in.
 */
final class PortalSession {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** Starts at /portal, is sent to the provider, comes back with {@code code} and ends on the portal. */
    static PortalSession signIn(String code) {
        PortalSession session = new PortalSession();
        Response challenge = session.get("/portal");
        assertEquals(302, challenge.statusCode(), "an anonymous visit is sent to the identity provider");
        URI authorize = URI.create(challenge.header("Location"));
        String state = query(authorize, "state");
        String redirectUri = java.net.URLDecoder.decode(query(authorize, "redirect_uri"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(redirectUri.endsWith("/portal/callback"), redirectUri);
        Response back = session.get(URI.create(redirectUri).getPath() + "?state=" + state + "&code=" + code);
        for (int hop = 0; hop < 3 && back.statusCode() == 302; hop++) {
            back = session.get(URI.create(back.header("Location")).getPath());
        }
        assertEquals(200, back.statusCode(), "signed in and back on the portal");
        return session;
    }

    RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    Response get(String path) {
        return keep(request().get(path));
    }

    /** Submits a portal form with this session's CSRF token, as the page would. */
    Response submit(String path, Map<String, String> fields) {
        RequestSpecification form = request().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("csrf-token", csrfToken());
        fields.forEach(form::formParam);
        return keep(form.post(path));
    }

    /** The CSRF token of this browser and session, as every signed-in page states it (and its forms repeat). */
    String csrfToken() {
        String page = get("/portal").then().statusCode(200).extract().asString();
        assertNotNull(cookies.get(PortalCsrf.COOKIE), "a portal visitor has a CSRF cookie");
        Matcher m = META.matcher(page);
        assertTrue(m.find(), "the page states its CSRF token");
        return m.group(1);
    }

    /** The CSRF token a page's forms carry. */
    static String formToken(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "the page carries a CSRF token");
        return m.group(1);
    }

    Response keep(Response response) {
        for (Cookie c : response.detailedCookies()) {
            if (c.getMaxAge() == 0 || c.getValue() == null || c.getValue().isEmpty()) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        }
        return response;
    }

    Map<String, String> cookies() {
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
