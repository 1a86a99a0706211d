package io.valv.portal;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
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
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.valv.client.Client;
import io.valv.client.ClientService;
import io.valv.client.EndOfContract;
import io.valv.dpa.Dpa;
import io.valv.dpa.DpaResource;
import io.valv.dpa.DpaService;
import io.valv.job.Job;
import io.valv.job.JobService;
import io.valv.material.Material;
import io.valv.material.MaterialService;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;
import io.vertx.ext.web.RoutingContext;

/**
 * The processor's admin: one client's DPAs (versions, a new draft, activation, scheduled termination) and
 * the client's offboarding. Both ends of contract are confirmed on a page that states what will be destroyed
 * (the jobs, how many materials) and when, before the form that schedules it is sent; the schedule itself,
 * its waiting period and its audit are the services' (as through the API), and a pending one can be
 * cancelled here.
 */
@Path("/portal/admin/clients/{clientId}")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VAULT_ADMIN)
@PortalCsrf.Protected
public class PortalDpaResource {

    private final ClientService clients;
    private final DpaService dpas;
    private final JobService jobs;
    private final MaterialService materials;
    private final EndOfContract endOfContract;
    private final Validator validator;
    private final CurrentCaller currentCaller;

    PortalDpaResource(ClientService clients, DpaService dpas, JobService jobs, MaterialService materials,
            EndOfContract endOfContract, Validator validator, CurrentCaller currentCaller) {
        this.clients = clients;
        this.dpas = dpas;
        this.jobs = jobs;
        this.materials = materials;
        this.endOfContract = endOfContract;
        this.validator = validator;
        this.currentCaller = currentCaller;
    }

    @GET
    @Path("/dpas")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public TemplateInstance list(@RestPath String clientId) {
        return dpasPage(clientId, DeskViews.DpaForm.EMPTY, null);
    }

    /**
     * A new DPA, always as a draft: it is read over before it is activated. Checked against the API's own
     * request record, so that the form accepts exactly what the API accepts.
     */
    @POST
    @Path("/dpas")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response create(@RestPath String clientId, @RestForm String reference, @RestForm String version,
            @RestForm String signedOn, @RestForm String effectiveFrom, @RestForm String effectiveTo,
            @RestForm String personalDataAllowed, @RestForm String specialCategoriesAllowed,
            @RestForm String dataCategories, @RestForm String retentionDays, @RestForm List<String> subProcessor,
            RoutingContext rc) {
        DeskViews.DpaForm form = new DeskViews.DpaForm(FormValues.trimmed(reference), FormValues.trimmed(version),
                FormValues.trimmed(signedOn),
                FormValues.trimmed(effectiveFrom), FormValues.trimmed(effectiveTo), personalDataAllowed != null,
                specialCategoriesAllowed != null,
                FormValues.trimmed(dataCategories), FormValues.trimmed(retentionDays),
                subProcessor == null ? List.of()
                        : subProcessor.stream().map(FormValues::trimmed).filter(s -> !s.isEmpty()).toList());
        DeskMessages words = DeskWords.of(rc);
        try {
            List<String> categories = form.dataCategories().isEmpty() ? List.of()
                    : Arrays.stream(form.dataCategories().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            var body = new DpaResource.NewDpaBody(form.reference(), form.version(), date(form.signedOn(), "signedOn", words),
                    date(form.effectiveFrom(), "effectiveFrom", words), date(form.effectiveTo(), "effectiveTo", words),
                    form.personalDataAllowed(), form.specialCategoriesAllowed(), categories,
                    number(form.retentionDays(), "retentionDays", words), form.subProcessors(), "draft");
            String invalid = PortalForms.violations(validator.validate(body));
            if (invalid != null) {
                return PortalForms.refused(400, dpasPage(clientId, form, invalid));
            }
            dpas.create(clientId, new DpaService.NewDpa(body.reference(), body.version(), body.signedOn(),
                    body.effectiveFrom(), body.effectiveTo(), body.personalDataAllowed(), body.specialCategoriesAllowed(),
                    body.dataCategories(), body.retentionDays(), body.permittedSubProcessors(), true));
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return PortalForms.refused(e.status(), dpasPage(clientId, form, e.detail()));
        }
        return backToDpas(clientId);
    }

    @POST
    @Path("/dpas/{dpaId}/activate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response activate(@RestPath String clientId, @RestPath UUID dpaId) {
        dpas.activate(clientId, dpaId);
        return backToDpas(clientId);
    }

    /** The confirmation: what the termination destroys, and when, for the waiting period asked for. */
    @GET
    @Path("/dpas/{dpaId}/terminate")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response confirmTermination(@RestPath String clientId, @RestPath UUID dpaId, @RestQuery String waitDays,
            @RestQuery String reason, RoutingContext rc) {
        Caller caller = caller();
        Dpa dpa = dpaOf(caller, clientId, dpaId);
        List<DeskViews.DoomedJob> doomed = doomed(caller, job -> dpaId.equals(job.dpaId) && job.clientId.equals(clientId));
        return confirmation(clientId, DeskViews.DpaRow.of(dpa, dpas.permittedNames(dpa.id)), doomed, waitDays, reason,
                "/portal/admin/clients/" + clientId + "/dpas/" + dpaId + "/terminate",
                "/portal/admin/clients/" + clientId + "/dpas", DeskWords.of(rc));
    }

    @POST
    @Path("/dpas/{dpaId}/terminate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response terminate(@RestPath String clientId, @RestPath UUID dpaId, @RestForm String waitDays,
            @RestForm String reason, RoutingContext rc) {
        DeskMessages words = DeskWords.of(rc);
        try {
            dpas.scheduleTermination(caller(), clientId, dpaId, request(waitDays, reason, words));
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            return confirmTermination(clientId, dpaId, waitDays, reason, rc);
        }
        return backToDpas(clientId);
    }

    @POST
    @Path("/dpas/{dpaId}/terminate/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response cancelTermination(@RestPath String clientId, @RestPath UUID dpaId) {
        dpas.cancelTermination(caller(), clientId, dpaId);
        return backToDpas(clientId);
    }

    /** The confirmation of offboarding: every job of the client, the material still stored, the date. */
    @GET
    @Path("/offboard")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response confirmOffboarding(@RestPath String clientId, @RestQuery String waitDays, @RestQuery String reason,
            RoutingContext rc) {
        Caller caller = caller();
        clients.get(caller, clientId);
        List<DeskViews.DoomedJob> doomed = doomed(caller, job -> job.clientId.equals(clientId));
        return confirmation(clientId, null, doomed, waitDays, reason, "/portal/admin/clients/" + clientId + "/offboard",
                "/portal/admin/clients", DeskWords.of(rc));
    }

    @POST
    @Path("/offboard")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response offboard(@RestPath String clientId, @RestForm String waitDays, @RestForm String reason,
            RoutingContext rc) {
        DeskMessages words = DeskWords.of(rc);
        try {
            clients.scheduleOffboarding(caller(), clientId, request(waitDays, reason, words));
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            return confirmOffboarding(clientId, waitDays, reason, rc);
        }
        return Response.seeOther(URI.create("/portal/admin/clients")).build();
    }

    @POST
    @Path("/offboard/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response cancelOffboarding(@RestPath String clientId) {
        clients.cancelOffboarding(caller(), clientId);
        return Response.seeOther(URI.create("/portal/admin/clients")).build();
    }

    /**
     * The page for the wait asked for: the date is what the service would schedule now (the same
     * computation, so a refused wait or a missing reason shows here, before anything is scheduled).
     */
    private Response confirmation(String clientId, DeskViews.DpaRow dpa, List<DeskViews.DoomedJob> doomed,
            String waitDays, String reason, String action, String back, DeskMessages words) {
        Caller caller = caller();
        Views.ClientRow client = Views.ClientRow.of(clients.get(caller, clientId));
        Instant when = null;
        String error = null;
        try {
            when = endOfContract.scheduledFor(request(waitDays, reason, words));
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            error = e.detail();
        }
        boolean schedulable = dpa != null ? dpa.terminable() : client.active() && client.offboardScheduledFor() == null;
        var page = new DeskViews.EndOfContractPage(client, dpa, doomed, DeskViews.EndOfContractPage.stored(doomed), when,
                schedulable, FormValues.trimmed(waitDays), FormValues.trimmed(reason), action, back, error);
        return PortalForms.refused(error == null ? 200 : 400, DeskPages.endOfContract(Viewer.of(caller), page));
    }

    /** Jobs an end of contract would purge, with the material still stored in each (listed as the API lists it). */
    private List<DeskViews.DoomedJob> doomed(Caller caller, java.util.function.Predicate<Job> affected) {
        return jobs.visibleTo(caller).stream().filter(affected)
                .map(job -> new DeskViews.DoomedJob(job.title, (int) materials.inJob(caller, job.id).stream()
                        .filter(m -> m.state == Material.State.STORED).count()))
                .toList();
    }

    private Dpa dpaOf(Caller caller, String clientId, UUID dpaId) {
        return dpas.forClient(caller, clientId).stream().filter(d -> d.id.equals(dpaId)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("DPA"));
    }

    private TemplateInstance dpasPage(String clientId, DeskViews.DpaForm form, String error) {
        Caller caller = caller();
        Client client = clients.get(caller, clientId);
        List<DeskViews.DpaRow> rows = dpas.forClient(caller, clientId).stream()
                .map(d -> DeskViews.DpaRow.of(d, dpas.permittedNames(d.id))).toList();
        List<String> register = dpas.subProcessors().stream().map(p -> p.name).toList();
        return DeskPages.dpas(Viewer.of(caller), new DeskViews.DpasPage(Views.ClientRow.of(client), rows, register, form,
                error));
    }

    private static EndOfContract.Request request(String waitDays, String reason, DeskMessages words) {
        String days = FormValues.trimmed(waitDays);
        return new EndOfContract.Request(days.isEmpty() ? null : number(days, "waitDays", words), reason);
    }

    private static LocalDate date(String value, String field, DeskMessages words) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("validation", words.invalid_date(field));
        }
    }

    private static int number(String value, String field, DeskMessages words) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("validation", words.invalid_field(field));
        }
    }

    private static Response backToDpas(String clientId) {
        return Response.seeOther(URI.create("/portal/admin/clients/" + clientId + "/dpas")).build();
    }

    private Caller caller() {
        return currentCaller.get();
    }

}
