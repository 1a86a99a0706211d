package io.valv.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.Cookie;

/** The CSRF cookie's attributes and the portal's origin rules, without booting Quarkus. */
class PortalCsrfCookieTest {

    @Test
    void overHttpsTheCookieIsAHostPrefixedCookie() {
        Cookie secure = PortalCsrf.cookie("AAAAAAAAAAAAAAAAAAAAAA", true);
        String header = secure.encode();
        // __Host-: the browser takes it only Secure, with Path=/ and no Domain, set by this very host
        assertTrue(header.startsWith("__Host-valv-csrf=AAAAAAAAAAAAAAAAAAAAAA"), header);
        assertTrue(header.contains("; Path=/;") || header.contains("; Path=/"), header);
        assertFalse(header.contains("Path=/portal"), header);
        assertFalse(header.contains("Domain"), header);
        assertTrue(header.contains("; Secure"), header);
        assertTrue(header.contains("; HTTPOnly") || header.contains("; HttpOnly"), header);
        assertTrue(header.contains("SameSite=Strict"), header);

        Cookie plain = PortalCsrf.cookie("AAAAAAAAAAAAAAAAAAAAAA", false);
        assertEquals("valv-csrf", plain.getName());
        assertEquals("/portal", plain.getPath());
    }

    @Test
    void onlyTheSameOriginPasses() {
        String own = "https://valv.example.com";
        assertFalse(PortalHttpFilter.isCrossSite(null, null, own), "not a browser: left to the token check");
        assertFalse(PortalHttpFilter.isCrossSite("same-origin", own, own));
        assertFalse(PortalHttpFilter.isCrossSite(null, "HTTPS://VALV.EXAMPLE.COM", own));
        assertTrue(PortalHttpFilter.isCrossSite("same-site", own, own));
        assertTrue(PortalHttpFilter.isCrossSite("cross-site", null, own));
        assertTrue(PortalHttpFilter.isCrossSite("none", null, own));
        assertTrue(PortalHttpFilter.isCrossSite(null, "null", own));
        // what Chromium sends for the portal's own form under Referrer-Policy: no-referrer (PortalBrowserTest)
        assertFalse(PortalHttpFilter.isCrossSite("same-origin", "null", own));
        assertTrue(PortalHttpFilter.isCrossSite("same-origin", "https://evil.example", own));
        assertTrue(PortalHttpFilter.isCrossSite(null, "http://valv.example.com", own), "another scheme");
        assertTrue(PortalHttpFilter.isCrossSite(null, "https://valv.example.com.evil.example", own));
    }

    @Test
    void thePinnedPublicUrlDecidesTheHostAndTheOrigin() {
        URI pinned = URI.create("https://valv.example.com");
        assertTrue(PortalHttpFilter.sameAuthority(pinned, URI.create("http://valv.example.com/portal")),
                "behind a TLS-terminating proxy the scheme differs, the host does not");
        assertTrue(PortalHttpFilter.sameAuthority(pinned, URI.create("http://VALV.example.com:443/portal")));
        assertFalse(PortalHttpFilter.sameAuthority(pinned, URI.create("http://evil.example/portal")));
        assertFalse(PortalHttpFilter.sameAuthority(pinned, URI.create("http://valv.example.com:8443/portal")));
        assertEquals("https://valv.example.com", PortalHttpFilter.origin(URI.create("https://valv.example.com:443")));
        assertEquals("http://127.0.0.1:8080", PortalHttpFilter.origin(URI.create("http://127.0.0.1:8080/portal/x")));
    }
}
