package io.valv.portal;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the portal's frame (header, navigation, footer, language switch), English by default;
 * {@code messages/msg_sv.properties} is the Swedish. Each page family keeps its own bundle beside its
 * resource, so that a page's words live with the page.
 */
@MessageBundle(value = "msg", locale = "en")
public interface PortalMessages {

    /** The value of {@code <html lang>}: the language the page is in. */
    @Message("en")
    String lang_code();

    @Message("Skip to content")
    String skip_to_content();

    @Message("Main navigation")
    String nav_label();

    @Message("Jobs")
    String nav_jobs();

    @Message("Clients")
    String nav_clients();

    @Message("Manage jobs")
    String nav_manage_jobs();

    @Message("Sign out")
    String sign_out();

    @Message("Language")
    String language_label();

    @Message("Valv keeps client material encrypted, shows who touched it, and destroys it when the job is done.")
    String footer();
}
