package io.valv.web;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Aborting a response body that fails after it has started. Throwing out of a {@code StreamingOutput} is not
 * enough: RESTEasy Reactive then renders the error through the exception mapper and, measured on 3.33, may
 * append that problem+json to the chunked body and end it normally — a failed transfer that looks complete.
 * Closing the connection instead leaves out the final chunk (or the rest of a Content-Length), which every
 * HTTP client reports as a failed download.
 */
public final class Transfers {

    private Transfers() {
    }

    /** Captured on the request thread, where the Vert.x request is current; used later on the writing thread. */
    public static Abort abortOfCurrentRequest() {
        RoutingContext rc = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        return new Abort(rc == null ? null : rc.request());
    }

    /** The means to cut the current response off. */
    public static final class Abort {

        private final HttpServerRequest request;

        private Abort(HttpServerRequest request) {
            this.request = request;
        }

        /**
         * Closes the connection when part of the response may have left already ({@code bodyStarted}, or the
         * head written); otherwise leaves the response to the error mapper, which can still answer cleanly.
         */
        public void abortIfStarted(boolean bodyStarted) {
            if (request != null && (bodyStarted || request.response().headWritten())) {
                // Waited for: the caller throws next, and the error mapper's answer must find the connection
                // closed, or it is appended to the body (measured: a problem+json after the last good byte).
                try {
                    request.connection().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    Log.warnf("Could not close the connection of an aborted transfer (%s)", e.getClass().getSimpleName());
                }
            }
        }
    }
}
