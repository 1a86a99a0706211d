package io.valv.incident;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/**
 * Incident notices (docs/api.md, "Incident notices"). Every role may call so that the answer follows the rest
 * of the API (403 for a role that may not); {@link IncidentService} decides.
 */
@Path("/api/v1/incidents")
@RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.STAFF, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
public class IncidentResource {

    private final IncidentService service;
    private final CurrentCaller currentCaller;

    IncidentResource(IncidentService service, CurrentCaller currentCaller) {
        this.service = service;
        this.currentCaller = currentCaller;
    }

    /** Raises a notice; 201 once it is recorded and queued for every affected client. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response raise(@Valid @NotNull Body body) {
        IncidentService.View v = service.raise(currentCaller.get(), new IncidentService.NewIncident(body.nature(),
                body.dataSubjectCategories(), body.approximateDataSubjects(), body.recordCategories(),
                body.approximateRecords(), body.likelyConsequences(), body.measures(), body.contactPoint(),
                body.detectedAt(), body.clientIds(), body.windowFrom(), body.windowTo()));
        return Response.status(201).entity(v).build();
    }

    @GET
    public List<IncidentService.View> list() {
        return service.visibleTo(currentCaller.get());
    }

    /**
     * The window's incident report as the notice links it (the DPO: every affected client; a client admin: its
     * own section, staff pseudonymised). 409 {@code no-incident-window} when the notice names no window.
     */
    @GET
    @Path("/{id}/report")
    public IncidentService.Report report(@RestPath UUID id) {
        return service.report(currentCaller.get(), id);
    }

    /**
     * The Art. 33(3) fields; the approximate numbers are the processor's best estimate (0 when none are known).
     * {@code windowFrom}/{@code windowTo} (optional, both or neither, not in the future): the time the breach is
     * known to span; each affected client can then read its own section of that window's incident report.
     */
    public record Body(@NotBlank @Size(max = 4000) String nature, @NotBlank @Size(max = 2000) String dataSubjectCategories,
            @PositiveOrZero long approximateDataSubjects, @NotBlank @Size(max = 2000) String recordCategories,
            @PositiveOrZero long approximateRecords, @NotBlank @Size(max = 4000) String likelyConsequences,
            @NotBlank @Size(max = 4000) String measures, @NotBlank @Size(max = 1000) String contactPoint,
            @NotNull Instant detectedAt, @NotEmpty @Size(max = 1000) List<@NotBlank @Size(max = 64) String> clientIds,
            Instant windowFrom, Instant windowTo) {
    }
}
