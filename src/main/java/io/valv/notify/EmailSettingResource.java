package io.valv.notify;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/**
 * Which notices the client's contact address gets by email, and in which language. Every role may call so
 * that refusals follow the rest of the API (403 / 404); only the client's own admin gets past the service.
 */
@Path("/api/v1/clients/{clientId}/email-notifications")
@RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.STAFF, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
public class EmailSettingResource {

    private final EmailNotices emails;
    private final CurrentCaller currentCaller;

    EmailSettingResource(EmailNotices emails, CurrentCaller currentCaller) {
        this.emails = emails;
        this.currentCaller = currentCaller;
    }

    @GET
    public EmailNotices.Setting get(@RestPath String clientId) {
        return emails.get(currentCaller.get(), clientId);
    }

    /** Replaces the setting: {@code events} (an empty list turns email off) and {@code language} (en, sv). */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public EmailNotices.Setting put(@RestPath String clientId, @Valid @NotNull Body body) {
        return emails.put(currentCaller.get(), clientId, body.events(), body.language());
    }

    public record Body(@NotNull @Size(max = 20) List<String> events, @NotNull String language) {
    }
}
