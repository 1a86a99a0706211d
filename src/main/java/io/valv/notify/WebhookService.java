package io.valv.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * A client's webhook endpoints and their deliveries. {@link #enqueue} writes outbox rows inside the caller's
 * transaction; {@link WebhookWorker} sends them after commit.
 */
@ApplicationScoped
public class WebhookService {

    /** The event types an endpoint can subscribe to (docs/api.md, "Webhooks"). */
    public static final Set<String> EVENT_TYPES = Set.of("material.stored", "material.expiring", "material.purged",
            "certificate.issued", "subprocessor.changed", "dpa.terminated", "incident.notified");

    private final WebhookEndpointRepository endpoints;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookAttemptRepository attempts;
    private final WebhookSecrets secrets;
    private final AuditLog audit;
    private final NotifyConfig config;
    private final Clock clock;
    private final ObjectMapper json;

    WebhookService(WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries,
            WebhookAttemptRepository attempts, WebhookSecrets secrets, AuditLog audit, NotifyConfig config, Clock clock,
            ObjectMapper json) {
        this.audit = audit;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.secrets = secrets;
        this.config = config;
        this.clock = clock;
        this.json = json;
    }

    /** Only the client's own admin manages its endpoints; other clients' callers learn nothing (404). */
    private static void requireAdmin(Caller caller, String clientId) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayManageClientSettings(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin manages its webhooks.");
        }
    }

    @Transactional
    public Created create(Caller caller, String clientId, String url, List<String> events) {
        requireAdmin(caller, clientId);
        WebhookTargets.check(url, config.allowInsecureTargets());
        WebhookEndpoint e = new WebhookEndpoint();
        e.id = UUID.randomUUID();
        e.clientId = clientId;
        e.url = url;
        e.events = eventTypes(events);
        e.createdAt = Instant.now(clock);
        String secret = secrets.issue(e);
        endpoints.persist(e);
        instructed(caller, Actions.WEBHOOK_CREATE, e, "to " + WebhookTargets.origin(url) + " for " + e.events);
        return new Created(EndpointView.of(e), secret);
    }

    @Transactional
    public List<EndpointView> list(Caller caller, String clientId) {
        requireAdmin(caller, clientId);
        return endpoints.ofClient(clientId).stream().map(EndpointView::of).toList();
    }

    /**
     * Changes an endpoint's URL, event types or whether it is on; a null argument leaves that part as it is.
     * The URL is checked like a new one. Switching an endpoint off stops new notices for it and holds its
     * pending ones (they go out, in order, when it is switched on again).
     */
    @Transactional
    public EndpointView update(Caller caller, String clientId, UUID id, String url, List<String> events, Boolean enabled) {
        WebhookEndpoint e = require(caller, clientId, id);
        List<String> changed = new ArrayList<>();
        if (url != null && !url.equals(e.url)) {
            WebhookTargets.check(url, config.allowInsecureTargets());
            e.url = url;
            changed.add("url to " + WebhookTargets.origin(url));
        }
        if (events != null) {
            String joined = eventTypes(events);
            if (!joined.equals(e.events)) {
                e.events = joined;
                changed.add("events to " + joined);
            }
        }
        if (enabled != null && enabled != e.enabled) {
            e.enabled = enabled;
            changed.add(enabled ? "switched on" : "switched off");
        }
        if (!changed.isEmpty()) {
            instructed(caller, Actions.WEBHOOK_UPDATE, e, String.join(", ", changed));
        }
        return EndpointView.of(e);
    }

    private static String eventTypes(List<String> events) {
        if (events == null || events.isEmpty() || !EVENT_TYPES.containsAll(events)) {
            throw new ProblemException(ProblemType.VALIDATION,
                    "events must list one or more of " + new java.util.TreeSet<>(EVENT_TYPES) + ".");
        }
        return String.join(",", new java.util.TreeSet<>(events));
    }

    @Transactional
    public void delete(Caller caller, String clientId, UUID id) {
        WebhookEndpoint e = require(caller, clientId, id);
        endpoints.delete(e); // its deliveries and attempts go with it (on delete cascade)
        instructed(caller, Actions.WEBHOOK_DELETE, e, "deleted");
    }

    /**
     * A new secret signs from now on; the previous one keeps signing beside it until the overlap ends, so a
     * receiver that still knows only the old secret verifies every delivery meanwhile.
     */
    @Transactional
    public Created rotate(Caller caller, String clientId, UUID id) {
        WebhookEndpoint e = require(caller, clientId, id);
        e.sealedPreviousSecret = e.sealedSecret;
        e.previousSecretUntil = Instant.now(clock).plus(config.rotationOverlap());
        String secret = secrets.issue(e);
        instructed(caller, Actions.WEBHOOK_ROTATE_SECRET, e, "previous secret signs until " + e.previousSecretUntil);
        return new Created(EndpointView.of(e), secret);
    }

    @Transactional
    public List<DeliveryView> deliveries(Caller caller, String clientId, UUID id) {
        WebhookEndpoint e = require(caller, clientId, id);
        List<DeliveryView> views = new ArrayList<>();
        for (WebhookDelivery d : deliveries.ofEndpoint(e.id)) {
            List<AttemptView> tried = attempts.ofDelivery(d.id).stream()
                    .map(a -> new AttemptView(a.attemptedAt, a.httpStatus, a.durationMs, a.error)).toList();
            views.add(new DeliveryView(d.id, d.msgId, d.eventType, d.createdAt, d.status.name().toLowerCase(), d.attempts,
                    d.nextAttemptAt, d.lastStatus, tried));
        }
        return views;
    }

    /** Sends a delivery again, with the same webhook-id (receivers de-duplicate by it), as soon as the worker runs. */
    @Transactional
    public void redeliver(Caller caller, String clientId, UUID id, UUID deliveryId) {
        WebhookEndpoint e = require(caller, clientId, id);
        WebhookDelivery d = deliveries.findById(deliveryId);
        if (d == null || !d.endpointId.equals(e.id)) {
            throw ProblemException.notFound("Delivery");
        }
        d.status = WebhookDelivery.Status.PENDING;
        d.nextAttemptAt = Instant.now(clock);
        instructed(caller, Actions.WEBHOOK_REDELIVER, e, "delivery " + d.id + " (" + d.msgId + ")");
    }

    /**
     * A change of how the client is notified is the client's documented instruction: recorded on its chain,
     * by the admin who gave it. The URL is reduced to its origin, because receivers often carry a token in
     * the path or query; the secret never appears.
     */
    private void instructed(Caller caller, String action, WebhookEndpoint e, String what) {
        audit.append(AuditEntry.of(action).by(caller).client(e.clientId).detail("instruction: endpoint " + e.id + " " + what));
    }

    private WebhookEndpoint require(Caller caller, String clientId, UUID id) {
        requireAdmin(caller, clientId);
        WebhookEndpoint e = endpoints.findById(id);
        if (e == null || !e.clientId.equals(clientId)) {
            throw ProblemException.notFound("Webhook");
        }
        return e;
    }

    /**
     * Writes one outbox row per endpoint of the client subscribed to this type, in the current transaction
     * (mandatory: the notice commits with the change it announces, or not at all). The body is fixed here so
     * that every attempt sends, and signs, the same bytes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String clientId, String type, Map<String, Object> data) {
        enqueueAll(clientId, List.of(new Notice(type, data)));
    }

    /** {@link #enqueue} for several notices of one client, in order, reading its endpoints once. */
    @Transactional(Transactional.TxType.MANDATORY)
    void enqueueAll(String clientId, List<Notice> notices) {
        Instant now = Instant.now(clock);
        List<WebhookEndpoint> enabled = endpoints.ofClient(clientId).stream().filter(e -> e.enabled).toList();
        for (Notice notice : notices) {
            for (WebhookEndpoint e : enabled) {
                if (e.eventList().contains(notice.type())) {
                    deliveries.persist(delivery(e, clientId, notice, now));
                }
            }
        }
    }

    private WebhookDelivery delivery(WebhookEndpoint endpoint, String clientId, Notice notice, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", notice.type());
        body.put("timestamp", now.toString());
        body.put("data", notice.data());
        WebhookDelivery d = new WebhookDelivery();
        d.id = UUID.randomUUID();
        d.endpointId = endpoint.id;
        d.clientId = clientId;
        d.msgId = "msg_" + d.id.toString().replace("-", "");
        d.eventType = notice.type();
        try {
            d.payload = json.writeValueAsString(body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("notice not serializable", ex);
        }
        d.createdAt = now;
        d.status = WebhookDelivery.Status.PENDING;
        d.nextAttemptAt = now;
        return d;
    }

    /** The endpoint and its secret: the secret is answered only here, once, never by a read. */
    public record Created(EndpointView endpoint, String secret) {
    }

    /** An endpoint as its client's admin sees it: never its secret. */
    public record EndpointView(UUID id, String url, List<String> events, boolean enabled, Instant createdAt,
            /** When the previous secret stops signing; null when no rotation overlap is running. */
            Instant previousSecretUntil,
            /** Since when a delivery was given up after every retry; null while deliveries succeed. */
            Instant failingSince) {

        static EndpointView of(WebhookEndpoint e) {
            return new EndpointView(e.id, e.url, e.eventList(), e.enabled, e.createdAt, e.previousSecretUntil, e.failingSince);
        }
    }

    public record DeliveryView(UUID id, String webhookId, String type, Instant createdAt, String status, int attempts,
            Instant nextAttemptAt, Integer lastHttpStatus, List<AttemptView> attemptLog) {
    }

    public record AttemptView(Instant at, Integer httpStatus, long durationMs, String error) {
    }
}
