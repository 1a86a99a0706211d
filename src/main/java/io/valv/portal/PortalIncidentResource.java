package io.valv.portal;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Validator;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.valv.client.ClientService;
import io.valv.incident.IncidentResource;
import io.valv.incident.IncidentService;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;
import io.vertx.ext.web.RoutingContext;

/**
 * The Art. 33(2) notice in the browser: the processor's DPO (or admin) fills in the Art. 33(3) fields, reads
 * back exactly what each ticked controller will be told, and only then sends it. Sending calls the service the
 * API's {@code POST /api/v1/incidents} calls (one audit event and one webhook/email per client, in the
 * transaction that records the notice); the review step changes nothing. The form is checked against the API's
 * own request record, so that the page accepts exactly what the API accepts.
 */
@Path("/portal/incidents")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
@PortalCsrf.Protected
public class PortalIncidentResource {

    private final IncidentService incidents;
    private final ClientService clients;
    private final Validator validator;
    private final Clock clock;
    private final CurrentCaller currentCaller;

    PortalIncidentResource(IncidentService incidents, ClientService clients, Validator validator, Clock clock,
            CurrentCaller currentCaller) {
        this.incidents = incidents;
        this.clients = clients;
        this.validator = validator;
        this.clock = clock;
        this.currentCaller = currentCaller;
    }

    /**
     * The notices sent so far (newest first) and the form for a new one; {@code client} pre-ticks clients (the
     * incident report links here with the clients it was narrowed to), {@code sent} names the notice just sent.
     */
    @GET
    @RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
    public TemplateInstance list(@RestQuery List<String> client, @RestQuery UUID sent) {
        DeskViews.IncidentForm form = DeskViews.IncidentForm.EMPTY.ticking(cleaned(client));
        return page(form, sent, null);
    }

    /** The read-back: what will be sent, to whom, by which channels; nothing is recorded or sent yet. */
    @POST
    @Path("/review")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
    public Response review(@BeanParam NoticeFields fields, RoutingContext rc) {
        DeskViews.IncidentForm form = fields.form();
        try {
            DeskMessages words = DeskWords.of(rc);
            String invalid = checked(form, words);
            if (invalid == null && body(form, words).detectedAt().isAfter(Instant.now(clock))) {
                invalid = words.incident_detected_future();
            }
            if (invalid != null) {
                return PortalForms.refused(400, page(form, null, invalid));
            }
        } catch (ProblemException e) {
            return PortalForms.refused(e.status(), page(form, null, e.detail()));
        }
        return Response.ok(DeskPages.incidentReview(Viewer.of(caller()), form)).build();
    }

    /** Back from the read-back to the form, with everything as it was typed. */
    @POST
    @Path("/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
    public TemplateInstance edit(@BeanParam NoticeFields fields) {
        return page(fields.form(), null, null);
    }

    /** Sends the notice as read back; a refused one (a client gone meanwhile, a bad field) is shown again. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
    public Response send(@BeanParam NoticeFields fields, RoutingContext rc) {
        DeskViews.IncidentForm form = fields.form();
        IncidentService.View sent;
        try {
            DeskMessages words = DeskWords.of(rc);
            String invalid = checked(form, words);
            if (invalid != null) {
                return PortalForms.refused(400, page(form, null, invalid));
            }
            IncidentResource.Body body = body(form, words);
            sent = incidents.raise(caller(), new IncidentService.NewIncident(body.nature(), body.dataSubjectCategories(),
                    body.approximateDataSubjects(), body.recordCategories(), body.approximateRecords(),
                    body.likelyConsequences(), body.measures(), body.contactPoint(), body.detectedAt(), body.clientIds(),
                    body.windowFrom(), body.windowTo()));
        } catch (ProblemException e) {
            if (e.status() == 403) {
                throw e;
            }
            return PortalForms.refused(e.status(), page(form, null, e.detail()));
        }
        return Response.seeOther(URI.create("/portal/incidents?sent=" + sent.id())).build();
    }

    /** The notice's fields as the form posts them (the review step repeats them as hidden fields). */
    public static class NoticeFields {
        @RestForm
        String nature;
        @RestForm
        String dataSubjectCategories;
        @RestForm
        String approximateDataSubjects;
        @RestForm
        String recordCategories;
        @RestForm
        String approximateRecords;
        @RestForm
        String likelyConsequences;
        @RestForm
        String measures;
        @RestForm
        String contactPoint;
        @RestForm
        String detectedAt;
        @RestForm
        List<String> client;

        DeskViews.IncidentForm form() {
            return new DeskViews.IncidentForm(FormValues.trimmed(nature), FormValues.trimmed(dataSubjectCategories),
                    FormValues.trimmed(approximateDataSubjects),
                    FormValues.trimmed(recordCategories), FormValues.trimmed(approximateRecords),
                    FormValues.trimmed(likelyConsequences), FormValues.trimmed(measures),
                    FormValues.trimmed(contactPoint), FormValues.trimmed(detectedAt), cleaned(client));
        }
    }

    /** The API's own validation of the request record, or null when the form is valid. */
    private String checked(DeskViews.IncidentForm form, DeskMessages words) {
        return PortalForms.violations(validator.validate(body(form, words)));
    }

    private static IncidentResource.Body body(DeskViews.IncidentForm form, DeskMessages words) {
        return new IncidentResource.Body(form.nature(), form.dataSubjectCategories(),
                count(form.approximateDataSubjects(), "approximateDataSubjects", words), form.recordCategories(),
                count(form.approximateRecords(), "approximateRecords", words), form.likelyConsequences(),
                form.measures(), form.contactPoint(), detected(form.detectedAt(), words), form.clients(), null, null);
    }

    private TemplateInstance page(DeskViews.IncidentForm form, UUID sent, String error) {
        Caller caller = caller();
        List<IncidentService.View> notices = incidents.visibleTo(caller);
        IncidentService.View justSent = sent == null ? null
                : notices.stream().filter(n -> n.id().equals(sent)).findFirst().orElse(null);
        List<String> clientIds = clients.visibleTo(caller).stream().map(c -> c.id).toList();
        return DeskPages.incidents(Viewer.of(caller), new DeskViews.IncidentsPage(notices, justSent, clientIds, form, error));
    }

    private Caller caller() {
        return currentCaller.get();
    }

    /** An estimate as typed; empty means "not known" (0, as the API documents). */
    private static long count(String value, String field, DeskMessages words) {
        if (value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("validation", words.invalid_field(field));
        }
    }

    private static Instant detected(String value, DeskMessages words) {
        return value.isEmpty() ? null : FormValues.optionalTime(value, words.invalid_time("detectedAt"));
    }

    private static List<String> cleaned(List<String> ids) {
        return ids == null ? List.of()
                : ids.stream().map(FormValues::trimmed).filter(c -> !c.isEmpty()).distinct().toList();
    }

}
