package io.valv.portal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.ws.rs.NameBinding;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * CSRF protection of the portal's forms, three layers deep:
 * <ol>
 * <li>{@link PortalHttpFilter} refuses an unsafe request whose {@code Sec-Fetch-Site} or {@code Origin} says it
 * comes from another site (403), and any that is not an HTML form (400).</li>
 * <li>Every portal visitor gets a random secret in an HttpOnly, SameSite=Strict cookie. Over HTTPS it is named
 * {@code __Host-valv-csrf}: the browser then accepts it only Secure, from this very host, without a
 * {@code Domain}, with {@code Path=/}, so a sibling subdomain or a plain-HTTP man in the middle cannot plant
 * one.</li>
 * <li>A form carries {@code {inject:csrf.parameterName}} = {@code {inject:csrf.token}} (this bean): an HMAC,
 * under a server key, of that cookie secret and the signed-in session (subject and the provider's session
 * id). {@link PortalCsrfFilter} recomputes it (400 if it differs). A pair that an attacker can choose or
 * obtain (their own cookie and field, or a token of their own session) does not validate in the victim's
 * session, since the token is not the cookie and the attacker lacks the key.</li>
 * </ol>
 * Not quarkus-rest-csrf: its filter is global and also checks the API's POSTs, which are bearer-token calls
 * that often carry a form content type with no body (curl -d '', RestAssured) and would all be refused.
 */
@Named("csrf")
@RequestScoped
public class PortalCsrf {

    /** The cookie on plain HTTP (dev mode, tests), where a {@code __Host-} cookie would be dropped. */
    static final String COOKIE = "valv-csrf";
    /** The cookie when Secure. */
    static final String SECURE_COOKIE = "__Host-valv-csrf";
    static final String FIELD = "csrf-token";
    /** Where the workspace's upload script sends the token (the value of the page's {@code <meta name="csrf-token">}). */
    static final String HEADER = "X-CSRF-Token";
    /** Routing-context key of this browser's cookie secret, and whether it came with the request. */
    static final String SECRET = "valv.portal.csrf";
    static final String FROM_COOKIE = "valv.portal.csrf.cookie";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoutingContext rc;
    private final SecurityIdentity identity;
    private final Key key;

    PortalCsrf(RoutingContext rc, SecurityIdentity identity, Key key) {
        this.rc = rc;
        this.identity = identity;
        this.key = key;
    }

    public String getParameterName() {
        return FIELD;
    }

    /** The token for the hidden field of a form on this page: bound to this browser and this session. */
    public String getToken() {
        return key.token(rc.get(SECRET), identity);
    }

    /** Portal resources whose unsafe methods need the token (see {@link PortalCsrfFilter}). */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    public @interface Protected {
    }

    /** Called for every request under /portal: reuses the cookie's secret or hands out a new one. */
    static void issue(RoutingContext rc, boolean secureConfigured) {
        boolean secure = secureConfigured || rc.request().isSSL();
        Cookie cookie = rc.request().getCookie(cookieName(secure));
        if (cookie != null && WELL_FORMED.matcher(cookie.getValue()).matches()) {
            rc.put(SECRET, cookie.getValue());
            rc.put(FROM_COOKIE, true);
            return;
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        rc.put(SECRET, secret);
        rc.response().addCookie(cookie(secret, secure));
    }

    static String cookieName(boolean secure) {
        return secure ? SECURE_COOKIE : COOKIE;
    }

    /**
     * The CSRF cookie. Secure: {@code __Host-} prefix, hence {@code Path=/} (the prefix demands it; the API
     * ignores cookies, see io.valv.security.OidcTenantByPath). Plain HTTP: scoped to {@code /portal}.
     */
    static Cookie cookie(String secret, boolean secure) {
        return Cookie.cookie(cookieName(secure), secret).setPath(secure ? "/" : "/portal").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(secure);
    }

    /** The server key of the tokens, one per process, from {@link PortalConfig#csrfKey()}. */
    @ApplicationScoped
    static class Key {

        private static final String LABEL = "valv portal csrf v1";
        private final SecretKeySpec key;

        Key(PortalConfig config) {
            byte[] material = config.csrfKey().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
                byte[] random = new byte[32];
                RANDOM.nextBytes(random);
                return random;
            });
            // a key of its own, derived under a label, so that the configured secret is never used directly
            this.key = new SecretKeySpec(hmac(new SecretKeySpec(material, "HmacSHA256"), LABEL), "HmacSHA256");
        }

        /** HMAC of the cookie secret, the subject and the provider session id ({@code sid}, if any). */
        String token(String browserSecret, SecurityIdentity identity) {
            if (browserSecret == null) {
                return null;
            }
            String subject = identity == null || identity.isAnonymous() ? "" : identity.getPrincipal().getName();
            Object sid = identity != null && identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("sid")
                    : null;
            String bound = browserSecret + '\n' + subject + '\n' + (sid == null ? "" : sid.toString());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, bound));
        }

        private static byte[] hmac(SecretKeySpec key, String data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }
    }
}
