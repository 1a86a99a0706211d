package io.valv.dpa;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Art. 30(2) GDPR: the processor's record, one entry per controller. */
public record RecordOfProcessing(String processor, Instant generatedAt, String natureOfProcessing,
        List<Controller> controllers, List<String> securityMeasures) {

    /** Art. 32 measures Valv itself enforces; each is implemented and tested in this code base. */
    static final List<String> SECURITY_MEASURES = List.of(
            "Encryption at rest: AES-256-GCM per 1 MiB segment, per-material data keys wrapped by per-client keys "
                    + "wrapped by a master key (docs/crypto.md)",
            "Encryption in transit: TLS to clients, object store and database (deployment)",
            "Access control: OIDC authentication, role- and assignment-based authorization, tenant from the verified "
                    + "token only, deny by default (docs/authorization.md)",
            "Access log: every access and denial recorded, hash-chained, signed checkpoints (docs/audit.md)",
            "Deletion: cryptographic erase plus object deletion on job completion, expiry (max. 365 days), instruction, "
                    + "DPA termination or offboarding, with signed certificates",
            "Integrity: SHA-256 of every upload, optional client-supplied digest verified");

    public record Controller(String clientId, String name, String orgNumber, String contact, String status,
            List<Agreement> agreements) {
    }

    public record Agreement(String reference, String version, String status, LocalDate effectiveFrom,
            LocalDate effectiveTo, boolean personalDataAllowed, boolean specialCategoriesAllowed,
            List<String> dataCategories, int retentionDays, List<Transfer> subProcessors) {
    }

    /** A sub-processor that receives data, where it is, and the safeguard for transfers. */
    public record Transfer(String name, String purpose, String country, String transferMechanism) {
    }
}
