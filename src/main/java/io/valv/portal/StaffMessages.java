package io.valv.portal;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the staff pages (jobs, a job with its player, material viewer, messages and errors), English by
 * default; {@code messages/staff_sv.properties} is the Swedish. Templates use {@code {staff:key}}; Java code
 * that passes words to a page gets the bundle in the request's language from {@link StaffTexts}.
 */
@MessageBundle(value = "staff", locale = "en")
public interface StaffMessages {

    // --- jobs -------------------------------------------------------------------------------------

    @Message("Jobs")
    String jobs_title();

    @Message("All jobs")
    String jobs_heading_all();

    @Message("My assigned jobs")
    String jobs_heading_mine();

    @Message("There are no jobs yet.")
    String jobs_empty_all();

    @Message("No job is assigned to you.")
    String jobs_empty_mine();

    @Message("Job")
    String column_job();

    @Message("Client")
    String column_client();

    @Message("Status")
    String column_status();

    @Message("Created")
    String column_created();

    /** A job's status as shown; the CSS class keeps the API's value. */
    @Message("{#when status}{#is 'open'}open{#is 'completed'}completed{#is 'cancelled'}cancelled{#else}{status}{/when}")
    String job_status(String status);

    // --- a job ------------------------------------------------------------------------------------

    @Message("Closed")
    String fact_closed();

    @Message("Staff")
    String fact_staff();

    @Message("none")
    String staff_none();

    @Message("Reuse")
    String fact_reuse();

    @Message("requested by the client: material is kept until it expires")
    String reuse_requested();

    @Message("not requested: material is destroyed when the job is completed")
    String reuse_not_requested();

    @Message("Material")
    String material_heading();

    @Message("{#when state}{#is 'stored'}stored{#is 'uploading'}uploading{#is 'failed'}failed{#is 'purge-pending'}being destroyed{#is 'purged'}destroyed{#else}{state}{/when}")
    String material_state(String state);

    @Message("uploaded {at}")
    String material_uploaded(String at);

    @Message("expires {at}")
    String material_expires(String at);

    @Message("Download")
    String download();

    @Message("View with watermark")
    String view();

    @Message("No material in this job.")
    String no_material();

    @Message("When you are done")
    String done_heading();

    @Message("You attested on {at} that you have deleted your local copies of this job's material.")
    String attested(String at);

    @Message("Copies you made on your own computer are yours to delete. Say so here: the attestation is recorded and named on the certificates of deletion.")
    String attest_explain();

    @Message("I have deleted my local copies")
    String attest_button();

    @Message("Completing the job ends access to its material{#if destroys} and destroys it{/if}.")
    String complete_explain(boolean destroys);

    @Message("Mark this job complete? Its material can then no longer be played or downloaded.")
    String complete_confirm();

    @Message("Mark job complete")
    String complete_button();

    // --- the player -------------------------------------------------------------------------------

    @Message("Player: {filename}")
    String player_label(String filename);

    @Message("Play")
    String player_play();

    @Message("Pause")
    String player_pause();

    @Message("Back")
    String player_back();

    @Message("Forward")
    String player_forward();

    @Message("Speed")
    String player_speed();

    @Message("Speed {rate}×")
    String player_speed_now(String rate);

    @Message("Position")
    String player_position();

    @Message("Current time")
    String player_time();

    @Message("Copy timestamp")
    String player_copy();

    @Message("Timestamp {time} copied")
    String player_copied(String time);

    @Message("Timestamp {time} selected: press Ctrl+C to copy")
    String player_selected(String time);

    @Message("Buffered: the parts of the recording already fetched")
    String player_buffered();

    @Message("Notes")
    String notes_label();

    @Message("Your notes stay in this browser tab: they are never sent to Valv nor saved, and are gone when you leave or reload the page.")
    String notes_hint();

    @Message("Player settings and shortcuts")
    String settings_heading();

    @Message("The shortcuts work anywhere on this page, also while you type in the notes, so that a foot pedal that sends keys can drive the player. Click a shortcut field and press the key or key combination; Delete clears it. Settings are kept in this browser only.")
    String settings_hint();

    @Message("Skip back (seconds)")
    String settings_skip_back();

    @Message("Skip forward (seconds)")
    String settings_skip_forward();

    @Message("Rewind on resume (seconds)")
    String settings_rewind();

    @Message("Keyboard shortcuts")
    String settings_shortcuts();

    @Message("Play / pause")
    String shortcut_toggle();

    @Message("Skip back")
    String shortcut_back();

    @Message("Skip forward")
    String shortcut_forward();

    @Message("Slower")
    String shortcut_slower();

    @Message("Faster")
    String shortcut_faster();

    @Message("Copy timestamp")
    String shortcut_copy();

    @Message("Save settings")
    String settings_save();

    @Message("Restore defaults")
    String settings_reset();

    @Message("Settings saved.")
    String settings_saved();

    @Message("Your name and this job are shown over the page: a reminder that what you see here is confidential and traceable to you.")
    String watermark_notice();

    // --- the material viewer ----------------------------------------------------------------------

    @Message("Back to the job")
    String view_back();

    @Message("This kind of file cannot be shown in the browser. Download it from the job page if you need it.")
    String view_unsupported();

    // --- messages and errors ----------------------------------------------------------------------

    @Message("Sign in")
    String sign_in();

    @Message("Back to the portal")
    String back_to_portal();

    @Message("Signed out")
    String signed_out_title();

    @Message("You have signed out of the Valv portal.")
    String signed_out_text();

    @Message("Session expired")
    String session_expired_title();

    @Message("Your session has expired. Sign in again to continue.")
    String session_expired_text();

    @Message("Sign-in is unavailable")
    String sign_in_unavailable_title();

    @Message("The sign-in service is not answering right now, so Valv cannot sign you in. Nothing is lost: uploads and files already sent are safe. Try again in a minute.")
    String sign_in_unavailable_text();

    @Message("Forbidden")
    String forbidden_title();

    @Message("Your role does not allow this. The portal is for the processor's staff.")
    String forbidden_text();

    @Message("Your role does not allow this. The workspace is for the client's uploaders and admin.")
    String forbidden_workspace();

    @Message("Only the client's admin manages upload links.")
    String forbidden_links();

    /** The heading of an error page; the service's own detail follows it. */
    @Message("{#when status}{#is 400}Bad request{#is 403}Forbidden{#is 404}Not found{#is 409}Conflict{#is 410}Gone{#is 422}Not possible{#else}Something went wrong{/when}")
    String error_title(int status);
}
