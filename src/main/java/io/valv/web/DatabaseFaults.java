package io.valv.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached (down, restarting, failing over) from a bug. The first is a
 * short, honest 503 the caller retries; the second a 500. Judged by the JDBC causes alone, whatever
 * Hibernate, Agroal or Narayana wrapped around them.
 */
final class DatabaseFaults {

    /** Seconds a client is asked to wait: about one pool validation interval plus a failover. */
    static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseFaults() {
    }

    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
                return true;
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
