package io.valv.portal;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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

import io.quarkus.qute.TemplateInstance;
import io.valv.dpa.DpaResource;
import io.valv.dpa.DpaService;
import io.valv.dpa.SubProcessorObjections;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;
import io.vertx.ext.web.RoutingContext;

/**
 * The sub-processor register (Art. 28(2)): its entries, and every announced change with the day it takes
 * effect, with the clients that objected to it and why. Registering a sub-processor announces it with that date,
 * as through the API.
 */
@Path("/portal/admin/subprocessors")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VAULT_ADMIN)
@PortalCsrf.Protected
public class PortalSubProcessorResource {

    private final DpaService dpas;
    private final SubProcessorObjections objections;
    private final Validator validator;
    private final CurrentCaller currentCaller;

    PortalSubProcessorResource(DpaService dpas, SubProcessorObjections objections, Validator validator,
            CurrentCaller currentCaller) {
        this.dpas = dpas;
        this.objections = objections;
        this.validator = validator;
        this.currentCaller = currentCaller;
    }

    @GET
    @RolesAllowed(Roles.VAULT_ADMIN)
    public TemplateInstance register() {
        return page(DeskViews.SubProcessorForm.EMPTY, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.VAULT_ADMIN)
    public Response add(@RestForm String name, @RestForm String purpose, @RestForm String country,
            @RestForm String transferMechanism, @RestForm String effectiveFrom, RoutingContext rc) {
        var form = new DeskViews.SubProcessorForm(trim(name), trim(purpose), trim(country), trim(transferMechanism),
                trim(effectiveFrom));
        try {
            var body = new DpaResource.NewSubProcessor(form.name(), form.purpose(), form.country(),
                    form.transferMechanism(), date(form.effectiveFrom(), DeskWords.of(rc)));
            String invalid = PortalForms.violations(validator.validate(body));
            if (invalid != null) {
                return PortalForms.refused(400, page(form, invalid));
            }
            dpas.registerSubProcessor(body.name(), body.purpose(), body.country(), body.transferMechanism(),
                    body.effectiveFrom());
        } catch (ProblemException e) {
            return PortalForms.refused(e.status(), page(form, e.detail()));
        }
        return Response.seeOther(URI.create("/portal/admin/subprocessors")).build();
    }

    private TemplateInstance page(DeskViews.SubProcessorForm form, String error) {
        Caller caller = currentCaller.get();
        var register = dpas.subProcessors().stream().map(DeskViews.SubProcessorRow::of).toList();
        Map<UUID, List<SubProcessorObjections.ObjectionView>> objected = objections.byChange(caller);
        var changes = dpas.subProcessorChanges().stream()
                .map(c -> new DeskViews.ChangeRow(c, objected.getOrDefault(c.id(), List.of()))).toList();
        return DeskPages.subProcessors(Viewer.of(caller), new DeskViews.SubProcessorsPage(register, changes, form, error));
    }

    private static LocalDate date(String value, DeskMessages words) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("validation", words.invalid_date("effectiveFrom"));
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
