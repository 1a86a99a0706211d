package io.valv.portal;

import java.util.Locale;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import io.vertx.ext.web.RoutingContext;

/** The desk's words in this request's language, for texts made in Java (form errors, refusal pages). */
final class DeskWords {

    private DeskWords() {
    }

    static DeskMessages of(RoutingContext rc) {
        Locale locale = rc == null ? null : PortalLanguage.of(rc);
        if (locale == null || PortalLanguage.ENGLISH.getLanguage().equals(locale.getLanguage())) {
            return MessageBundles.get(DeskMessages.class);
        }
        return MessageBundles.get(DeskMessages.class, Localized.Literal.of(locale.toLanguageTag()));
    }
}
