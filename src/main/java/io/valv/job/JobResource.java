package io.valv.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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

import io.valv.audit.StaffNames;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

@Path("/api/v1")
public class JobResource {

    private final JobService service;
    private final StaffNames staffNames;
    private final CurrentCaller currentCaller;

    JobResource(JobService service, StaffNames staffNames, CurrentCaller currentCaller) {
        this.service = service;
        this.staffNames = staffNames;
        this.currentCaller = currentCaller;
    }

    @POST
    @Path("/jobs")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.CLIENT_ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull NewJob body) {
        Job job = service.create(currentCaller.get(), body.clientId(), body.dpaId(), body.title(), body.reuseRequested());
        return Response.status(201).entity(JobView.of(job, List.of())).build();
    }

    @GET
    @Path("/jobs")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.STAFF, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
    public List<JobView> list() {
        return service.visibleTo(currentCaller.get()).stream().map(j -> JobView.of(j, null)).toList();
    }

    @GET
    @Path("/jobs/{jobId}")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.STAFF, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
    public JobView get(@RestPath UUID jobId) {
        Caller caller = currentCaller.get();
        Job job = service.visible(caller, jobId);
        // a client's caller sees the staff as its audit log shows them: by pseudonym unless configured otherwise
        return JobView.of(job, staffNames.asSeenBy(caller, service.staffOf(job.id)));
    }

    @POST
    @Path("/jobs/{jobId}/assignments")
    @RolesAllowed(Roles.VAULT_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public JobView assign(@RestPath UUID jobId, @Valid @NotNull NewAssignment body) {
        Caller caller = currentCaller.get();
        service.assign(caller, jobId, body.staff());
        return JobView.of(service.visible(caller, jobId), staffNames.asSeenBy(caller, service.staffOf(jobId)));
    }

    @POST
    @Path("/jobs/{jobId}/complete")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.STAFF, Roles.CLIENT_ADMIN })
    public JobView complete(@RestPath UUID jobId) {
        return JobView.of(service.complete(currentCaller.get(), jobId), null);
    }

    public record NewJob(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}") String clientId,
            UUID dpaId,
            @NotBlank @Size(max = 300) String title,
            boolean reuseRequested) {
    }

    public record NewAssignment(@NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]+") String staff) {
    }

    /** A job on the wire; {@code staff} is listed on single-job reads only. */
    public record JobView(UUID id, String clientId, UUID dpaId, String title, String status, boolean reuseRequested,
            Instant createdAt, Instant closedAt, List<String> staff) {

        static JobView of(Job j, List<String> staff) {
            return new JobView(j.id, j.clientId, j.dpaId, j.title, j.status.name().toLowerCase(), j.reuseRequested,
                    j.createdAt, j.closedAt, staff);
        }
    }
}
