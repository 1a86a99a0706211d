package io.valv.export;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/**
 * "Return or delete" at the end of the contract (Art. 28(3)(g)): the client admin downloads the client's
 * stored material, or one job's ({@code ?jobId=}), as one ZIP streamed in constant memory, ending with
 * {@code SHA256SUMS} and a manifest signed by the processor's certificate key (docs/export.md). Deletion is
 * then one {@code DELETE} per job, or offboarding.
 */
@Path("/api/v1/clients/{clientId}/export")
public class ExportResource {

    private final ExportService exports;
    private final CurrentCaller currentCaller;

    ExportResource(ExportService exports, CurrentCaller currentCaller) {
        this.exports = exports;
        this.currentCaller = currentCaller;
    }

    @GET
    @Produces("application/zip")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response export(@RestPath String clientId, @RestQuery UUID jobId) {
        String name = "valv-export-" + clientId + (jobId == null ? "" : "-job-" + jobId) + ".zip";
        return Response.ok(exports.archive(currentCaller.get(), clientId, jobId), "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "no-store").build();
    }
}
