package io.valv.portal;

import java.util.Locale;

import io.quarkus.arc.Arc;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * The staff bundle in the language of the request being served, for the words that Java code hands to a page
 * (message and error pages). Templates need none of this: their locale is set by {@link PortalLocaleInitializer}.
 */
final class StaffTexts {

    private StaffTexts() {
    }

    static StaffMessages now() {
        Locale locale = null;
        if (Arc.container().requestContext().isActive()) {
            CurrentVertxRequest request = Arc.container().instance(CurrentVertxRequest.class).get();
            locale = request == null ? null : PortalLanguage.of(request.getCurrent());
        }
        if (locale == null || locale.equals(PortalLanguage.ENGLISH)) {
            return MessageBundles.get(StaffMessages.class);
        }
        return MessageBundles.get(StaffMessages.class, Localized.Literal.of(locale.toLanguageTag()));
    }
}
