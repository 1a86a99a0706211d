package io.valv.client;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

@Path("/api/v1")
public class ClientResource {

    private final ClientService service;
    private final CurrentCaller currentCaller;

    private final ObjectMapper json;

    ClientResource(ClientService service, CurrentCaller currentCaller, ObjectMapper json) {
        this.json = json;
        this.service = service;
        this.currentCaller = currentCaller;
    }

    @POST
    @Path("/clients")
    @RolesAllowed(Roles.VAULT_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull NewClient body) {
        Client client = service.create(body.id(), body.name(), body.orgNumber(), body.contact());
        return Response.status(201).entity(ClientView.of(client)).build();
    }

    @GET
    @Path("/clients")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
    public List<ClientView> list() {
        return service.visibleTo(currentCaller.get()).stream().map(ClientView::of).toList();
    }

    @GET
    @Path("/clients/{clientId}")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER, Roles.STAFF })
    public ClientView get(@RestPath String clientId) {
        return ClientView.of(service.get(currentCaller.get(), clientId));
    }

    /**
     * Schedules offboarding: 202 with {@code scheduledFor}. After the waiting period (default 7 days; shorter
     * only with a {@code reason}) the client key is destroyed and all of the client's material purged. The
     * body is optional.
     */
    @POST
    @Path("/clients/{clientId}/offboard")
    @RolesAllowed(Roles.VAULT_ADMIN)
    @Consumes(MediaType.WILDCARD) // the body is optional: a bare POST schedules with the defaults
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EndOfContractBody.class)))
    public Response offboard(@RestPath String clientId, @RestHeader("Content-Type") String contentType, byte[] body) {
        Client client = service.scheduleOffboarding(currentCaller.get(), clientId,
                EndOfContractBody.parse(contentType, body, json));
        return Response.accepted(ClientView.of(client)).build();
    }

    /** Withdraws a scheduled offboarding before it takes effect. */
    @POST
    @Path("/clients/{clientId}/offboard/cancel")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public ClientView cancelOffboarding(@RestPath String clientId) {
        return ClientView.of(service.cancelOffboarding(currentCaller.get(), clientId));
    }

    /** The client admin: "we have our data back, delete now". */
    @POST
    @Path("/clients/{clientId}/offboard/confirm")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public ClientView confirmOffboarding(@RestPath String clientId) {
        return ClientView.of(service.confirmOffboarding(currentCaller.get(), clientId));
    }

    /** A new client; {@code id} is a URL-safe slug chosen by the admin (e.g. {@code acme}). */
    public record NewClient(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "must be a lowercase slug") String id,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 64) String orgNumber,
            @Email @Size(max = 320) String contact) {
    }

    public record ClientView(String id, String name, String orgNumber, String contact, String status,
            Instant createdAt,
            /** When a scheduled offboarding takes effect; null when none is pending. */
            Instant scheduledFor,
            /** Why its waiting period was shortened, when it was. */
            String scheduleReason) {

        static ClientView of(Client c) {
            return new ClientView(c.id, c.name, c.orgNumber, c.contact, c.status.name().toLowerCase(), c.createdAt,
                    c.offboardScheduledFor, c.offboardReason);
        }
    }
}
