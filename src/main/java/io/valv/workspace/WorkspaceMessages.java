package io.valv.workspace;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The client workspace's words, English by default; {@code messages/ws_sv.properties} is the Swedish. The
 * upload script's words reach it as {@code data-msg-*} attributes of the upload form, so that it has no text
 * of its own.
 */
@MessageBundle(value = "ws", locale = "en")
public interface WorkspaceMessages {

    @Message("Workspace")
    String nav_workspace();

    @Message("Certificates")
    String nav_certificates();

    @Message("Workspace")
    String home_title();

    @Message("Open jobs")
    String home_heading();

    @Message("The open jobs of {clientId}. Choose one to upload material into it.")
    String home_intro(String clientId);

    @Message("Your organisation has no open job.")
    String home_none();

    @Message("Job")
    String col_job();

    @Message("Status")
    String col_status();

    @Message("Created")
    String col_created();

    @Message("File")
    String col_file();

    @Message("State")
    String col_state();

    @Message("Size")
    String col_size();

    @Message("Uploaded by")
    String col_uploaded_by();

    @Message("Expires")
    String col_expires();

    @Message("Action")
    String col_action();

    @Message("About")
    String col_about();

    @Message("Scope")
    String col_scope();

    @Message("Issued")
    String col_issued();

    @Message("Download")
    String col_download();

    @Message("{#when status}{#is 'open'}open{#is 'completed'}completed{#is 'cancelled'}cancelled{#else}{status}{/when}")
    String status(String status);

    @Message("{#when state}{#is 'stored'}stored{#is 'uploading'}uploading{#is 'purge-pending'}being destroyed"
            + "{#is 'purged'}destroyed{#is 'failed'}failed{#else}{state}{/when}")
    String state(String state);

    @Message("{#when scope}{#is 'material'}one material{#is 'job'}a job{#is 'client'}all material{#else}{scope}{/when}")
    String scope(String scope);

    @Message("{#if days == 1}1 day left{#else}{days} days left{/if}")
    String days_left(long days);

    @Message("Upload links")
    String upload_links();

    @Message("Upload material")
    String upload_heading();

    @Message("Does this material contain personal data?")
    String personal_data_legend();

    @Message("Required for every upload: it decides which rules of your data processing agreement apply.")
    String personal_data_help();

    @Message("Yes, it contains personal data")
    String personal_data_yes();

    @Message("No personal data")
    String personal_data_no();

    @Message("Choose files")
    String upload_choose();

    @Message("or drop files here.")
    String upload_drop();

    @Message("Start upload")
    String upload_start();

    @Message("Uploads")
    String upload_list_label();

    @Message("Choose whether the material contains personal data before you upload.")
    String upload_need_choice();

    @Message("Choose at least one file.")
    String upload_no_files();

    @Message("waiting")
    String upload_waiting();

    @Message("uploading")
    String upload_uploading();

    @Message("paused")
    String upload_paused();

    @Message("Pause")
    String upload_pause();

    @Message("Resume")
    String upload_resume();

    @Message("stored, SHA-256")
    String upload_stored();

    @Message("failed:")
    String upload_failed();

    @Message("resuming an earlier upload")
    String upload_resumed();

    @Message("Upload progress of")
    String upload_progress_label();

    @Message("left")
    String upload_left();

    @Message("This job is closed: it takes no more material.")
    String job_closed();

    @Message("Material")
    String materials_heading();

    @Message("No material in this job.")
    String materials_none();

    @Message("Erase {filename}")
    String erase_one(String filename);

    @Message("Erase all material of this job")
    String erase_job();

    @Message("Destroyed material")
    String destroyed_heading();

    @Message("Erasure is under way; certificates appear here as they are issued.")
    String destroyed_pending();

    @Message("Nothing of this job has been destroyed yet.")
    String destroyed_none();

    @Message("destroyed {at}")
    String destroyed_at(String at);

    @Message("Certificate (PDF)")
    String certificate_pdf();

    @Message("Signed certificate (CMS)")
    String certificate_cms();

    @Message("Confirm erasure")
    String confirm_title();

    @Message("This material will be destroyed:")
    String confirm_intro_one();

    @Message("All stored material of the job {title} will be destroyed:")
    String confirm_intro_job(String title);

    @Message("Erasure cannot be undone: the object and its key are destroyed, and you receive a signed certificate of deletion for each file.")
    String confirm_irreversible();

    @Message("Destroy it now")
    String confirm_button();

    @Message("Cancel")
    String confirm_cancel();

    @Message("There is no stored material to destroy.")
    String confirm_nothing();

    @Message("Certificates of deletion")
    String certificates_title();

    @Message("No certificate has been issued yet.")
    String certificates_none();

    @Message("How to verify a certificate yourself")
    String verify_heading();

    @Message("Each certificate is signed with the processor's signing certificate. Download it, and compare its SHA-256 fingerprint with the one printed in the PDF:")
    String verify_intro();

    @Message("Download the signing certificate (PEM)")
    String verify_signing_certificate();

    @Message("The PDF carries its own signature; poppler's pdfsig checks it:")
    String verify_pdf();

    @Message("The signed certificate (CMS) holds the signed statement itself; openssl checks it and writes the statement out:")
    String verify_cms();

    @Message("pdfsig answers \"Signature is Valid.\" and \"Total document signed\"; openssl answers \"Verification successful\".")
    String verify_outcome();

    @Message("Agreement")
    String nav_dpa();

    @Message("Data processing agreement")
    String dpa_title();

    @Message("Reference")
    String dpa_reference();

    @Message("Version")
    String dpa_version();

    @Message("In force")
    String dpa_effective();

    @Message("Retention")
    String dpa_retention();

    @Message("{#if days == 1}1 day after upload at most{#else}{days} days after upload at most{/if}")
    String dpa_retention_days(int days);

    @Message("Personal data")
    String dpa_personal_data();

    @Message("allowed")
    String dpa_allowed();

    @Message("not allowed")
    String dpa_not_allowed();

    @Message("Data categories")
    String dpa_categories();

    @Message("Permitted sub-processors")
    String dpa_subprocessors();

    @Message("No data processing agreement is in force for your organisation.")
    String dpa_none();

    @Message("Sub-processor changes")
    String changes_heading();

    @Message("The processor announces every change to its sub-processors before it takes effect. You may object to a change; the processor's admin sees your objection.")
    String changes_intro();

    @Message("No change has been announced.")
    String changes_none();

    @Message("takes effect {date}")
    String changes_effective(java.time.LocalDate date);

    @Message("announced {at}")
    String changes_announced(String at);

    @Message("You objected on {at} ({by}):")
    String objected(String at, String by);

    @Message("Your reason for objecting")
    String objection_reason();

    @Message("Object to this change")
    String objection_submit();

    @Message("Access log")
    String nav_access_log();

    @Message("Return of data")
    String nav_export();

    @Message("Access log")
    String log_title();

    @Message("Every access to your material and every refusal is recorded, newest first. The processor's staff are shown by pseudonym (the same person always has the same one for you); your own people by name.")
    String log_intro();

    @Message("Any job")
    String log_any_job();

    @Message("Material id")
    String log_material_id();

    @Message("Optional: the id of one file, as its page and the certificates show it.")
    String log_material_hint();

    @Message("From (UTC)")
    String log_from();

    @Message("To (UTC, exclusive)")
    String log_to();

    @Message("Show events")
    String log_filter();

    @Message("{total} events")
    String log_count(long total);

    @Message("No event matches.")
    String log_none();

    @Message("When (UTC)")
    String log_when();

    @Message("Who")
    String log_who();

    @Message("What")
    String log_what();

    @Message("Outcome")
    String log_outcome();

    @Message("Bytes")
    String log_bytes();

    @Message("Pages of the access log")
    String log_pages();

    @Message("Newer events")
    String log_previous();

    @Message("Older events")
    String log_next();

    @Message("Page {page} of {pages}")
    String log_page_of(int page, int pages);

    @Message("Check the log yourself")
    String log_export_heading();

    @Message("The export holds your events with the hash chain that links them and the latest checkpoint signed by Valv, with its public key: anyone can verify offline that no event was changed, removed or reordered.")
    String log_export_intro();

    @Message("Download the verifiable export (JSON)")
    String log_export_download();

    @Message("It holds up to 10,000 events; a larger log continues from the nextClientSeq it states (the API takes fromClientSeq). The steps to verify it are in Valv's audit documentation.")
    String log_export_more();

    @Message("Return of data")
    String export_title();

    @Message("Download everything Valv still stores for you as one ZIP archive: each file decrypted, exactly as it was uploaded, with a list of SHA-256 checksums and a manifest, both signed by the processor. Downloading deletes nothing; erasure is a separate instruction.")
    String export_intro();

    @Message("Valv stores no material of yours at the moment.")
    String export_none();

    @Message("Download everything ({files} files, {size})")
    String export_all(int files, String size);

    @Message("Material per job")
    String export_per_job();

    @Message("Files")
    String export_files();

    @Message("Download this job")
    String export_job();

    @Message("The archive is made while it downloads, so a large export takes as long as its download; your browser shows the progress.")
    String export_progress();

    @Message("Check the archive yourself")
    String export_check_heading();

    @Message("With the processor's signing certificate next to the archive, these commands check both signatures and every file; each must succeed.")
    String export_check_intro();

    @Message("If a file is missing or altered, sha256sum -c names it and fails. The last line fails when the manifest reports a file that could not be exported.")
    String export_check_outcome();

    @Message("Webhooks")
    String nav_webhooks();

    @Message("Webhooks")
    String webhooks_title();

    @Message("Valv tells your systems what happens to your material by signed HTTP POSTs (Standard Webhooks) to the endpoints registered here, each for the event types it chose. Email notices are set separately.")
    String webhooks_intro();

    @Message("No endpoint is registered.")
    String webhooks_none();

    @Message("URL")
    String col_url();

    @Message("Event types")
    String col_events();

    @Message("Sending")
    String col_enabled();

    @Message("Failing since")
    String col_failing_since();

    @Message("Previous secret signs until")
    String col_previous_until();

    @Message("on")
    String webhook_on();

    @Message("off")
    String webhook_off();

    @Message("The endpoint was deleted, with its deliveries.")
    String webhook_deleted();

    @Message("Register an endpoint")
    String webhook_new_heading();

    @Message("URL of your receiver")
    String webhook_url();

    @Message("An https address; Valv sends each notice to it as a POST with a JSON body.")
    String webhook_url_hint();

    @Message("Event types to send")
    String webhook_events_legend();

    @Message("Choose at least one.")
    String webhook_events_hint();

    @Message("{#when type}{#is 'material.stored'}a file was stored{#is 'material.expiring'}a file's retention ends soon"
            + "{#is 'material.purged'}a file was destroyed, with its certificate{#is 'certificate.issued'}a certificate of deletion was issued"
            + "{#is 'subprocessor.changed'}a change of sub-processors was announced{#is 'dpa.terminated'}the data processing agreement ended"
            + "{#is 'incident.notified'}a personal data breach was notified{#else}{type}{/when}")
    String event(String type);

    @Message("Register the endpoint")
    String webhook_create();

    @Message("The endpoint was not registered: {detail}")
    String webhook_create_error(String detail);

    @Message("Webhook endpoint")
    String webhook_title();

    @Message("Webhook endpoint registered")
    String webhook_created_title();

    @Message("New signing secret")
    String webhook_rotated_title();

    @Message("Signing secret")
    String webhook_secret_label();

    @Message("Copy the signing secret now and keep it in your receiver's configuration: it is not shown again, not here and not anywhere else. Your receiver verifies each notice's signature with it.")
    String webhook_secret_once();

    @Message("The previous secret keeps signing beside the new one until {until}, so that your receiver can switch over without missing a notice.")
    String webhook_secret_overlap(String until);

    @Message("Continue to the endpoint")
    String webhook_secret_continue();

    @Message("Registered")
    String webhook_registered();

    @Message("Notices are sent to this endpoint.")
    String webhook_sending();

    @Message("Switched off: no new notice is sent to this endpoint; those pending are held and go out, in order, when it is switched on again.")
    String webhook_held();

    @Message("Switched on.")
    String webhook_switched_on();

    @Message("Switched off.")
    String webhook_switched_off();

    @Message("Switch off")
    String webhook_switch_off();

    @Message("Switch on")
    String webhook_switch_on();

    @Message("A delivery was given up after every retry. The next successful delivery clears this.")
    String webhook_failing_hint();

    @Message("Rotate the secret")
    String webhook_rotate();

    @Message("A new secret signs from now on; the previous one keeps signing beside it for a while, and the new one is shown once.")
    String webhook_rotate_hint();

    @Message("Delete the endpoint")
    String webhook_delete();

    @Message("Deliveries")
    String deliveries_heading();

    @Message("Every notice sent or to be sent to this endpoint, newest first, with how its attempts went.")
    String deliveries_intro();

    @Message("No notice has been sent to this endpoint yet.")
    String deliveries_none();

    @Message("Created (UTC)")
    String col_time();

    @Message("Type")
    String col_type();

    @Message("Attempts")
    String col_attempts();

    @Message("Last HTTP status")
    String col_last_http();

    @Message("webhook-id")
    String col_webhook_id();

    @Message("{#when status}{#is 'pending'}pending{#is 'delivered'}delivered{#is 'failed'}failed{#else}{status}{/when}")
    String delivery_status(String status);

    @Message("next attempt {at}")
    String delivery_next(String at);

    @Message("no answer")
    String delivery_no_answer();

    @Message("Redeliver")
    String redeliver();

    @Message("Redeliver {webhookId}")
    String redeliver_label(String webhookId);

    @Message("The delivery is queued again, with the same webhook-id.")
    String redelivered();

    @Message("Delete the webhook endpoint")
    String webhook_delete_title();

    @Message("This endpoint will be deleted:")
    String webhook_delete_intro();

    @Message("{#if deliveries == 1}Its 1 delivery and its attempts are deleted with it.{#else}Its {deliveries} deliveries and their attempts are deleted with it.{/if} No notice is sent to it any more, its secret is destroyed, and deleting cannot be undone; you can register the URL again, with a new secret.")
    String webhook_delete_irreversible(int deliveries);

    @Message("Delete it now")
    String webhook_delete_button();

    @Message("Breach notices")
    String nav_incidents();

    @Message("Personal data breach notices")
    String incidents_title();

    @Message("Notices your processor sent you under GDPR Art. 33(2). As controller you decide whether to notify the supervisory authority (within 72 hours of becoming aware, Art. 33(1)) and the data subjects (Art. 34); each notice gives the details Art. 33(3) asks for.")
    String incidents_intro();

    @Message("Your processor has sent you no breach notice.")
    String incidents_none();

    @Message("Notified")
    String incident_col_notified();

    @Message("Detected")
    String incident_col_detected();

    @Message("What happened")
    String incident_col_nature();

    @Message("Window")
    String incident_col_window();

    @Message("{from} to {to}")
    String incident_window(String from, String to);

    @Message("not named")
    String incident_no_window();

    @Message("Breach notice of {notifiedAt}")
    String incident_title(String notifiedAt);

    @Message("What your processor tells you (Art. 33(3))")
    String incident_facts();

    @Message("Nature of the breach")
    String incident_nature();

    @Message("Categories of data subjects")
    String incident_subjects();

    @Message("Approximate number of data subjects")
    String incident_subjects_count();

    @Message("Categories of records")
    String incident_records();

    @Message("Approximate number of records")
    String incident_records_count();

    @Message("Likely consequences")
    String incident_consequences();

    @Message("Measures taken or proposed")
    String incident_measures();

    @Message("Contact point")
    String incident_contact();

    @Message("Notice id")
    String incident_id();

    @Message("What happened to your material in the window")
    String incident_report_heading();

    @Message("Your section of the incident report for {from} to {to} (UTC, the end excluded), from the access log. The processor's people appear as the pseudonyms your access log shows.")
    String incident_report_intro(String from, String to);

    @Message("The notice names no window of the breach, so there is no report to show. Your access log holds every access to your material.")
    String incident_report_none();

    @Message("The window holds more events than one report lists: not every access is shown here. Your access log and its export hold them all.")
    String incident_report_truncated();

    @Message("Content reads")
    String incident_content_reads();

    @Message("Bytes read")
    String incident_bytes_read();

    @Message("Refused attempts")
    String incident_refused();

    @Message("People involved")
    String incident_people();

    @Message("nobody")
    String incident_nobody();

    @Message("None of your material was accessed in the window.")
    String incident_no_material();

    @Message("(unknown, or not yours)")
    String incident_unknown_file();

    @Message("When")
    String incident_col_when();

    @Message("Who")
    String incident_col_who();

    @Message("What")
    String incident_col_what();

    @Message("Outcome")
    String incident_col_outcome();

    @Message("Reads")
    String incident_col_reads();

    @Message("Bytes")
    String incident_col_bytes();

    @Message("For your systems: the same report as JSON at")
    String incident_api();

    @Message("Open the notice of {notifiedAt}")
    String incident_open(String notifiedAt);
}
