package io.valv.web;

import java.util.Optional;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * How many uploads and downloads one replica serves at once. Each transfer holds buffers of about a part (an
 * upload: the part being filled and the parts in flight; a download: a segment and the store's stream) and a
 * worker thread for as long as its client takes, so without a bound a crowd of transfers, or of slow clients,
 * ends in an OutOfMemoryError or in every worker thread blocked. A replica shutting down ({@link ShutdownDrain})
 * refuses every new transfer with {@code 503 shutting-down}. Over the limit a transfer is refused at the
 * edge, before anything is read or authorised, with {@code 503 transfers-busy} and {@code Retry-After}: nothing
 * was changed and another replica, or this one a little later, takes it. Like the other refusals at the edge
 * ({@link RequestGate}), this is not an audit event: no operation was reached.
 * <p>
 * The default limits follow the heap: a quarter of it for uploads at {@link #UPLOAD_BYTES} each, a quarter for
 * downloads at {@link #DOWNLOAD_BYTES} each (docs/operations.md, "Load"). The gauge {@code valv_transfers_active} and
 * the counter {@code valv_transfers_refused_total} show how close a replica runs to them.
 */
@ApplicationScoped
public class TransferLimit {

    /** Heap one upload may hold: the part being encrypted, two in flight, a resumable upload's tail and pipeline. */
    static final long UPLOAD_BYTES = 40L << 20;
    /** Heap one download may hold: a ciphertext segment, its plaintext, the store's and the response's buffers. */
    static final long DOWNLOAD_BYTES = 4L << 20;
    static final int RETRY_AFTER_SECONDS = 10;

    private final Semaphore uploads;
    private final Semaphore downloads;
    private final int maxUploads;
    private final int maxDownloads;
    private final Counter uploadsRefused;
    private final Counter downloadsRefused;
    private final ShutdownDrain drain;

    TransferLimit(@ConfigProperty(name = "valv.transfers.max-uploads") Optional<Integer> maxUploads,
            @ConfigProperty(name = "valv.transfers.max-downloads") Optional<Integer> maxDownloads, MeterRegistry registry,
            ShutdownDrain drain) {
        this.drain = drain;
        long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
        this.maxUploads = maxUploads.orElse((int) Math.max(2, quarterHeap / UPLOAD_BYTES));
        this.maxDownloads = maxDownloads.orElse((int) Math.max(4, quarterHeap / DOWNLOAD_BYTES));
        this.uploads = new Semaphore(this.maxUploads);
        this.downloads = new Semaphore(this.maxDownloads);
        Gauge.builder("valv.transfers.active", uploads, s -> this.maxUploads - s.availablePermits())
                .tag("direction", "upload").description("Uploads being served by this replica").register(registry);
        Gauge.builder("valv.transfers.active", downloads, s -> this.maxDownloads - s.availablePermits())
                .tag("direction", "download").description("Downloads being served by this replica").register(registry);
        uploadsRefused = Counter.builder("valv.transfers.refused").tag("direction", "upload")
                .description("Uploads refused with 503 transfers-busy").register(registry);
        downloadsRefused = Counter.builder("valv.transfers.refused").tag("direction", "download")
                .description("Downloads refused with 503 transfers-busy").register(registry);
        Log.infof("Transfers served at once: %d uploads, %d downloads", this.maxUploads, this.maxDownloads);
    }

    void install(@Observes Router router) {
        // right after the request gate, before Quarkus reads anything of the body
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::admit);
    }

    private void admit(RoutingContext ctx) {
        Semaphore slots = slotsFor(ctx);
        if (slots == null) {
            ctx.next();
            return;
        }
        if (drain.stopping()) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1").putHeader(HttpHeaders.CONNECTION, "close");
            RequestGate.problem(ctx, ProblemType.SHUTTING_DOWN,
                    "This replica is shutting down and takes no new transfer; nothing was changed. Retry, and another"
                            + " replica takes it.");
            return;
        }
        if (!slots.tryAcquire()) {
            boolean upload = slots == uploads;
            (upload ? uploadsRefused : downloadsRefused).increment();
            Log.debugf("Refused a %s: %d at once is this replica's limit", upload ? "upload" : "download",
                    upload ? maxUploads : maxDownloads);
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
            RequestGate.problem(ctx, ProblemType.TRANSFERS_BUSY, "This replica is serving as many "
                    + (upload ? "uploads" : "downloads") + " as it can at once; nothing was changed. Retry after "
                    + RETRY_AFTER_SECONDS + " s.");
            return;
        }
        // the end handler runs once, when the response has ended or the connection is gone
        drain.track(ctx.request());
        ctx.addEndHandler(done -> {
            drain.forget(ctx.request());
            slots.release();
        });
        ctx.next();
    }

    /** The slots a request takes: an upload's body, or a download's content; null for everything else. */
    private Semaphore slotsFor(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String path = ctx.request().path();
        if ((method == HttpMethod.POST || method == HttpMethod.PATCH || method == HttpMethod.PUT)
                && RequestGate.isUpload(path)) {
            return uploads;
        }
        if (method == HttpMethod.GET && path != null
                && (path.endsWith("/content") || path.endsWith("/export") || path.endsWith("/export/download"))) {
            return downloads;
        }
        return null;
    }
}
