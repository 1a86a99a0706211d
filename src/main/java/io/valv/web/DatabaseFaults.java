package io.valv.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a database that cannot be reached (down, restarting, failing over) from a bug. The first is a
 * short, honest 503 the caller retries; the second a 500. Judged by the JDBC exceptions alone, whatever
 * Hibernate, Agroal or Narayana wrapped around them or attached to them.
 */
final class DatabaseFaults {

    /** Seconds a client is asked to wait: about one pool validation interval plus a failover. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** Bounds the walk over a pathological exception graph; real ones have a handful. */
    private static final int MAX_EXCEPTIONS_LOOKED_AT = 64;

    private DatabaseFaults() {
    }

    /**
     * Whether any cause or suppressed exception of {@code failure} says the database cannot be reached. The
     * suppressed ones count: when a commit or rollback meets a dropped connection, Narayana throws a
     * {@code RollbackException} or {@code HeuristicMixedException} that carries the resource's failure (an
     * {@code XAException} caused by the driver's {@code SQLException}) as suppressed, not as its cause.
     */
    static boolean isUnavailable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> next = new ArrayDeque<>();
        next.push(failure);
        while (!next.isEmpty() && seen.size() < MAX_EXCEPTIONS_LOOKED_AT) {
            Throwable t = next.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() != null) {
                next.push(t.getCause());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                next.push(suppressed);
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                next.push(sql.getNextException());
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception), 57P01–57P03 (administrator/crash shutdown, cannot connect
     * now: a restart in progress), 53300 (too many connections during a failover storm).
     */
    static boolean isUnavailableState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300"));
    }
}
