package io.valv.workspace;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.valv.audit.AuditService;
import io.valv.export.ExportResource;
import io.valv.job.JobService;
import io.valv.material.Material;
import io.valv.material.MaterialService;
import io.valv.portal.PortalCsrf;
import io.valv.portal.Viewer;
import io.valv.security.Caller;
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

    private final AuditService audit;
    private final JobService jobs;
    private final MaterialService materials;
    private final ExportResource exportApi;
    private final SecurityIdentity identity;

    WorkspaceRecordsResource(AuditService audit, JobService jobs, MaterialService materials, ExportResource exportApi,
            SecurityIdentity identity) {
        this.audit = audit;
        this.jobs = jobs;
        this.materials = materials;
        this.exportApi = exportApi;
        this.identity = identity;
    }

    /** The client's events, filtered by job, material and time window (UTC), 50 a page. */
    @GET
    @Path("/access-log")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response accessLog(@RestQuery String jobId, @RestQuery String materialId, @RestQuery String from,
            @RestQuery String to, @RestQuery String page) {
        Caller caller = Caller.of(identity);
        String clientId = caller.clientId().orElse(null);
        WorkspaceViews.LogQuery query = new WorkspaceViews.LogQuery(trim(jobId), trim(materialId), trim(from), trim(to));
        List<WorkspaceViews.JobRow> jobRows = jobs.visibleTo(caller).stream().map(WorkspaceViews.JobRow::of).toList();
        try {
            int pageIndex = number(trim(page));
            AuditService.Page events = audit.list(caller, clientId, uuid(query.materialId(), "materialId"),
                    uuid(query.jobId(), "jobId"), time(query.from(), "from"), time(query.to(), "to"), null, null, null,
                    pageIndex, PAGE_SIZE);
            Map<UUID, String> titles = new HashMap<>();
            jobRows.forEach(j -> titles.put(j.id(), j.title()));
            Map<UUID, String> names = filenames(caller, clientId);
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
        Caller caller = Caller.of(identity);
        String clientId = caller.clientId().orElse(null);
        long start = clientSeq(trim(fromClientSeq));
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
        Caller caller = Caller.of(identity);
        String clientId = caller.clientId().orElse(null);
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
        return exportApi.export(Caller.of(identity).clientId().orElse(null), jobId);
    }

    /** The client's file names by material id, stored or destroyed, to name the log's materials. */
    private Map<UUID, String> filenames(Caller caller, String clientId) {
        Map<UUID, String> names = new HashMap<>();
        materials.storedOfClient(caller, clientId).forEach(m -> names.put(m.id, m.filename));
        materials.purgedOfClient(clientId).forEach(m -> names.put(m.id, m.filename));
        return names;
    }

    private static int number(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.badRequest("validation", "The page number is not valid.");
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

    private static UUID uuid(String value, String field) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("validation", field + " is not an id.");
        }
    }

    /** A browser's {@code datetime-local} value ({@code 2026-05-01T09:30}), read as UTC. */
    private static Instant time(String value, String field) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return value.endsWith("Z") ? Instant.parse(value) : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("validation", field + " is not a time (YYYY-MM-DDTHH:MM, UTC).");
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
