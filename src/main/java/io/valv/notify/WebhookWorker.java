package io.valv.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.audit.Outcome;
import io.valv.client.ClientService;
import io.valv.crypto.CryptoException;
import io.valv.web.ProblemException;

/**
 * Sends due outbox rows. Replica-safe and crash-safe: a short transaction claims a batch with
 * {@code FOR UPDATE SKIP LOCKED} and pushes each row's {@code next_attempt_at} one lease ahead before
 * committing, so another replica skips it while it is being sent; no database transaction is held open
 * during the HTTP call. A replica killed mid-send leaves the row due again when the lease ends: it is sent
 * again with the same {@code webhook-id} (at least once; receivers de-duplicate by the id).
 */
@ApplicationScoped
class WebhookWorker {

    private static final int BATCH = 20;
    /** The email that tells a client's contact that one of its endpoints stopped taking deliveries. */
    static final String FAILING = "webhook.failing";

    private final EntityManager em;
    private final WebhookEndpointRepository endpoints;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookAttemptRepository attempts;
    private final WebhookSecrets secrets;
    private final ClientService clients;
    private final EmailNotices emails;
    private final AuditLog audit;
    private final NotifyConfig config;
    private final Clock clock;
    private final HttpClient http;

    WebhookWorker(EntityManager em, WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries,
            WebhookAttemptRepository attempts, WebhookSecrets secrets, ClientService clients, EmailNotices emails,
            AuditLog audit, NotifyConfig config, Clock clock) {
        this.audit = audit;
        this.em = em;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.secrets = secrets;
        this.clients = clients;
        this.emails = emails;
        this.config = config;
        this.clock = clock;
        // redirects are never followed: a 3xx to an internal address would bypass the target check
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(config.timeout())
                .build();
    }

    @Scheduled(every = "${valv.notify.every:5s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            List<UUID> claimed;
            do {
                claimed = QuarkusTransaction.requiringNew().call(this::claim);
                for (UUID id : claimed) {
                    send(id);
                }
            } while (claimed.size() == BATCH);
        } catch (RuntimeException e) {
            Log.warnf("webhook delivery run failed, retried next run: %s", e.getClass().getSimpleName());
        }
    }

    /**
     * Claims, per endpoint, only its oldest pending delivery, and only once that one is due: an endpoint
     * receives its notices strictly in the order they were written. A delivery waiting out its back-off (or
     * leased by another replica, which also leaves it pending) holds back the endpoint's newer ones, so a
     * receiver that was down never sees "purged" before "stored"; other endpoints are not held up. Once the
     * head is delivered or given up, the next one is due at once (its {@code next_attempt_at} is its creation).
     * "Oldest" is the database's insert ordinal (V53), which also orders two notices of one transaction.
     * An endpoint switched off by its client admin gets nothing claimed until it is switched on again.
     */
    @SuppressWarnings("unchecked")
    private List<UUID> claim() {
        Instant now = Instant.now(clock);
        List<UUID> ids = em.createNativeQuery("select d.id from webhook_delivery d where d.status = 'PENDING'"
                + " and d.next_attempt_at <= ?1"
                + " and exists (select 1 from webhook_endpoint e where e.id = d.endpoint_id and e.enabled)"
                + " and not exists (select 1 from webhook_delivery o"
                + " where o.endpoint_id = d.endpoint_id and o.status = 'PENDING'"
                + " and o.ordinal < d.ordinal) order by d.ordinal limit ?2 for update skip locked", UUID.class)
                .setParameter(1, now).setParameter(2, BATCH).getResultList();
        Instant lease = now.plus(config.timeout().multipliedBy(2)).plusSeconds(30);
        for (UUID id : ids) {
            deliveries.findById(id).nextAttemptAt = lease;
        }
        return ids;
    }

    private void send(UUID deliveryId) {
        record Job(String url, WebhookSecrets.Signing signing, String msgId, String payload) {
        }
        Job job = QuarkusTransaction.requiringNew().call(() -> {
            WebhookDelivery d = deliveries.findById(deliveryId);
            WebhookEndpoint e = d == null ? null : endpoints.findById(d.endpointId);
            if (e == null) {
                return null;
            }
            // the wrapped client key is null once the client is offboarded: signing then fails below
            WebhookSecrets.Signing signing = new WebhookSecrets.Signing(e.clientId, clients.require(e.clientId).wrappedKey,
                    e.id, e.sealedSigningSecrets(Instant.now(clock)));
            return new Job(e.url, signing, d.msgId, d.payload);
        });
        if (job == null) {
            return; // the endpoint was deleted meanwhile
        }
        Instant started = Instant.now(clock);
        long t0 = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            // checked again at send time, after a fresh DNS resolution: the name may point elsewhere by now
            URI uri = WebhookTargets.check(job.url(), config.allowInsecureTargets());
            long timestamp = started.getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                    .header("content-type", "application/json").header("user-agent", "Valv-Webhooks/1")
                    .header("webhook-id", job.msgId()).header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", secrets.signature(job.signing(), job.msgId(), timestamp, job.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(job.payload())).build();
            // the response body is discarded: nothing the receiver says is stored
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status < 200 || status > 299) {
                error = "HTTP " + status;
            }
        } catch (ProblemException e) {
            error = "refused target: " + e.detail();
        } catch (CryptoException e) {
            error = "signing key unavailable (client offboarded)";
        } catch (java.net.http.HttpTimeoutException e) {
            error = "timeout";
        } catch (java.io.IOException e) {
            error = "connection failed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        long elapsed = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        Integer httpStatus = status;
        String failure = error;
        QuarkusTransaction.requiringNew().run(() -> record(deliveryId, started, httpStatus, elapsed, failure));
    }

    private void record(UUID deliveryId, Instant at, Integer status, long elapsedMs, String error) {
        // The endpoint's row first, as every change its client admin makes takes it first (PATCH, rotate, and a
        // delete, which takes the deliveries with it): an attempt racing a delete then waits for it, or it for
        // the attempt, instead of the two locking delivery rows and the audit chain head in opposite orders.
        List<UUID> endpointIds = em.createQuery("select d.endpointId from WebhookDelivery d where d.id = ?1", UUID.class)
                .setParameter(1, deliveryId).getResultList();
        if (endpointIds.isEmpty()
                || em.find(WebhookEndpoint.class, endpointIds.get(0), LockModeType.PESSIMISTIC_WRITE) == null) {
            return; // deleted meanwhile
        }
        WebhookDelivery d = deliveries.findById(deliveryId);
        if (d == null) {
            return;
        }
        WebhookAttempt a = new WebhookAttempt();
        a.id = UUID.randomUUID();
        a.deliveryId = d.id;
        a.attemptedAt = at;
        a.httpStatus = status;
        a.durationMs = elapsedMs;
        a.error = error == null ? null : error.substring(0, Math.min(error.length(), 200));
        attempts.persist(a);
        d.attempts++;
        d.lastStatus = status;
        WebhookEndpoint endpoint = endpoints.findById(d.endpointId);
        // on the client's chain with the attempt itself: an attempt whose event cannot be written is not
        // recorded at all, and the delivery is sent again (same webhook-id) when its lease ends
        audit.append(AuditEntry.of(Actions.WEBHOOK_ATTEMPT).bySystem().client(d.clientId)
                .outcome(error == null ? Outcome.OK : Outcome.ERROR)
                .detail("delivery " + d.id + " (" + d.msgId + ") " + d.eventType + ", attempt " + d.attempts
                        + (endpoint == null ? "" : " to " + WebhookTargets.origin(endpoint.url)) + ": "
                        + (error == null ? "HTTP " + status : a.error)));
        if (error == null) {
            d.status = WebhookDelivery.Status.DELIVERED;
            d.nextAttemptAt = null;
            if (endpoint != null) {
                endpoint.failingSince = null; // it answers again
            }
        } else if (d.attempts >= config.maxAttempts()) {
            d.status = WebhookDelivery.Status.FAILED;
            d.nextAttemptAt = null;
            Log.infof("webhook delivery %s given up after %d attempts", d.id, d.attempts);
            if (endpoint != null && endpoint.failingSince == null) {
                // the first give-up marks the endpoint and tells the client's contact once, not per delivery
                endpoint.failingSince = Instant.now(clock);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("endpointId", endpoint.id.toString());
                data.put("url", endpoint.url);
                data.put("type", d.eventType);
                data.put("attempts", d.attempts);
                data.put("lastError", a.error);
                emails.enqueue(endpoint.clientId, FAILING, data);
            }
        } else {
            d.nextAttemptAt = Instant.now(clock).plus(backoff(d.attempts, config.backoffBase(), config.backoffMax()));
        }
    }

    /** base · 2^(n−1), capped: 1, 2, 4 … minutes with the defaults. */
    static Duration backoff(int failedAttempts, Duration base, Duration max) {
        int shift = Math.min(failedAttempts - 1, 30);
        Duration d = base.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
