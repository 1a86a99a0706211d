package io.valv.portal;

import java.util.List;
import java.util.Locale;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The language of the browser pages: English or Swedish (the agency and most of its clients are Swedish).
 * Chosen, in this order, by the page's language switch ({@code ?lang=sv}, remembered in a cookie), the
 * cookie, the browser's {@code Accept-Language}, else English. Resolved once per request by
 * {@link PortalHttpFilter} and applied to every template by {@link PortalLocaleInitializer}.
 */
public final class PortalLanguage {

    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final Locale SWEDISH = Locale.forLanguageTag("sv");
    static final List<Locale> SUPPORTED = List.of(ENGLISH, SWEDISH);
    /** Routing-context key of this request's locale. */
    static final String KEY = "valv.portal.locale";
    static final String COOKIE = "valv-lang";
    static final String SWITCH_PARAMETER = "lang";
    private static final long ONE_YEAR_SECONDS = 365L * 24 * 3600;

    private PortalLanguage() {
    }

    /** The locale for a request; every argument may be null or junk, which falls through to the next. */
    static Locale resolve(String switchedTo, String cookie, String acceptLanguage) {
        Locale chosen = supported(switchedTo);
        if (chosen == null) {
            chosen = supported(cookie);
        }
        if (chosen == null && acceptLanguage != null) {
            chosen = fromAcceptLanguage(acceptLanguage);
        }
        return chosen == null ? ENGLISH : chosen;
    }

    /** {@code en} or {@code sv} exactly (the switch and the cookie carry nothing else), else null. */
    static Locale supported(String tag) {
        if (tag == null) {
            return null;
        }
        for (Locale locale : SUPPORTED) {
            if (locale.getLanguage().equals(tag.strip())) {
                return locale;
            }
        }
        return null;
    }

    private static Locale fromAcceptLanguage(String header) {
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(header);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (Locale.LanguageRange range : ranges) {
            String language = range.getRange().split("-", 2)[0];
            if (range.getWeight() > 0) {
                Locale locale = supported(language);
                if (locale != null) {
                    return locale;
                }
            }
        }
        return null;
    }

    /** Resolves this request's locale and remembers a switch in a cookie (not secret, so readable and Lax). */
    static void apply(RoutingContext rc, boolean secureCookies) {
        String switchedTo = rc.request().getParam(SWITCH_PARAMETER);
        Cookie cookie = rc.request().getCookie(COOKIE);
        Locale locale = resolve(switchedTo, cookie == null ? null : cookie.getValue(),
                rc.request().getHeader("Accept-Language"));
        rc.put(KEY, locale);
        if (supported(switchedTo) != null) {
            rc.response().addCookie(Cookie.cookie(COOKIE, locale.getLanguage()).setPath("/").setHttpOnly(true)
                    .setSecure(secureCookies).setSameSite(CookieSameSite.LAX).setMaxAge(ONE_YEAR_SECONDS));
        }
    }

    /** The locale {@link #apply} chose for this request, or null outside a portal request. */
    static Locale of(RoutingContext rc) {
        return rc == null ? null : rc.get(KEY);
    }
}
