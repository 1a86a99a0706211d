package io.valv.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL statements sent to the database together. On PostgreSQL they form one multi-statement prepared
 * statement, which the driver sends in one round trip (one Sync); elsewhere (H2, in dev mode) they run one
 * after the other. Either way they run in order, in the caller's transaction, and the first failure ends
 * the run. The chain's appends are serialized by its head lock, so their round trips add up to the log's
 * throughput: this is what keeps a group commit at three (lock, write, commit).
 */
final class RoundTrip {

    private final List<String> statements = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();
    private final List<Integer> paramCounts = new ArrayList<>();

    /** A statement with its parameters in order; a null parameter is sent as an SQL NULL. */
    RoundTrip add(String sql, List<?> statementParams) {
        statements.add(sql);
        params.addAll(statementParams);
        paramCounts.add(statementParams.size());
        return this;
    }

    boolean isEmpty() {
        return statements.isEmpty();
    }

    /**
     * Runs the statements; per statement, in order: its rows ({@code List<Object[]>}) for a query, its
     * update count ({@code Integer}) otherwise.
     */
    List<Object> run(Connection c, boolean oneRoundTrip) throws SQLException {
        List<Object> results = new ArrayList<>(statements.size());
        if (oneRoundTrip) {
            try (PreparedStatement s = c.prepareStatement(String.join(";\n", statements))) {
                bind(s, params);
                boolean isQuery = s.execute();
                while (true) {
                    if (isQuery) {
                        results.add(rows(s.getResultSet()));
                    } else if (s.getUpdateCount() >= 0) {
                        results.add(s.getUpdateCount());
                    } else {
                        break;
                    }
                    isQuery = s.getMoreResults();
                }
            }
        } else {
            int from = 0;
            for (int i = 0; i < statements.size(); i++) {
                try (PreparedStatement s = c.prepareStatement(statements.get(i))) {
                    bind(s, params.subList(from, from + paramCounts.get(i)));
                    results.add(s.execute() ? rows(s.getResultSet()) : s.getUpdateCount());
                }
                from += paramCounts.get(i);
            }
        }
        return results;
    }

    private static void bind(PreparedStatement s, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                s.setNull(i + 1, Types.NULL);
            } else {
                s.setObject(i + 1, v);
            }
        }
    }

    private static List<Object[]> rows(ResultSet r) throws SQLException {
        try (r) {
            List<Object[]> rows = new ArrayList<>();
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = r.getObject(i + 1);
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
