package io.valv.portal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.valv.audit.AuditResource;
import io.valv.audit.AuditService;
import io.valv.audit.IncidentReportPage;
import io.valv.audit.IncidentReports;
import io.valv.client.ClientService;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;
import io.vertx.ext.web.RoutingContext;

/**
 * The DPO's desk: the access log (search, one event, chain verification) and the incident report. Every
 * page calls the audit service the API calls, so each read of the log is recorded as the API's is; the
 * search accepts exactly the API's forms of a client id, action and outcome. Search forms are GET (reads,
 * bookmarkable, no CSRF token needed); nothing here changes state.
 */
@Path("/portal/audit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.AUDITOR)
public class PortalAuditResource {

    /** Bounded, as the API's page size is: a large log is read a page at a time, newest first. */
    static final int PAGE_SIZE = 50;
    private static final int MAX_PAGE = 100_000;

    private final AuditService audit;
    private final IncidentReports reports;
    private final ClientService clients;
    private final CurrentCaller currentCaller;

    PortalAuditResource(AuditService audit, IncidentReports reports, ClientService clients, CurrentCaller currentCaller) {
        this.audit = audit;
        this.reports = reports;
        this.clients = clients;
        this.currentCaller = currentCaller;
    }

    /** The search form, and its results once anything has been asked for (an empty search lists all). */
    @GET
    @RolesAllowed(Roles.AUDITOR)
    public Response search(@RestQuery String clientId, @RestQuery String jobId, @RestQuery String materialId,
            @RestQuery String actor, @RestQuery String action, @RestQuery String outcome, @RestQuery String from,
            @RestQuery String to, @RestQuery String page, RoutingContext rc) {
        DeskViews.AuditQuery query = new DeskViews.AuditQuery(FormValues.trimmed(clientId), FormValues.trimmed(jobId),
                FormValues.trimmed(materialId), FormValues.trimmed(actor),
                FormValues.trimmed(action), FormValues.trimmed(outcome), FormValues.trimmed(from), FormValues.trimmed(to));
        DeskMessages words = DeskWords.of(rc);
        Caller caller = caller();
        try {
            int pageIndex = FormValues.pageNumber(page, MAX_PAGE, words.invalid_field("page"));
            AuditService.Page results = audit.list(caller,
                    nullIfEmpty(query.clientId(), AuditResource.CLIENT_ID, "clientId", words),
                    FormValues.optionalId(query.materialId(), words.invalid_field("materialId")),
                    FormValues.optionalId(query.jobId(), words.invalid_field("jobId")),
                    FormValues.optionalTime(query.from(), words.invalid_time("from")),
                    FormValues.optionalTime(query.to(), words.invalid_time("to")),
                    sized(query.actor(), "actor", words), nullIfEmpty(query.action(), AuditResource.ACTION, "action", words),
                    nullIfEmpty(query.outcome(), AuditResource.OUTCOME, "outcome", words), pageIndex, PAGE_SIZE);
            return Response.ok(DeskPages.auditLog(Viewer.of(caller), clientIds(caller), query,
                    DeskViews.AuditResults.of(query, results), null)).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(DeskPages.auditLog(Viewer.of(caller), clientIds(caller), query, null,
                    e.detail())).build();
        }
    }

    /** One event with every field the auditor may see; the read is recorded like a search. */
    @GET
    @Path("/events/{seq}")
    @RolesAllowed(Roles.AUDITOR)
    public TemplateInstance event(@RestPath long seq) {
        Caller caller = caller();
        return DeskPages.auditEvent(Viewer.of(caller), audit.event(caller, seq));
    }

    /** The button, and after it is pressed ({@code run}) the result of re-checking the whole log. */
    @GET
    @Path("/verify")
    @RolesAllowed(Roles.AUDITOR)
    public TemplateInstance verify(@RestQuery boolean run) {
        Caller caller = caller();
        return DeskPages.auditVerify(Viewer.of(caller), run ? audit.verify(caller) : null);
    }

    @GET
    @Path("/incident-report")
    @RolesAllowed(Roles.AUDITOR)
    public TemplateInstance incidentReportForm() {
        Caller caller = caller();
        return DeskPages.incidentReportForm(Viewer.of(caller), clientIds(caller), DeskViews.ReportForm.EMPTY, null);
    }

    /**
     * The API's self-contained HTML report (its own strict CSP, no script, printable), narrowed to the
     * clients ticked (none ticked: all). A refused form is shown again with the reason.
     */
    @GET
    @Path("/incident-report/view")
    @RolesAllowed(Roles.AUDITOR)
    public Response incidentReport(@RestQuery String from, @RestQuery String to, @RestQuery List<String> client,
            RoutingContext rc) {
        DeskViews.ReportForm form = new DeskViews.ReportForm(FormValues.trimmed(from), FormValues.trimmed(to),
                client == null ? List.of() : client.stream().map(FormValues::trimmed).filter(c -> !c.isEmpty()).toList());
        DeskMessages words = DeskWords.of(rc);
        Caller caller = caller();
        try {
            Instant start = required(FormValues.optionalTime(form.from(), words.invalid_time("from")), "from", words);
            Instant end = required(FormValues.optionalTime(form.to(), words.invalid_time("to")), "to", words);
            IncidentReports.IncidentReport report = narrowed(reports.incidentReport(caller, start, end), form.clients());
            return Response.ok(IncidentReportPage.render(report), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                    .header("Content-Security-Policy", IncidentReportPage.CONTENT_SECURITY_POLICY).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE)
                    .entity(DeskPages.incidentReportForm(Viewer.of(caller), clientIds(caller), form, e.detail())).build();
        }
    }

    private static IncidentReports.IncidentReport narrowed(IncidentReports.IncidentReport r, List<String> clients) {
        if (clients.isEmpty()) {
            return r;
        }
        Set<String> wanted = Set.copyOf(clients);
        return new IncidentReports.IncidentReport(r.from(), r.to(), r.generatedAt(), r.truncated(),
                r.clients().stream().filter(c -> wanted.contains(c.clientId())).toList(), r.refusalsWithoutClient());
    }

    private List<String> clientIds(Caller caller) {
        return clients.visibleTo(caller).stream().map(c -> c.id).toList();
    }

    private Caller caller() {
        return currentCaller.get();
    }

    private static String nullIfEmpty(String value, String pattern, String field, DeskMessages words) {
        if (value.isEmpty()) {
            return null;
        }
        if (!value.matches(pattern)) {
            throw FormValues.invalid(words.invalid_field(field));
        }
        return value;
    }

    private static String sized(String value, String field, DeskMessages words) {
        if (value.length() > 255) {
            throw FormValues.invalid(words.invalid_field(field));
        }
        return value.isEmpty() ? null : value;
    }

    private static Instant required(Instant value, String field, DeskMessages words) {
        if (value == null) {
            throw FormValues.invalid(words.required_field(field));
        }
        return value;
    }

}
