package io.valv.portal;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the DPO's desk (access log, verification, incident report, record of processing) and of the
 * admin's registers (clients, jobs, DPAs, sub-processors, ends of contract), English by default;
 * {@code messages/desk_sv.properties} is the Swedish.
 */
@MessageBundle(value = "desk", locale = "en")
public interface DeskMessages {

    @Message("Any")
    String any();

    @Message("Cancel")
    String cancel();

    @Message("Client")
    String client();

    @Message("Job")
    String job();

    @Message("Status")
    String status();

    @Message("Previous page")
    String previous();

    @Message("Next page")
    String next();

    @Message("Page {page} of {pages}")
    String page_of(int page, int pages);

    @Message("{days} days")
    String days(int days);

    @Message("From (UTC)")
    String from_utc();

    @Message("To (UTC, exclusive)")
    String to_utc();

    @Message("Access log")
    String nav_audit();

    @Message("Verify log")
    String nav_verify();

    @Message("Incident report")
    String nav_incident_report();

    @Message("Record of processing")
    String nav_record();

    @Message("Sub-processors")
    String nav_sub_processors();

    @Message("Forbidden")
    String forbidden_title();

    @Message("These pages are for the data protection officer.")
    String forbidden_dpo();

    @Message("These pages are for the processor's admin.")
    String forbidden_admin();

    @Message("The record of processing is for the data protection officer and the admin.")
    String forbidden_record();

    @Message("{field} is not valid.")
    String invalid_field(String field);

    @Message("{field} is not a valid time (for example 2026-05-01T09:30).")
    String invalid_time(String field);

    @Message("{field} is not a valid date (for example 2026-05-01).")
    String invalid_date(String field);

    @Message("{field} is required.")
    String required_field(String field);

    @Message("Clients")
    String clients_title();

    @Message("No clients yet.")
    String clients_none();

    @Message("Id")
    String client_id();

    @Message("Id (lowercase slug)")
    String client_id_slug();

    @Message("Name")
    String client_name();

    @Message("Org. number")
    String client_org_number();

    @Message("Contact")
    String client_contact();

    @Message("Contact e-mail")
    String client_contact_email();

    @Message("Contract")
    String client_contract();

    @Message("New client")
    String client_new();

    @Message("A client can have jobs once it has an active data processing agreement (DPA).")
    String client_new_hint();

    @Message("Create client")
    String client_create();

    @Message("DPAs")
    String dpas_link();

    @Message("Offboard…")
    String offboard_link();

    @Message("Cancel offboarding")
    String offboard_cancel();

    @Message("Offboarding scheduled for {date}.")
    String offboard_scheduled_for(String date);

    @Message("Manage jobs")
    String jobs_title();

    @Message("No jobs yet.")
    String jobs_none();

    @Message("Staff")
    String job_staff();

    @Message("none")
    String job_staff_none();

    @Message("Assign staff")
    String job_assign_staff();

    @Message("Staff user name")
    String job_staff_user();

    @Message("user name")
    String job_staff_placeholder();

    @Message("Assign")
    String job_assign();

    @Message("New job")
    String job_new();

    @Message("Create a client first.")
    String job_client_first();

    @Message("Title")
    String job_title();

    @Message("Client requests reuse")
    String job_reuse();

    @Message("Create job")
    String job_create();

    @Message("The job runs under the client's active DPA.")
    String job_under_active_dpa();

    @Message("Access log")
    String audit_title();

    @Message("Every access to client material and every refusal, newest first. Searching is itself recorded in the log.")
    String audit_intro();

    @Message("Job id")
    String audit_job_id();

    @Message("Material id")
    String audit_material_id();

    @Message("Material")
    String audit_material();

    @Message("Person")
    String audit_person();

    @Message("Action")
    String audit_action();

    @Message("Outcome")
    String audit_outcome();

    @Message("Search")
    String audit_search();

    @Message("Events found: {total}")
    String audit_results(long total);

    @Message("No events match.")
    String audit_none();

    @Message("No.")
    String audit_seq();

    @Message("Time")
    String audit_time();

    @Message("Concerning")
    String audit_subject();

    @Message("Result pages")
    String audit_pages();

    @Message("Details of event {seq}")
    String audit_event_details(long seq);

    @Message("Event {seq}")
    String audit_event_title(long seq);

    @Message("Event id")
    String audit_event_id();

    @Message("Roles")
    String audit_roles();

    @Message("Acting for client")
    String audit_actor_client();

    @Message("Detail")
    String audit_detail();

    @Message("Bytes")
    String audit_bytes();

    @Message("Request id")
    String audit_request_id();

    @Message("IP address")
    String audit_ip();

    @Message("User agent")
    String audit_user_agent();

    @Message("No. in the client's chain")
    String audit_client_seq();

    @Message("Verify the access log")
    String verify_title();

    @Message("Re-checks the hash chain of every event, every client chain and every signed checkpoint. The check is recorded in the log.")
    String verify_intro();

    @Message("Verify now")
    String verify_run();

    @Message("The log is intact.")
    String verify_ok();

    @Message("The log failed verification.")
    String verify_failed();

    @Message("Events checked")
    String verify_checked_events();

    @Message("Checkpoints checked")
    String verify_checked_checkpoints();

    @Message("Last event")
    String verify_head();

    @Message("First broken event")
    String verify_first_broken();

    @Message("Reason")
    String verify_reason();

    @Message("Incident report")
    String report_title();

    @Message("Per client, the materials accessed in the window, by whom and when, with the DPAs' data categories: what a controller needs for a breach notification. It opens as a page of its own that you can print or save.")
    String report_intro();

    @Message("Clients (none ticked: all)")
    String report_clients();

    @Message("Show report")
    String report_show();

    @Message("Record of processing (Art. 30(2) GDPR)")
    String record_title();

    @Message("Download")
    String record_download();

    @Message("Processor")
    String record_processor();

    @Message("Generated")
    String record_generated();

    @Message("Processing carried out")
    String record_nature();

    @Message("Controllers")
    String record_controllers();

    @Message("No client has a DPA yet.")
    String record_none();

    @Message("Sub-processors (country, safeguard)")
    String record_recipients();

    @Message("Security measures (Art. 32)")
    String record_measures();

    @Message("DPAs of {client}")
    String dpas_title(String client);

    @Message("No DPA yet.")
    String dpas_none();

    @Message("Reference")
    String dpa_reference();

    @Message("Version")
    String dpa_version();

    @Message("In force")
    String dpa_effective();

    @Message("Data categories")
    String dpa_categories();

    @Message("special categories allowed")
    String dpa_special();

    @Message("Retention")
    String dpa_retention();

    @Message("Sub-processors")
    String dpa_sub_processors();

    @Message("Actions")
    String dpa_actions();

    @Message("Activate")
    String dpa_activate();

    @Message("Terminate…")
    String dpa_terminate_link();

    @Message("Termination scheduled for {date}.")
    String dpa_termination_scheduled(String date);

    @Message("Cancel termination")
    String dpa_termination_cancel();

    @Message("Terminated {date}")
    String dpa_terminated_on(String date);

    @Message("New DPA (draft)")
    String dpa_new();

    @Message("A new DPA is saved as a draft; activate it once it has been checked. Each version is kept.")
    String dpa_new_hint();

    @Message("Signed on")
    String dpa_signed_on();

    @Message("Effective from")
    String dpa_effective_from();

    @Message("Effective to")
    String dpa_effective_to();

    @Message("Personal data allowed")
    String dpa_personal_data();

    @Message("Special categories allowed")
    String dpa_special_categories();

    @Message("Data categories (comma-separated)")
    String dpa_categories_comma();

    @Message("Retention (days, 1–365)")
    String dpa_retention_days();

    @Message("Save draft")
    String dpa_create();

    @Message("Terminate DPA {reference}")
    String terminate_title(String reference);

    @Message("You are about to terminate DPA {reference} (version {version}) of {client}. From now on nothing new can be uploaded under it.")
    String terminate_intro(String reference, String version, String client);

    @Message("Terminate and destroy on {date}")
    String terminate_confirm(String date);

    @Message("Offboard {client}")
    String offboard_title(String client);

    @Message("You are about to offboard {client}. From now on the client takes no new material; at the end its key is destroyed.")
    String offboard_intro(String client);

    @Message("Offboard and destroy on {date}")
    String offboard_confirm(String date);

    @Message("What will be destroyed")
    String doomed_heading();

    @Message("On {date} (UTC), unless cancelled before then.")
    String doomed_when(String date);

    @Message("Stored materials: {materials}, in jobs: {jobs}.")
    String doomed_count(int materials, int jobs);

    @Message("stored materials: {count}")
    String doomed_job_materials(int count);

    @Message("Every material processed under this DPA is purged, each with a signed deletion certificate.")
    String doomed_certificates_dpa();

    @Message("All of the client's material is purged, each with a signed deletion certificate, and the client key is destroyed.")
    String doomed_certificates_client();

    @Message("Nothing to schedule: an end is already scheduled, or has taken place.")
    String end_not_schedulable();

    @Message("Waiting period")
    String wait_heading();

    @Message("Wait (days; empty: the default)")
    String wait_days();

    @Message("Reason for a shorter wait")
    String wait_reason();

    @Message("Show the date for this wait")
    String wait_update();

    @Message("Sub-processors")
    String sub_processors_title();

    @Message("The register is empty.")
    String sub_processors_none();

    @Message("Name")
    String sub_processor_name();

    @Message("Purpose")
    String sub_processor_purpose();

    @Message("Country")
    String sub_processor_country();

    @Message("Country (ISO code, e.g. SE)")
    String sub_processor_country_code();

    @Message("Transfer mechanism")
    String sub_processor_transfer();

    @Message("Register a sub-processor")
    String sub_processor_new();

    @Message("Registering announces the change to every client, effective on the date given (empty: today).")
    String sub_processor_new_hint();

    @Message("Register and announce")
    String sub_processor_register();

    @Message("Announced changes")
    String changes_title();

    @Message("No changes announced yet.")
    String changes_none();

    @Message("Announced")
    String changes_announced();

    @Message("Effective from")
    String changes_effective();

    @Message("Change")
    String changes_change();

    @Message("Description")
    String changes_description();

    @Message("Objections")
    String changes_objections();

    @Message("None")
    String changes_objections_none();

    @Message("Incident notices")
    String nav_incidents();

    @Message("Incident notices are sent by the data protection officer and the admin.")
    String forbidden_incidents();

    @Message("Notify these controllers (Art. 33(2))…")
    String report_notify();

    @Message("The notice is written and reviewed on the next page; nothing is sent before you confirm it there.")
    String report_notify_hint();

    @Message("Incident notices (Art. 33(2) GDPR)")
    String incidents_title();

    @Message("Tell each affected controller of a personal-data breach without undue delay after you become aware of it. Each client ticked is told by webhook (incident.notified) and by email, and the notice is recorded in its access log.")
    String incidents_intro();

    @Message("Notice sent to {count} clients:")
    String incidents_sent(int count);

    @Message("Notices sent")
    String incidents_list_title();

    @Message("No notice has been sent.")
    String incidents_none();

    @Message("Notified")
    String incident_notified();

    @Message("Detected (UTC)")
    String incident_detected();

    @Message("Nature of the breach")
    String incident_nature();

    @Message("Categories of data subjects")
    String incident_subject_categories();

    @Message("Approximate number of data subjects")
    String incident_subjects();

    @Message("Categories of personal data records")
    String incident_record_categories();

    @Message("Approximate number of records")
    String incident_records();

    @Message("Your best estimate; leave it empty when it is not known yet (it is sent as 0).")
    String incident_estimate_hint();

    @Message("Likely consequences")
    String incident_consequences();

    @Message("Measures taken or proposed")
    String incident_measures();

    @Message("Contact point")
    String incident_contact();

    @Message("Controllers to notify")
    String incident_clients();

    @Message("New notice")
    String incident_new();

    @Message("The fields are those of Art. 33(3). You read the notice back before it is sent.")
    String incident_new_hint();

    @Message("Review the notice")
    String incident_review();

    @Message("Check the notice before it is sent")
    String incident_review_title();

    @Message("{count} clients will be told")
    String incident_audience(int count);

    @Message("When you send it, each of these clients is told now, by webhook and by email, exactly what is shown below, and the notice is recorded in its access log. A sent notice cannot be withdrawn: a correction is a new notice.")
    String incident_review_intro();

    @Message("Send the notice to {count} clients")
    String incident_send(int count);

    @Message("Change")
    String incident_change();

    @Message("The time of detection lies in the future.")
    String incident_detected_future();
}
