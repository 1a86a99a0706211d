package io.valv.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/**
 * A client's webhook endpoints (Standard Webhooks). Every role may call so that the answer follows the rest
 * of the API (404 for another client's callers, 403 for the processor's roles and the uploader); only the
 * client's own admin gets past {@link WebhookService}.
 */
@Path("/api/v1/clients/{clientId}/webhooks")
@RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.STAFF, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
public class WebhookResource {

    private final WebhookService service;
    private final CurrentCaller currentCaller;

    WebhookResource(WebhookService service, CurrentCaller currentCaller) {
        this.service = service;
        this.currentCaller = currentCaller;
    }

    /** Registers an endpoint; the answer carries its {@code whsec_} secret, the only time it is shown. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@RestPath String clientId, @Valid @NotNull NewWebhook body) {
        WebhookService.Created c = service.create(currentCaller.get(), clientId, body.url(), body.events());
        return Response.status(201).entity(WebhookWithSecret.of(c)).build();
    }

    @GET
    public List<WebhookService.EndpointView> list(@RestPath String clientId) {
        return service.list(currentCaller.get(), clientId);
    }

    /** Changes the URL, the event types or {@code enabled}; what is left out stays as it is. */
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public WebhookService.EndpointView update(@RestPath String clientId, @RestPath UUID id,
            @Valid @NotNull WebhookChange body) {
        return service.update(currentCaller.get(), clientId, id, body.url(), body.events(), body.enabled());
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@RestPath String clientId, @RestPath UUID id) {
        service.delete(currentCaller.get(), clientId, id);
        return Response.noContent().build();
    }

    /** A new secret, answered once; the previous one keeps signing during valv.notify.rotation-overlap. */
    @POST
    @Path("/{id}/rotate-secret")
    public WebhookWithSecret rotate(@RestPath String clientId, @RestPath UUID id) {
        return WebhookWithSecret.of(service.rotate(currentCaller.get(), clientId, id));
    }

    @GET
    @Path("/{id}/deliveries")
    public List<WebhookService.DeliveryView> deliveries(@RestPath String clientId, @RestPath UUID id) {
        return service.deliveries(currentCaller.get(), clientId, id);
    }

    /** Queues the delivery again with the same {@code webhook-id}; 202, sent by the worker. */
    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    public Response redeliver(@RestPath String clientId, @RestPath UUID id, @RestPath UUID deliveryId) {
        service.redeliver(currentCaller.get(), clientId, id, deliveryId);
        return Response.accepted().build();
    }

    public record NewWebhook(@NotBlank @Size(max = 2000) String url, @NotNull @Size(min = 1, max = 20) List<String> events) {
    }

    public record WebhookChange(@Size(min = 1, max = 2000) String url, @Size(min = 1, max = 20) List<String> events,
            Boolean enabled) {
    }

    public record WebhookWithSecret(UUID id, String url, List<String> events, boolean enabled, Instant createdAt,
            Instant previousSecretUntil, String secret) {

        static WebhookWithSecret of(WebhookService.Created c) {
            WebhookService.EndpointView e = c.endpoint();
            return new WebhookWithSecret(e.id(), e.url(), e.events(), e.enabled(), e.createdAt(), e.previousSecretUntil(),
                    c.secret());
        }
    }
}
