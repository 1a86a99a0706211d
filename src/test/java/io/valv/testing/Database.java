package io.valv.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct SQL against the test database, to check what the service left behind. */
public final class Database {

    /** Same default as the %test profile; -Dvalv.test.jdbc-url points both elsewhere (parallel local runs). */
    private static final String URL = System.getProperty("valv.test.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test");

    private Database() {
    }

    public static Connection connect() throws SQLException {
        return connect("postgres");
    }

    /** The test database as another role (the machine's PostgreSQL trusts loopback connections). */
    public static Connection connect(String role) throws SQLException {
        return DriverManager.getConnection(URL, role, "");
    }

    public static boolean isStoredObject(String objectKey) {
        return count("select count(*) from material where object_key = ? and state = 'STORED'", objectKey) == 1;
    }

    public static long count(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the only row, as bytes (a {@code bytea}). */
    public static byte[] bytes(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no row");
                }
                return r.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row, as text: for failure messages that name what they found. */
    public static java.util.List<String> strings(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            java.util.List<String> rows = new java.util.ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(r.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(java.sql.PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }
}
