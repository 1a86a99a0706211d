package io.valv.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL server of the test's own ({@link LocalPostgres}), so that a test can stop and start the database
 * under a running Valv without disturbing the shared one the other tests use.
 */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {

    private static LocalPostgres server;

    @Override
    public Map<String, String> start() {
        server = LocalPostgres.start();
        return Map.of("quarkus.datasource.jdbc.url", server.jdbcUrl("postgres"));
    }

    @Override
    public void stop() {
        server.destroy();
    }

    /** Stops the server (fast shutdown: open connections are closed, as in a restart or failover). */
    public static void stopServer() {
        server.stopServer();
    }

    /** Starts the server again; returns once it accepts connections. */
    public static void startServer() {
        server.startServer();
    }
}
