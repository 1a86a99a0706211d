package io.valv.security;

/**
 * Valv's authorization rules as pure functions of the caller and the facts about the target, so that
 * the whole matrix (docs/authorization.md) is unit-testable. Deny by default: every rule lists who is
 * allowed, never who is refused.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    /**
     * Whether the caller may learn that something of this client exists. Client-side callers see only
     * their own client; for them everything else is "not found", never "forbidden".
     */
    public static boolean mayKnowOf(Caller caller, String clientId) {
        if (caller.isClientSide()) {
            return caller.clientId().map(clientId::equals).orElse(false);
        }
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR) || caller.has(Roles.STAFF);
    }

    /** Client records and their DPAs: the processor's admin and DPO, and the client's own admin. */
    public static boolean mayReadClient(Caller caller, String clientId) {
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR)
                || caller.actsFor(clientId, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER);
    }

    /** Job and material metadata (never content). */
    public static boolean mayReadMetadata(Caller caller, String clientId, boolean assignedToCaller) {
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR)
                || caller.actsFor(clientId, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER)
                || (caller.has(Roles.STAFF) && assignedToCaller);
    }

    /**
     * Plaintext content: staff assigned to the job while it is open, or the client's own admin (return
     * of its data). The processor's admin and DPO do not read content by virtue of their roles.
     */
    public static boolean mayReadContent(Caller caller, String clientId, boolean assignedToCaller, boolean jobOpen) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN) || (caller.has(Roles.STAFF) && assignedToCaller && jobOpen);
    }

    /**
     * Whether a job assignment counts for this caller: only staff hold assignments, so a subject listed on a
     * job who holds no staff role (a renamed account, a client user with the same name) is not assigned.
     * Staff see the jobs they are assigned to and no others of the processor's.
     */
    public static boolean mayHoldAssignment(Caller caller) {
        return caller.has(Roles.STAFF);
    }

    /** Upload into a job of the caller's own client. */
    public static boolean mayUpload(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN);
    }

    /** Create a job: the processor's admin, or the client's admin for its own client. */
    public static boolean mayCreateJob(Caller caller, String clientId) {
        return caller.has(Roles.VAULT_ADMIN) || caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Complete a job: assigned staff, the processor's admin, or the client's admin. */
    public static boolean mayCompleteJob(Caller caller, String clientId, boolean assignedToCaller) {
        return caller.has(Roles.VAULT_ADMIN) || caller.actsFor(clientId, Roles.CLIENT_ADMIN)
                || (caller.has(Roles.STAFF) && assignedToCaller);
    }

    /** Erasure instruction for a material: the client's admin. */
    public static boolean mayErase(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /**
     * Schedule or cancel an end of contract (offboarding, DPA termination): the processor's admin only; the
     * controller cannot stop the processor ending a contract, nor end it for the processor.
     */
    public static boolean mayScheduleEndOfContract(Caller caller) {
        return caller.has(Roles.VAULT_ADMIN);
    }

    /**
     * Confirm a scheduled end of contract before its waiting period is over ("delete now, we have our data"):
     * the controller's admin, whose choice Art. 28(3)(g) makes it.
     */
    public static boolean mayConfirmEndOfContract(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Raise an incident notice to controllers (Art. 33(2)): the processor's admin or its DPO. */
    public static boolean mayRaiseIncident(Caller caller) {
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR);
    }

    /** Every incident notice, whichever clients it names: the processor's admin and DPO. */
    public static boolean mayReadAllIncidents(Caller caller) {
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR);
    }

    /**
     * Every affected client's section of the report a notice links: the DPO, who reads the whole access log
     * (the processor's admin raises notices but reads no access log, so not through a notice either).
     */
    public static boolean mayReadEveryIncidentReport(Caller caller) {
        return caller.has(Roles.AUDITOR);
    }

    /** The incident notices naming this client: the client's admin (the controller who must act on them). */
    public static boolean mayReadClientIncidents(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Manage a client's own settings (webhook endpoints, email notices): the client's admin. */
    public static boolean mayManageClientSettings(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Every client and every job, whatever their client: the processor's admin and DPO (metadata only). */
    public static boolean maySeeEveryClient(Caller caller) {
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR);
    }

    /** Return of data (the signed export of what is still stored): the client's admin. */
    public static boolean mayExport(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Certificates of deletion, to read: the processor's admin and DPO, and the client's admin for its own. */
    public static boolean mayReadCertificates(Caller caller, String clientId) {
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR) || caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Ask for a summary certificate: the client's admin, or the processor's admin on its behalf. */
    public static boolean mayRequestCertificate(Caller caller, String clientId) {
        return caller.has(Roles.VAULT_ADMIN) || caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** "I have deleted my local copies": staff assigned to the job, about themselves. */
    public static boolean mayAttestLocalCopies(Caller caller, boolean assignedToCaller) {
        return caller.has(Roles.STAFF) && assignedToCaller;
    }

    /** The access log of every client, with names, and looking a person up in it: the DPO. */
    public static boolean mayReadWholeAuditLog(Caller caller) {
        return caller.has(Roles.AUDITOR);
    }

    /** The access log of one client's material (staff as pseudonyms): the DPO, and the client's own admin. */
    public static boolean mayReadAuditOf(Caller caller, String clientId) {
        return caller.has(Roles.AUDITOR) || (clientId != null && caller.actsFor(clientId, Roles.CLIENT_ADMIN));
    }

    /**
     * Create, list and revoke upload links into a job of this client: the client's admin. A link lets whoever
     * holds it upload into that job, so it is the admin's choice, like who gets an uploader account.
     */
    public static boolean mayManageUploadLinks(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Object to a sub-processor change (Art. 28(2)): the controller's admin, for its own client. */
    public static boolean mayObjectToSubProcessorChange(Caller caller, String clientId) {
        return caller.actsFor(clientId, Roles.CLIENT_ADMIN);
    }

    /** Read the clients' objections to sub-processor changes: the processor's admin and DPO. */
    public static boolean mayReadSubProcessorObjections(Caller caller) {
        return caller.has(Roles.VAULT_ADMIN) || caller.has(Roles.AUDITOR);
    }
}
