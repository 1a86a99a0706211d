package io.valv.web;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.http.HttpServerRequest;

/**
 * What a replica does with its transfers when it is told to stop (SIGTERM, as in a Kubernetes rolling update).
 * <ol>
 * <li>The shutdown begins ({@link ShutdownDelayInitiatedEvent}): readiness turns DOWN and {@link TransferLimit}
 * refuses every new upload and download with {@code 503 shutting-down} and {@code Retry-After}, before anything is
 * read, so the client takes it to another replica. Short requests are still served.</li>
 * <li>Quarkus waits up to {@code quarkus.shutdown.timeout} for the requests in flight: a transfer that ends within
 * it ends normally.</li>
 * <li>What is still running then is cut off ({@link ShutdownEvent}, before the database and the store close): the
 * connection of each transfer is closed, so the upload behind it fails the way a client gone away fails — a
 * one-shot upload aborts its multipart upload and removes its row, a resumable one keeps its durable offset and
 * releases its lease for the next replica — and the shutdown waits for that clean-up, up to
 * {@code valv.shutdown.abort-timeout}. Whatever a kill interrupts after that is swept by the other replicas
 * ({@code UploadSweeper}, the lease lapsing).</li>
 * </ol>
 */
@ApplicationScoped
public class ShutdownDrain {

    private final Duration abortTimeout;
    private final Set<HttpServerRequest> transfers = ConcurrentHashMap.newKeySet();
    private final Object idle = new Object();
    private volatile boolean stopping;
    private int uploadsWorking;

    ShutdownDrain(@ConfigProperty(name = "valv.shutdown.abort-timeout", defaultValue = "10s") Duration abortTimeout) {
        this.abortTimeout = abortTimeout;
    }

    /** Whether this replica is shutting down: it takes no new transfer. */
    public boolean stopping() {
        return stopping;
    }

    /**
     * Marks an upload's work, from its first byte to its last clean-up step; the shutdown waits for it after cutting
     * the connection. Use in try-with-resources.
     */
    public Work upload() {
        synchronized (idle) {
            uploadsWorking++;
        }
        return () -> {
            synchronized (idle) {
                uploadsWorking--;
                idle.notifyAll();
            }
        };
    }

    /** A transfer's request, so that a shutdown can cut it off; forgotten when its response ends. */
    void track(HttpServerRequest request) {
        transfers.add(request);
    }

    void forget(HttpServerRequest request) {
        transfers.remove(request);
    }

    void onShutdownBegins(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
        Log.infof("Shutting down: new transfers are refused, %d in flight may finish", transfers.size());
    }

    // early among the shutdown observers: the clean-up of a cut upload needs the database and the store
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        int cut = 0;
        for (HttpServerRequest request : transfers) {
            try {
                request.connection().close();
                cut++;
            } catch (RuntimeException e) {
                // the connection is gone already
            }
        }
        transfers.clear();
        long started = System.nanoTime();
        long deadline = started + abortTimeout.toNanos();
        synchronized (idle) {
            int rollingBack = uploadsWorking;
            while (uploadsWorking > 0 && System.nanoTime() < deadline) {
                try {
                    idle.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (cut > 0 || rollingBack > 0) {
                Log.infof("Shutdown cut off %d transfer(s) and waited %d ms for %d upload(s) to roll back; %d left to"
                        + " the sweepers", cut, (System.nanoTime() - started) / 1_000_000, rollingBack, uploadsWorking);
            }
        }
    }

    /** An upload's work in progress. */
    public interface Work extends AutoCloseable {
        @Override
        void close();
    }
}
