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

import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.security.identity.SecurityIdentity;
import io.valv.security.Caller;
import io.valv.security.Roles;

@Path("/api/v1")
public class ClientResource {

    private final ClientService service;
    private final SecurityIdentity identity;

    ClientResource(ClientService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
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
        return service.visibleTo(Caller.of(identity)).stream().map(ClientView::of).toList();
    }

    @GET
    @Path("/clients/{clientId}")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER, Roles.STAFF })
    public ClientView get(@RestPath String clientId) {
        return ClientView.of(service.get(Caller.of(identity), clientId));
    }

    /** Offboarding: destroys the client key and purges all of the client's material. */
    @POST
    @Path("/clients/{clientId}/offboard")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public ClientView offboard(@RestPath String clientId) {
        return ClientView.of(service.offboard(clientId));
    }

    /** A new client; {@code id} is a URL-safe slug chosen by the admin (e.g. {@code acme}). */
    public record NewClient(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "must be a lowercase slug") String id,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 64) String orgNumber,
            @Email @Size(max = 320) String contact) {
    }

    public record ClientView(String id, String name, String orgNumber, String contact, String status,
            Instant createdAt) {

        static ClientView of(Client c) {
            return new ClientView(c.id, c.name, c.orgNumber, c.contact, c.status.name().toLowerCase(), c.createdAt);
        }
    }
}
