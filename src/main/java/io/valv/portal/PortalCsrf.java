package io.valv.portal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.ws.rs.NameBinding;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * CSRF protection of the portal's forms: a double-submit token. {@link PortalHttpFilter} gives every portal
 * visitor a random token in an HttpOnly, SameSite=Strict cookie scoped to {@code /portal}; each form carries
 * it as {@code {inject:csrf.parameterName}} = {@code {inject:csrf.token}} (this bean); {@link PortalCsrfFilter}
 * refuses an unsafe request to a portal resource whose form field does not match the cookie (400). A forging
 * site can neither read the cookie nor set it.
 * <p>
 * Not quarkus-rest-csrf: its filter is global and also checks the API's POSTs, which are bearer-token calls
 * that often carry a form content type with no body (curl -d '', RestAssured) and would all be refused.
 */
@Named("csrf")
@RequestScoped
public class PortalCsrf {

    static final String COOKIE = "valv-csrf";
    static final String FIELD = "csrf-token";
    static final String TOKEN = "valv.portal.csrf";
    static final String FROM_COOKIE = "valv.portal.csrf.cookie";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoutingContext rc;

    PortalCsrf(RoutingContext rc) {
        this.rc = rc;
    }

    public String getParameterName() {
        return FIELD;
    }

    /** This visitor's token, for the hidden field of a form. */
    public String getToken() {
        return rc.get(TOKEN);
    }

    /** Portal resources whose unsafe methods need the token (see {@link PortalCsrfFilter}). */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    @interface Protected {
    }

    /** Called for every request under /portal: reuses the cookie's token or hands out a new one. */
    static void issue(RoutingContext rc, boolean secure) {
        Cookie cookie = rc.request().getCookie(COOKIE);
        if (cookie != null && WELL_FORMED.matcher(cookie.getValue()).matches()) {
            rc.put(TOKEN, cookie.getValue());
            rc.put(FROM_COOKIE, true);
            return;
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        rc.put(TOKEN, token);
        rc.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/portal").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(secure || rc.request().isSSL()));
    }
}
