package io.valv.security;

/** The OIDC roles Valv knows (docs/authorization.md). A token may carry several. */
public final class Roles {

    /** The processor's admin: clients, DPAs, jobs, assignments. Does not read content by this role. */
    public static final String VAULT_ADMIN = "vault-admin";
    /** Reads material of jobs assigned to them while the job is open. */
    public static final String STAFF = "staff";
    /** The processor's DPO: audit log, verification, incident reports. */
    public static final String AUDITOR = "auditor";
    /** A controller's person or integration: uploads into its own client's jobs. */
    public static final String CLIENT_UPLOADER = "client-uploader";
    /** A controller's admin: reads, erases, exports its own client's material. */
    public static final String CLIENT_ADMIN = "client-admin";

    private Roles() {
    }
}
