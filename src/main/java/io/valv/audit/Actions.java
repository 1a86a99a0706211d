package io.valv.audit;

import io.valv.audit.proof.SummaryEvents;

/**
 * The stable action names of audit events (docs/audit.md lists them). Dotted, lowercase: clients filter
 * and script on them, so a name, once used, never changes meaning.
 */
public final class Actions {

    public static final String MATERIAL_UPLOAD = "material.upload";
    /** A resumable upload was created (nothing is stored yet). */
    public static final String MATERIAL_UPLOAD_CREATE = "material.upload.create";
    /** A resumable upload ended without a stored material: terminated, expired or failed its digest. */
    public static final String MATERIAL_UPLOAD_ABANDON = "material.upload.abandon";
    public static final String MATERIAL_CONTENT_READ = "material.content.read";
    /** One chained summary of coalesced range reads: detail {@code <n> range reads ...}, bytes their total. */
    public static final String MATERIAL_CONTENT_RANGE_READS = SummaryEvents.RANGE_READS;
    public static final String MATERIAL_METADATA_READ = "material.metadata.read";
    public static final String MATERIAL_LIST = "material.list";
    public static final String MATERIAL_ERASE = "material.erase";
    public static final String MATERIAL_PURGE = "material.purge";
    /** Stored content failed its integrity check when read; outcome error, detail {@code <where>: <reason>}. */
    public static final String MATERIAL_INTEGRITY_FAILURE = "material.integrity-failure";
    /**
     * A return-of-data export of all of a client's material: detail {@code manifest sha-256 <hex>; ...} once
     * the manifest is delivered, outcome error when the export was aborted.
     */
    public static final String CLIENT_EXPORT = "client.export";
    /** The same for one job ({@code ?jobId=}). */
    public static final String JOB_EXPORT = "job.export";
    public static final String CERTIFICATE_ISSUE = "certificate.issue";
    /**
     * The public verify page was asked about a certificate: detail {@code certificate <id> matched} (on that
     * client's chain) or {@code no match} (no client: an unmatched id belongs to nobody we could name).
     */
    public static final String CERTIFICATE_VERIFY = "certificate.verify";
    public static final String JOB_CREATE = "job.create";
    public static final String JOB_ASSIGN = "job.assign";
    public static final String JOB_COMPLETE = "job.complete";
    public static final String DPA_CREATE = "dpa.create";
    public static final String DPA_ACTIVATE = "dpa.activate";
    /** The termination is carried out: everything under the DPA is marked for purge. */
    public static final String DPA_TERMINATE = "dpa.terminate";
    /** A termination is scheduled (detail: when, and the reason for a shortened wait). */
    public static final String DPA_TERMINATE_SCHEDULE = "dpa.terminate.schedule";
    public static final String DPA_TERMINATE_CANCEL = "dpa.terminate.cancel";
    /** The client admin confirms deletion before the waiting period ends. */
    public static final String DPA_TERMINATE_CONFIRM = "dpa.terminate.confirm";
    public static final String SUBPROCESSOR_REGISTER = "subprocessor.register";
    /** A client's admin objects to a sub-processor change (Art. 28(2)): the client's instruction. */
    public static final String SUBPROCESSOR_OBJECTION = "subprocessor.objection";
    public static final String CLIENT_CREATE = "client.create";
    /** The offboarding is carried out: the client key is destroyed. */
    public static final String CLIENT_OFFBOARD = "client.offboard";
    /** An offboarding is scheduled (detail: when, and the reason for a shortened wait). */
    public static final String CLIENT_OFFBOARD_SCHEDULE = "client.offboard.schedule";
    public static final String CLIENT_OFFBOARD_CANCEL = "client.offboard.cancel";
    /** The client admin confirms deletion before the waiting period ends. */
    public static final String CLIENT_OFFBOARD_CONFIRM = "client.offboard.confirm";
    /** A client admin created an upload link (detail: its limits and expiry; never its secret). */
    public static final String UPLOAD_LINK_CREATE = "uploadlink.create";
    public static final String UPLOAD_LINK_REVOKE = "uploadlink.revoke";
    /** A client admin listed a job's upload links. */
    public static final String UPLOAD_LINK_LIST = "uploadlink.list";
    /**
     * A client admin's instruction about how Valv notifies it (Art. 28(3)(a): processing on documented
     * instructions): detail {@code instruction: endpoint <id> ...}; never a signing secret or a full URL.
     */
    public static final String WEBHOOK_CREATE = "webhook.create";
    public static final String WEBHOOK_DELETE = "webhook.delete";
    public static final String WEBHOOK_ROTATE_SECRET = "webhook.rotate-secret";
    public static final String WEBHOOK_REDELIVER = "webhook.redeliver";
    public static final String WEBHOOK_UPDATE = "webhook.update";
    /** One attempt to send a notice to a client's endpoint, by the system: its outcome and HTTP status. */
    public static final String WEBHOOK_ATTEMPT = "webhook.attempt";
    /** The client's email notice setting was replaced: detail {@code instruction: events ...; language ...}. */
    public static final String EMAIL_SETTINGS_UPDATE = "email.settings.update";
    /** An incident notice to one affected client (on its chain): detail {@code incident <id> detected <at>}. */
    public static final String INCIDENT_NOTIFY = "incident.notify";
    /** The incident notices were read (client-scoped for a client admin). */
    public static final String INCIDENT_LIST = "incident.list";
    public static final String ACCESS_DENIED = "access.denied";
    /**
     * A source's refusals of one window beyond those chained one by one: detail
     * {@code <n> refusals <first> .. <last> statuses <s>,...} (docs/audit.md, "Refusals").
     */
    public static final String ACCESS_DENIED_REPEATED = "access.denied.repeated";
    /** A {@code HEAD} of content: its headers only, no byte served. */
    public static final String MATERIAL_CONTENT_HEAD = "material.content.head";
    public static final String PORTAL_SIGN_IN = "portal.sign-in";
    public static final String PORTAL_SIGN_OUT = "portal.sign-out";
    public static final String AUDIT_LIST = "audit.list";
    public static final String AUDIT_EXPORT = "audit.export";
    public static final String AUDIT_VERIFY = "audit.verify";
    public static final String AUDIT_INCIDENT_REPORT = "audit.incident-report";
    public static final String AUDIT_PROOF = "audit.inclusion-proof";

    private Actions() {
    }
}
