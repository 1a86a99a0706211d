package io.valv.portal;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.arc.Arc;
import io.quarkus.qute.EngineBuilder;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Gives every template instance created while a portal request is being served that request's locale, so
 * that {@code {msg:…}} expressions render in the reader's language without each resource remembering to set
 * it. Registered on the engine when Quarkus builds it. Templates rendered elsewhere (emails, from scheduled
 * work) are left alone: they choose their own.
 */
@ApplicationScoped
class PortalLocaleInitializer implements TemplateInstance.Initializer {

    void register(@Observes EngineBuilder builder) {
        builder.addTemplateInstanceInitializer(this);
    }

    @Override
    public void accept(TemplateInstance instance) {
        if (!Arc.container().requestContext().isActive()) {
            return;
        }
        CurrentVertxRequest request = Arc.container().instance(CurrentVertxRequest.class).get();
        Locale locale = request == null ? null : PortalLanguage.of(request.getCurrent());
        if (locale != null) {
            instance.setLocale(locale);
        }
    }
}
