package io.valv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization matrix, written out from the Javadoc of each {@link AccessPolicy} rule, not from
 * its code. Every caller carries the tenant claim {@code acme}; "own" targets client {@code acme},
 * "other" targets {@code globex}.
 */
class AccessPolicyTest {

    static final String OWN = "acme";
    static final String OTHER = "globex";

    enum Rule {
        KNOW_OF,
        READ_CLIENT,
        READ_METADATA,
        READ_CONTENT,
        UPLOAD,
        CREATE_JOB,
        COMPLETE_JOB,
        ERASE,
        SEE_EVERY_CLIENT,
        EXPORT,
        READ_CERTIFICATES,
        REQUEST_CERTIFICATE,
        ATTEST_LOCAL_COPIES,
        READ_WHOLE_AUDIT_LOG,
        READ_AUDIT_OF,
        SCHEDULE_END_OF_CONTRACT,
        CONFIRM_END_OF_CONTRACT,
        MANAGE_CLIENT_SETTINGS,
        HOLD_ASSIGNMENT;

        boolean apply(Caller c, String client, boolean assigned, boolean open) {
            return switch (this) {
                case KNOW_OF -> AccessPolicy.mayKnowOf(c, client);
                case READ_CLIENT -> AccessPolicy.mayReadClient(c, client);
                case READ_METADATA -> AccessPolicy.mayReadMetadata(c, client, assigned);
                case READ_CONTENT -> AccessPolicy.mayReadContent(c, client, assigned, open);
                case UPLOAD -> AccessPolicy.mayUpload(c, client);
                case CREATE_JOB -> AccessPolicy.mayCreateJob(c, client);
                case COMPLETE_JOB -> AccessPolicy.mayCompleteJob(c, client, assigned);
                case ERASE -> AccessPolicy.mayErase(c, client);
                case SEE_EVERY_CLIENT -> AccessPolicy.maySeeEveryClient(c);
                case EXPORT -> AccessPolicy.mayExport(c, client);
                case READ_CERTIFICATES -> AccessPolicy.mayReadCertificates(c, client);
                case REQUEST_CERTIFICATE -> AccessPolicy.mayRequestCertificate(c, client);
                case ATTEST_LOCAL_COPIES -> AccessPolicy.mayAttestLocalCopies(c, assigned);
                case READ_WHOLE_AUDIT_LOG -> AccessPolicy.mayReadWholeAuditLog(c);
                case READ_AUDIT_OF -> AccessPolicy.mayReadAuditOf(c, client);
                case SCHEDULE_END_OF_CONTRACT -> AccessPolicy.mayScheduleEndOfContract(c);
                case CONFIRM_END_OF_CONTRACT -> AccessPolicy.mayConfirmEndOfContract(c, client);
                case MANAGE_CLIENT_SETTINGS -> AccessPolicy.mayManageClientSettings(c, client);
                case HOLD_ASSIGNMENT -> AccessPolicy.mayHoldAssignment(c);
            };
        }
    }

    /** When a rule grants access, as a function of (own client, assigned, job open). */
    enum When {
        NEVER,
        ALWAYS,
        OWN_CLIENT,
        ASSIGNED,
        ASSIGNED_AND_OPEN;

        boolean holds(boolean own, boolean assigned, boolean open) {
            return switch (this) {
                case NEVER -> false;
                case ALWAYS -> true;
                case OWN_CLIENT -> own;
                case ASSIGNED -> assigned;
                case ASSIGNED_AND_OPEN -> assigned && open;
            };
        }
    }

    /**
     * The matrix, one row per role. Columns: KNOW_OF, READ_CLIENT, READ_METADATA, READ_CONTENT, UPLOAD,
     * CREATE_JOB, COMPLETE_JOB, ERASE; then SEE_EVERY_CLIENT, EXPORT, READ_CERTIFICATES, REQUEST_CERTIFICATE,
     * ATTEST_LOCAL_COPIES, READ_WHOLE_AUDIT_LOG, READ_AUDIT_OF, SCHEDULE_END_OF_CONTRACT, CONFIRM_END_OF_CONTRACT,
     * MANAGE_CLIENT_SETTINGS, HOLD_ASSIGNMENT.
     */
    static final Object[][] MATRIX = {
            // role              know_of            read_client        read_metadata      read_content                upload             create_job         complete_job       erase
            { Roles.VAULT_ADMIN, When.ALWAYS, When.ALWAYS, When.ALWAYS, When.NEVER, When.NEVER, When.ALWAYS, When.ALWAYS,
                    When.NEVER,
                    When.ALWAYS, When.NEVER, When.ALWAYS, When.ALWAYS, When.NEVER, When.NEVER, When.NEVER, When.ALWAYS,
                    When.NEVER, When.NEVER, When.NEVER },
            { Roles.STAFF, When.ALWAYS, When.NEVER, When.ASSIGNED, When.ASSIGNED_AND_OPEN, When.NEVER, When.NEVER,
                    When.ASSIGNED, When.NEVER,
                    When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.ASSIGNED, When.NEVER, When.NEVER, When.NEVER,
                    When.NEVER, When.NEVER, When.ALWAYS },
            { Roles.AUDITOR, When.ALWAYS, When.ALWAYS, When.ALWAYS, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER,
                    When.ALWAYS, When.NEVER, When.ALWAYS, When.NEVER, When.NEVER, When.ALWAYS, When.ALWAYS, When.NEVER,
                    When.NEVER, When.NEVER, When.NEVER },
            { Roles.CLIENT_UPLOADER, When.OWN_CLIENT, When.OWN_CLIENT, When.OWN_CLIENT, When.NEVER, When.OWN_CLIENT, When.NEVER,
                    When.NEVER, When.NEVER,
                    When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER,
                    When.NEVER, When.NEVER },
            { Roles.CLIENT_ADMIN, When.OWN_CLIENT, When.OWN_CLIENT, When.OWN_CLIENT, When.OWN_CLIENT, When.OWN_CLIENT,
                    When.OWN_CLIENT, When.OWN_CLIENT, When.OWN_CLIENT,
                    When.NEVER, When.OWN_CLIENT, When.OWN_CLIENT, When.OWN_CLIENT, When.NEVER, When.NEVER, When.OWN_CLIENT,
                    When.NEVER, When.OWN_CLIENT, When.OWN_CLIENT, When.NEVER },
            { "none", When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER,
                    When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER, When.NEVER,
                    When.NEVER, When.NEVER },
    };

    static Caller caller(String role, Optional<String> clientId) {
        Set<String> roles = role.equals("none") ? Set.of() : Set.of(role);
        return new Caller("user-" + role, roles, clientId);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Object[] row : MATRIX) {
            String role = (String) row[0];
            for (Rule rule : Rule.values()) {
                When when = (When) row[1 + rule.ordinal()];
                for (boolean own : new boolean[] { true, false }) {
                    for (boolean assigned : new boolean[] { true, false }) {
                        for (boolean open : new boolean[] { true, false }) {
                            rows.add(Arguments.of(role, rule, own, assigned, open, when.holds(own, assigned, open)));
                        }
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} own={2} assigned={3} open={4} -> {5}")
    @MethodSource("matrix")
    void matrixWithTenantClaim(String role, Rule rule, boolean own, boolean assigned, boolean open, boolean expected) {
        Caller c = caller(role, Optional.of(OWN));
        assertEquals(expected, rule.apply(c, own ? OWN : OTHER, assigned, open));
    }

    /** Processor-side roles normally carry no tenant claim; the outcome must not depend on it. */
    static Stream<Arguments> processorMatrix() {
        return matrix().filter(a -> {
            String role = (String) a.get()[0];
            return !role.equals(Roles.CLIENT_ADMIN) && !role.equals(Roles.CLIENT_UPLOADER);
        });
    }

    @ParameterizedTest(name = "{0} {1} own={2} assigned={3} open={4} -> {5}")
    @MethodSource("processorMatrix")
    void processorRolesWithoutTenantClaim(String role, Rule rule, boolean own, boolean assigned, boolean open,
            boolean expected) {
        Caller c = caller(role, Optional.empty());
        assertEquals(expected, rule.apply(c, own ? OWN : OTHER, assigned, open));
    }

    /** A client-side token without a tenant claim is confined to nothing: every rule denies. */
    static Stream<Arguments> clientRolesWithoutTenant() {
        List<Arguments> rows = new ArrayList<>();
        for (String role : List.of(Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER)) {
            for (Rule rule : Rule.values()) {
                for (String client : List.of(OWN, OTHER, "")) {
                    for (boolean assigned : new boolean[] { true, false }) {
                        for (boolean open : new boolean[] { true, false }) {
                            rows.add(Arguments.of(role, rule, client, assigned, open));
                        }
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} without tenant: {1} on ''{2}'' assigned={3} open={4} -> false")
    @MethodSource("clientRolesWithoutTenant")
    void clientRoleWithoutTenantClaimIsDeniedEverything(String role, Rule rule, String client, boolean assigned,
            boolean open) {
        Caller c = caller(role, Optional.empty());
        assertFalse(rule.apply(c, client, assigned, open));
    }

    @Test
    void bothClientRolesWithoutTenantClaimStillKnowNothing() {
        Caller c = new Caller("svc", Set.of(Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER), Optional.empty());
        for (Rule rule : Rule.values()) {
            assertFalse(rule.apply(c, OWN, true, true), rule.name());
        }
    }

    @ParameterizedTest(name = "staff+{0}: mayKnowOf other client is false")
    @CsvSource({ "client-uploader", "client-admin" })
    void staffCombinedWithClientRoleIsClientSideForVisibility(String clientRole) {
        Caller c = new Caller("mixed", Set.of(Roles.STAFF, clientRole), Optional.of(OWN));
        assertTrue(c.isClientSide());
        assertTrue(AccessPolicy.mayKnowOf(c, OWN));
        assertFalse(AccessPolicy.mayKnowOf(c, OTHER));
    }

    @Test
    void staffCombinedWithClientRoleWithoutTenantKnowsOfNothing() {
        Caller c = new Caller("mixed", Set.of(Roles.STAFF, Roles.CLIENT_UPLOADER), Optional.empty());
        assertFalse(AccessPolicy.mayKnowOf(c, OWN));
        assertFalse(AccessPolicy.mayKnowOf(c, OTHER));
    }

    @Test
    void auditorCombinedWithClientRoleIsStillConfinedForVisibility() {
        Caller c = new Caller("mixed", Set.of(Roles.AUDITOR, Roles.CLIENT_UPLOADER), Optional.of(OWN));
        assertFalse(AccessPolicy.mayKnowOf(c, OTHER));
    }

    @Test
    void uploaderCannotActAsAdminOfItsOwnClient() {
        Caller c = caller(Roles.CLIENT_UPLOADER, Optional.of(OWN));
        assertFalse(AccessPolicy.mayReadContent(c, OWN, true, true));
        assertFalse(AccessPolicy.mayErase(c, OWN));
        assertFalse(AccessPolicy.mayCreateJob(c, OWN));
        assertFalse(AccessPolicy.mayCompleteJob(c, OWN, true));
    }

    @Test
    void clientIdComparisonIsExact() {
        Caller c = caller(Roles.CLIENT_ADMIN, Optional.of(OWN));
        assertFalse(AccessPolicy.mayKnowOf(c, "ACME"));
        assertFalse(AccessPolicy.mayReadContent(c, "acme ", false, false));
        assertFalse(AccessPolicy.mayErase(c, "acm"));
    }

    @Test
    void unknownRoleNamesGrantNothing() {
        Caller c = new Caller("x", Set.of("admin", "VAULT-ADMIN", "Staff", "client_admin"), Optional.of(OWN));
        for (Rule rule : Rule.values()) {
            assertFalse(rule.apply(c, OWN, true, true), rule.name());
        }
    }
}
