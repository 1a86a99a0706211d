package io.valv.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives every test JVM (surefire's and failsafe's forks) a PostgreSQL before the first test: the server the
 * {@code %test} profile names (127.0.0.1:5432, database {@code test}) when the tests can use it, any server that
 * {@code -Dvalv.test.jdbc-url} names, or else a {@link LocalPostgres} of the run's own with a {@code test}
 * database, whose URL it sets as {@code valv.test.jdbc-url} for the profile and the test helpers. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public class TestPostgresSession implements LauncherSessionListener {

    static final String URL_PROPERTY = "valv.test.jdbc-url";
    /** The {@code %test} profile's default (application.properties). */
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private LocalPostgres local;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty(URL_PROPERTY) != null) {
            return;
        }
        String unusable = unusable(DEFAULT_URL);
        if (unusable == null) {
            return;
        }
        local = LocalPostgres.start();
        try (Connection c = DriverManager.getConnection(local.jdbcUrl("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("create database test");
        } catch (SQLException e) {
            local.destroy();
            throw new IllegalStateException("could not create the test database on the local PostgreSQL", e);
        }
        System.setProperty(URL_PROPERTY, local.jdbcUrl("test"));
        System.out.println("Tests use a PostgreSQL of their own on port " + local.port() + " (" + DEFAULT_URL + ": "
                + unusable + ")");
    }

    /** Why the tests cannot use this database as user {@code postgres}, or null when they can. */
    private static String unusable(String url) {
        if (!LocalPostgres.accepting(5432)) {
            return "nothing accepts connections";
        }
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return null;
        } catch (SQLException e) {
            return "cannot connect, SQL state " + e.getSQLState();
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (local != null) {
            local.destroy();
            System.clearProperty(URL_PROPERTY);
            local = null;
        }
    }
}
