package io.valv.purge;

import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.valv.material.Material;
import io.valv.material.MaterialService;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/** The client admin's erasure instructions (Art. 28(3)(g)): accepted at once (202), destroyed right after. */
@Path("/api/v1")
public class ErasureResource {

    private final MaterialService materials;
    private final PurgeScheduler scheduler;
    private final CurrentCaller currentCaller;

    ErasureResource(MaterialService materials, PurgeScheduler scheduler, CurrentCaller currentCaller) {
        this.materials = materials;
        this.scheduler = scheduler;
        this.currentCaller = currentCaller;
    }

    @DELETE
    @Path("/materials/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response erase(@RestPath UUID id) {
        Material m = materials.instructErasure(currentCaller.get(), id);
        scheduler.runSoon();
        return Response.accepted(Map.of("id", m.id, "state", m.state.name().toLowerCase().replace('_', '-'))).build();
    }

    @DELETE
    @Path("/jobs/{jobId}/materials")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response eraseJob(@RestPath UUID jobId) {
        int marked = materials.instructJobErasure(currentCaller.get(), jobId);
        scheduler.runSoon();
        return Response.accepted(Map.of("jobId", jobId, "marked", marked)).build();
    }
}
