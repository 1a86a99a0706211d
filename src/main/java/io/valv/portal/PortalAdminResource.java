package io.valv.portal;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.qute.TemplateInstance;
import io.valv.client.Client;
import io.valv.client.ClientResource;
import io.valv.client.ClientService;
import io.valv.job.JobResource;
import io.valv.job.JobService;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;

/**
 * The processor's admin pages: clients, jobs, staff assignments. Input is checked against the API's own
 * request records, so that a form accepts exactly what the API accepts; a refused form is shown again with
 * the reason.
 */
@Path("/portal/admin")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VAULT_ADMIN)
@PortalCsrf.Protected
public class PortalAdminResource {

    private final ClientService clients;
    private final JobService jobs;
    private final Validator validator;
    private final CurrentCaller currentCaller;

    PortalAdminResource(ClientService clients, JobService jobs, Validator validator, CurrentCaller currentCaller) {
        this.clients = clients;
        this.jobs = jobs;
        this.validator = validator;
        this.currentCaller = currentCaller;
    }

    @GET
    @Path("/clients")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public TemplateInstance clients() {
        return clientsPage(Views.ClientForm.EMPTY, null);
    }

    @POST
    @Path("/clients")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response createClient(@RestForm String id, @RestForm String name, @RestForm String orgNumber,
            @RestForm String contact) {
        Views.ClientForm form = new Views.ClientForm(FormValues.trimmed(id), FormValues.trimmed(name),
                FormValues.trimmed(orgNumber), FormValues.trimmed(contact));
        var request = new ClientResource.NewClient(form.id(), form.name(), emptyToNull(form.orgNumber()),
                emptyToNull(form.contact()));
        String invalid = PortalForms.violations(validator.validate(request));
        if (invalid != null) {
            return PortalForms.refused(400, clientsPage(form, invalid));
        }
        try {
            clients.create(request.id(), request.name(), request.orgNumber(), request.contact());
        } catch (ProblemException e) {
            return PortalForms.refused(e.status(), clientsPage(form, e.detail()));
        }
        return Response.seeOther(URI.create("/portal/admin/clients")).build();
    }

    @GET
    @Path("/jobs")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public TemplateInstance jobs() {
        return jobsPage(Views.JobForm.EMPTY, null);
    }

    /** A job for a client under its active DPA (the service picks it, as the API does without a dpaId). */
    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response createJob(@RestForm String clientId, @RestForm String title, @RestForm String reuseRequested) {
        Views.JobForm form = new Views.JobForm(FormValues.trimmed(clientId), FormValues.trimmed(title), reuseRequested != null);
        var request = new JobResource.NewJob(form.clientId(), null, form.title(), form.reuseRequested());
        String invalid = PortalForms.violations(validator.validate(request));
        if (invalid != null) {
            return PortalForms.refused(400, jobsPage(form, invalid));
        }
        try {
            jobs.create(caller(), request.clientId(), null, request.title(), request.reuseRequested());
        } catch (ProblemException e) {
            return PortalForms.refused(e.status(), jobsPage(form, e.detail()));
        }
        return Response.seeOther(URI.create("/portal/admin/jobs")).build();
    }

    @POST
    @Path("/jobs/{jobId}/assignments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response assign(@RestPath UUID jobId, @RestForm String staff) {
        var request = new JobResource.NewAssignment(FormValues.trimmed(staff));
        String invalid = PortalForms.violations(validator.validate(request));
        if (invalid != null) {
            return PortalForms.refused(400, jobsPage(Views.JobForm.EMPTY, invalid));
        }
        try {
            jobs.assign(caller(), jobId, request.staff());
        } catch (ProblemException e) {
            return PortalForms.refused(e.status(), jobsPage(Views.JobForm.EMPTY, e.detail()));
        }
        return Response.seeOther(URI.create("/portal/admin/jobs")).build();
    }

    private TemplateInstance clientsPage(Views.ClientForm form, String error) {
        Caller caller = caller();
        List<Views.ClientRow> rows = clients.visibleTo(caller).stream().map(Views.ClientRow::of).toList();
        return Pages.clients(Viewer.of(caller), rows, form, error);
    }

    private TemplateInstance jobsPage(Views.JobForm form, String error) {
        Caller caller = caller();
        List<Views.JobRow> rows = jobs.visibleTo(caller).stream()
                .map(job -> Views.JobRow.of(job, jobs.staffOf(job.id))).toList();
        List<Views.ClientRow> active = clients.visibleTo(caller).stream()
                .filter(c -> c.status == Client.Status.ACTIVE).map(Views.ClientRow::of).toList();
        return Pages.adminJobs(Viewer.of(caller), rows, active, form, error);
    }

    private Caller caller() {
        return currentCaller.get();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
