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

    /** Manage a client's own settings (webhook endpoints, email notices): the client's admin. */
    public static boolean mayManageClientSettings(Caller caller, String clientId) {
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
