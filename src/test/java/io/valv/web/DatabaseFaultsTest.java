package io.valv.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import javax.transaction.xa.XAException;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.RollbackException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * An outage is told from a bug by the driver's exceptions wherever the transaction stack put them: as a cause, as
 * a suppressed exception (how Narayana reports a commit that met a dropped connection), or chained as the next
 * SQL exception.
 */
class DatabaseFaultsTest {

    private static final PSQLException LINK_LOST = new PSQLException("An I/O error occurred while sending to the backend.",
            PSQLState.CONNECTION_FAILURE);

    @Test
    void aDroppedConnectionAsTheCauseIsAnOutage() {
        assertTrue(DatabaseFaults.isUnavailable(new IllegalStateException("query failed", LINK_LOST)));
    }

    @Test
    void aCommitThatMetADroppedConnectionIsAnOutageThoughNarayanaOnlyAttachesIt() {
        // Narayana's one-phase commit failure: the resource's XAException, caused by the driver's exception,
        // added to the RollbackException as suppressed; the interceptor wraps that again
        XAException resource = new XAException(XAException.XA_RBCOMMFAIL);
        resource.initCause(LINK_LOST);
        RollbackException rollback = new RollbackException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(resource);
        assertTrue(DatabaseFaults.isUnavailable(new RuntimeException(rollback)));

        HeuristicMixedException mixed = new HeuristicMixedException();
        mixed.addSuppressed(resource);
        assertTrue(DatabaseFaults.isUnavailable(mixed));
    }

    @Test
    void aDroppedConnectionChainedAsTheNextSqlExceptionIsAnOutage() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "42601");
        batch.setNextException(LINK_LOST);
        assertTrue(DatabaseFaults.isUnavailable(batch));
    }

    @Test
    void aBugIsNotAnOutageWhateverItCarries() {
        RollbackException rollback = new RollbackException("constraint");
        rollback.addSuppressed(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertFalse(DatabaseFaults.isUnavailable(rollback));
        assertFalse(DatabaseFaults.isUnavailable(new IllegalArgumentException("no")));
    }

    @Test
    void anExceptionGraphWithACycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.addSuppressed(b);
        assertFalse(DatabaseFaults.isUnavailable(b));
    }
}
