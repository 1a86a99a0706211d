package io.valv.uploadlink;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the upload-link pages (the sender's page and the client admin's list), English by default;
 * {@code messages/link_sv.properties} is the Swedish. The sender's script takes its words from data attributes
 * of the page, so they come from here too.
 */
@MessageBundle(value = "link", locale = "en")
public interface LinkMessages {

    @Message("Upload files")
    String upload_title();

    @Message("Upload files")
    String upload_heading();

    @Message("Message from the recipient")
    String note_heading();

    @Message("What this link takes")
    String limits_heading();

    @Message("Files left")
    String files_left();

    @Message("Size left")
    String bytes_left();

    @Message("Link valid until")
    String valid_until();

    @Message("Does this material contain personal data?")
    String personal_legend();

    @Message("Yes, it contains personal data")
    String personal_yes();

    @Message("No, it contains no personal data")
    String personal_no();

    @Message("Files")
    String files_legend();

    @Message("Choose files")
    String choose_files();

    @Message("or drag and drop them here. Uploads resume where they stopped if the connection breaks.")
    String drop_hint();

    @Message("Start upload")
    String start();

    @Message("Your uploads on this page")
    String uploads_heading();

    @Message("The recipient sees what you upload; this page shows nothing of it once you leave.")
    String privacy_hint();

    @Message("Choose whether the material contains personal data.")
    String js_choose_personal();

    @Message("Choose at least one file.")
    String js_choose_files();

    @Message("file(s) chosen.")
    String js_files_chosen();

    @Message("Uploading")
    String js_uploading();

    @Message("Paused")
    String js_paused();

    @Message("Stored")
    String js_done();

    @Message("Failed: the link refused this file (limit reached, or the link no longer works).")
    String js_refused();

    @Message("Failed: the connection broke; press Resume to continue.")
    String js_failed();

    @Message("Pause")
    String js_pause();

    @Message("Resume")
    String js_resume();

    @Message("left")
    String js_left();

    @Message("Upload progress")
    String js_progress();

    @Message("This upload link does not work")
    String gone_title();

    @Message("The link has expired, was withdrawn or used up, or no longer leads anywhere. Ask the person who sent it to you for a new link.")
    String gone_text();

    @Message("Too many requests")
    String limited_title();

    @Message("Too many requests came through this link or from your network. Wait a minute and try again.")
    String limited_text();

    @Message("Upload links")
    String links_title();

    @Message("Upload links for {title}")
    String links_heading(String title);

    @Message("An upload link lets someone without an account upload files into this job, and nothing else. Send it only to the person who holds the material.")
    String links_intro();

    @Message("New upload link")
    String create_heading();

    @Message("Valid until (at most 30 days)")
    String field_expires();

    @Message("Maximum total size")
    String field_max_size();

    @Message("Unit")
    String field_unit();

    @Message("Maximum number of files")
    String field_max_files();

    @Message("Note to the sender (optional)")
    String field_note();

    @Message("Create link")
    String create_button();

    @Message("The new link. Copy it now: it is shown only this once.")
    String created_label();

    @Message("Links")
    String list_heading();

    @Message("No upload link has been made for this job.")
    String list_empty();

    @Message("Note")
    String col_note();

    @Message("Limits")
    String col_limits();

    @Message("Valid until")
    String col_expires();

    @Message("Uses")
    String col_uses();

    @Message("State")
    String col_state();

    @Message("{files} of {maxFiles} files")
    String limit_files(long files, int maxFiles);

    @Message("Last used {when}")
    String last_used(String when);

    @Message("Not used yet")
    String never_used();

    @Message("Active")
    String state_active();

    @Message("Revoked")
    String state_revoked();

    @Message("Not usable")
    String state_inactive();

    @Message("Revoke")
    String revoke_button();

    @Message("Revoke this upload link? Whoever holds it can then upload nothing more.")
    String revoke_confirm();

    @Message("Revoke the link valid until {when}")
    String revoke_label(String when);

    @Message("Could not create the link: {reason}")
    String create_error(String reason);
}
