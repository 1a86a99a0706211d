package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * Tampering directly in PostgreSQL — an edited detail, a deleted row, two swapped seqs — is named by
 * verification. Each case restores the rows exactly, since the other test classes share the chain.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditTamperTest {

    static JsonPath verify() {
        return given().auth().oauth2(Tokens.auditor()).get("/api/v1/audit/verify").then().statusCode(200).extract()
                .jsonPath();
    }

    static void assertIntact() {
        JsonPath v = verify();
        assertTrue(v.getBoolean("ok"), v.prettify());
    }

    static void assertBrokenAt(long seq) {
        JsonPath v = verify();
        assertFalse(v.getBoolean("ok"));
        assertEquals(seq, v.getLong("firstBrokenSeq"), v.prettify());
    }

    /** An event in the middle of the chain, with a client (so both chains are at stake). */
    static long victim() throws Exception {
        World world = World.create();
        Uploads.upload(world, "a.wav", Uploads.randomBytes(10, 12));
        return Database.count("select max(seq) from audit_event where client_id is not null") - 2;
    }

    @Test
    void anEditedDetailIsNamed() throws Exception {
        long k = victim();
        assertIntact();
        try (Connection c = Database.connect()) {
            String original;
            try (PreparedStatement s = c.prepareStatement("select detail from audit_event where seq = ?")) {
                s.setLong(1, k);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    original = r.getString(1);
                }
            }
            try (Connection held = holdCheckpoints()) {
                update(c, "update audit_event set detail = 'nothing to see' where seq = ?", k);
                try {
                    assertBrokenAt(k);
                } finally {
                    try (PreparedStatement s = c.prepareStatement("update audit_event set detail = ? where seq = ?")) {
                        s.setString(1, original);
                        s.setLong(2, k);
                        s.executeUpdate();
                    }
                }
            }
        }
        assertIntact();
    }

    @Test
    void aDeletedEventIsNamed() throws Exception {
        long k = victim();
        try (Connection c = Database.connect(); Statement s = c.createStatement(); Connection held = holdCheckpoints()) {
            s.execute("create temporary table removed as select * from audit_event where seq = " + k);
            s.execute("delete from audit_event where seq = " + k);
            try {
                assertBrokenAt(k);
            } finally {
                s.execute("insert into audit_event select * from removed");
            }
        }
        assertIntact();
    }

    @Test
    void swappedSeqsAreNamed() throws Exception {
        long k = victim();
        try (Connection c = Database.connect(); Connection held = holdCheckpoints()) {
            swap(c, k);
            try {
                assertBrokenAt(k);
            } finally {
                swap(c, k);
            }
        }
        assertIntact();
    }

    /**
     * Holds the checkpoint lock until closed: no checkpoint or tree head is signed while a row is tampered
     * with, or it would sign the tampered state, and the restored log would then differ from a signed head
     * for good (and fail every later test). The signer's bounded lock wait times out and it retries later.
     */
    static Connection holdCheckpoints() throws Exception {
        Connection held = Database.connect();
        held.setAutoCommit(false);
        try (Statement s = held.createStatement()) {
            s.execute("select id from audit_checkpoint_lock where id = 1 for update");
        }
        return held;
    }

    private static void swap(Connection c, long k) throws Exception {
        update(c, "update audit_event set seq = -1 where seq = ?", k);
        update(c, "update audit_event set seq = ? where seq = ?", k, k + 1);
        update(c, "update audit_event set seq = ? where seq = -1", k + 1);
    }

    private static void update(Connection c, String sql, long... args) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setLong(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
