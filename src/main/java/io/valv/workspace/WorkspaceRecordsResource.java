package io.valv.workspace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.valv.audit.AuditService;
import io.valv.export.ExportResource;
import io.valv.job.JobService;
import io.valv.material.Material;
import io.valv.material.MaterialService;
import io.valv.portal.FormValues;
import io.valv.portal.PortalCsrf;
import io.valv.portal.Viewer;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;

/**
 * The client admin's records in the workspace: the access log of the client's material (who, as the pseudonym
 * the API shows, what, when, bytes), with the verifiable export the API offers; and the return of data, the
 * signed ZIP export of everything still stored (or one job's), streamed straight to the browser's download.
 * Every read goes through the service or API method the API uses, so it is audited the same way.
 */
@Path("/portal/workspace")
@Produces(MediaType.TEXT_HTML)
@PortalCsrf.Protected
public class WorkspaceRecordsResource {

    /** As on the DPO's desk: the log is read a page at a time, newest first. */
    static final int PAGE_SIZE = 50;
    private static final int MAX_PAGE = 100_000;
    private static final String TIME_REFUSAL = "%s is not a time (YYYY-MM-DDTHH:MM, UTC).";

    private final AuditService audit;
    private final JobService jobs;
    private final MaterialService materials;
    private final ExportResource exportApi;
    private final CurrentCaller currentCaller;

    WorkspaceRecordsResource(AuditService audit, JobService jobs, MaterialService materials, ExportResource exportApi,
            CurrentCaller currentCaller) {
        this.audit = audit;
        this.jobs = jobs;
        this.materials = materials;
        this.exportApi = exportApi;
        this.currentCaller = currentCaller;
    }

    /** The client's events, filtered by job, material and time window (UTC), 50 a page. */
    @GET
    @Path("/access-log")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response accessLog(@RestQuery String jobId, @RestQuery String materialId, @RestQuery String from,
            @RestQuery String to, @RestQuery String page) {
        Caller caller = currentCaller.get();
        String clientId = WorkspaceRequests.clientOf(caller);
        WorkspaceViews.LogQuery query = new WorkspaceViews.LogQuery(FormValues.trimmed(jobId), FormValues.trimmed(materialId),
                FormValues.trimmed(from), FormValues.trimmed(to));
        List<WorkspaceViews.JobRow> jobRows = jobs.visibleTo(caller).stream().map(WorkspaceViews.JobRow::of).toList();
        try {
            int pageIndex = FormValues.pageNumber(page, MAX_PAGE, "The page number is not valid.");
            AuditService.Page events = audit.list(caller, clientId,
                    FormValues.optionalId(query.materialId(), "materialId is not an id."),
                    FormValues.optionalId(query.jobId(), "jobId is not an id."),
                    FormValues.optionalTime(query.from(), TIME_REFUSAL.formatted("from")),
                    FormValues.optionalTime(query.to(), TIME_REFUSAL.formatted("to")), null, null, null,
                    pageIndex, PAGE_SIZE);
            Map<UUID, String> titles = new HashMap<>();
            jobRows.forEach(j -> titles.put(j.id(), j.title()));
            Map<UUID, String> names = materials.filenamesOf(caller, clientId, events.items().stream()
                    .map(AuditService.EventView::materialId).filter(Objects::nonNull).collect(Collectors.toSet()));
            return Response.ok(WorkspacePages.accessLog(Viewer.of(caller), new WorkspaceViews.LogPage(query, jobRows,
                    WorkspaceViews.LogResults.of(query, events, titles, names), null))).build();
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(WorkspacePages.accessLog(Viewer.of(caller),
                    new WorkspaceViews.LogPage(query, jobRows, null, e.detail()))).build();
        }
    }

    /**
     * The verifiable export of the client's events (at most 10,000 from {@code fromClientSeq}), as the API's
     * {@code GET /api/v1/audit/export} answers it, saved as a file.
     */
    @GET
    @Path("/access-log/export")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response accessLogExport(@RestQuery String fromClientSeq) {
        Caller caller = currentCaller.get();
        String clientId = WorkspaceRequests.clientOf(caller);
        long start = clientSeq(FormValues.trimmed(fromClientSeq));
        return Response.ok(audit.export(caller, clientId, start), MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"valv-access-log-" + clientId
                        + (start > 1 ? "-from-" + start : "") + ".json\"")
                .header("Cache-Control", "no-store").build();
    }

    /** What the return of data holds, per job, with the download of all of it or of one job. */
    @GET
    @Path("/export")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance export() {
        Caller caller = currentCaller.get();
        String clientId = WorkspaceRequests.clientOf(caller);
        List<Material> stored = materials.storedOfClient(caller, clientId);
        List<WorkspaceViews.ExportJob> perJob = jobs.visibleTo(caller).stream()
                .map(j -> WorkspaceViews.ExportJob.of(j, stored)).filter(e -> e.files() > 0).toList();
        return WorkspacePages.export(Viewer.of(caller), new WorkspaceViews.ExportPage(clientId, stored.size(),
                stored.stream().mapToLong(m -> m.size == null ? 0 : m.size).sum(), perJob));
    }

    /** The signed ZIP, through the API's method (streamed in constant memory; the browser shows its progress). */
    @GET
    @Path("/export/download")
    @Produces("application/zip")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response download(@RestQuery UUID jobId) {
        return exportApi.export(currentCaller.get().clientId().orElse(null), jobId);
    }

    /** Where the export starts in the client's chain: 1 by default; any position a log can reach. */
    private static long clientSeq(String value) {
        if (value.isEmpty()) {
            return 1;
        }
        try {
            long seq = Long.parseLong(value);
            if (seq >= 1) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.badRequest("validation", "fromClientSeq must be a positive whole number.");
    }

}
