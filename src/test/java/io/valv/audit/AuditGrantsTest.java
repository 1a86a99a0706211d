package io.valv.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;

/**
 * The production grants of docs/audit.md, run as written against the migrated schema: a service role
 * given exactly those privileges can read and add to the access log but cannot edit, delete or truncate
 * it. The SQL is taken from the document, so the document cannot drift from what was tested.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditGrantsTest {

    private static final String ROLE = "valv_app_grants_test";
    /** PostgreSQL's SQLSTATE for "permission denied". */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @BeforeEach
    void createServiceRoleWithTheDocumentedGrants() throws Exception {
        dropRole();
        try (Connection owner = Database.connect(); Statement sql = owner.createStatement()) {
            sql.execute("create role " + ROLE + " login");
            sql.execute(documentedGrants().replace("valv_app", ROLE));
        }
    }

    @AfterEach
    void dropRole() throws SQLException {
        try (Connection owner = Database.connect(); Statement sql = owner.createStatement()) {
            if (sql.executeQuery("select 1 from pg_roles where rolname = '" + ROLE + "'").next()) {
                sql.execute("drop owned by " + ROLE);
                sql.execute("drop role " + ROLE);
            }
        }
    }

    @Test
    void theServiceRoleReadsAndAppendsButNeverRewrites() throws Exception {
        try (Connection app = Database.connect(ROLE); Statement sql = app.createStatement()) {
            sql.executeQuery("select count(*) from audit_event").next();
            sql.executeQuery("select count(*) from audit_checkpoint").next();
            // the heads move with every append: updating them is allowed (and rolled back here)
            app.setAutoCommit(false);
            assertEquals(1, sql.executeUpdate("update audit_head set seq = seq where id = 1"));
            app.rollback();
            app.setAutoCommit(true);

            for (String forbidden : new String[] {
                    "update audit_event set detail = 'edited'",
                    "delete from audit_event",
                    "truncate audit_event",
                    "update audit_checkpoint set signature = signature",
                    "delete from audit_checkpoint",
                    "delete from audit_head",
                    "delete from audit_client_head",
                    "update audit_range_read set bytes = 0",
                    "delete from audit_range_read" }) {
                SQLException e = assertThrows(SQLException.class, () -> sql.execute(forbidden), forbidden);
                assertEquals(INSUFFICIENT_PRIVILEGE, e.getSQLState(), forbidden + ": " + e.getSQLState());
            }
        }
    }

    /** The SQL block under "## Production database grants" in docs/audit.md. */
    static String documentedGrants() throws IOException {
        String doc = Files.readString(Path.of("docs/audit.md"));
        int section = doc.indexOf("## Production database grants");
        assertTrue(section >= 0, "docs/audit.md has the grants section");
        Matcher block = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(block.find(section), "the grants section has an sql block");
        return block.group(1);
    }
}
