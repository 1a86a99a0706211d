package io.valv.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL a machine without one runs the suite against: zonky's binaries from Maven Central, unpacked and
 * started as {@link TestPostgresSession} would (this test takes that path even where Debian's binaries exist).
 */
class LocalPostgresTest {

    @Test
    void theMavenCentralBinariesRunARealServerThatStopsAndStartsAgain() throws Exception {
        LocalPostgres pg = LocalPostgres.startWith(LocalPostgres.zonkyBinaries());
        try {
            assertTrue(LocalPostgres.accepting(pg.port()));
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("create table t (id bigint primary key, v jsonb)");
                s.execute("insert into t values (1, '{\"a\": 1}')");
                try (ResultSet r = s.executeQuery("select current_setting('server_version'), v->>'a' from t")) {
                    assertTrue(r.next());
                    assertEquals(LocalPostgres.ZONKY_VERSION.replaceAll("\\.0$", ""), r.getString(1));
                    assertEquals("1", r.getString(2));
                }
            }
            pg.stopServer();
            assertFalse(LocalPostgres.accepting(pg.port()));
            pg.startServer();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select count(*) from t")) {
                assertTrue(r.next());
                assertEquals(1, r.getInt(1), "the cluster keeps its data across a restart");
            }
        } finally {
            pg.destroy();
        }
        assertFalse(LocalPostgres.accepting(pg.port()));
    }

    @Test
    void aMissingServerIsSeenAsNotAccepting() {
        // port 1 is privileged and unused on a test machine
        assertFalse(LocalPostgres.accepting(1));
    }
}
