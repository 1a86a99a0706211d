package io.valv.dpa;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.valv.client.EndOfContractBody;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

@Path("/api/v1")
public class DpaResource {

    private final DpaService service;
    private final SubProcessorObjections objections;
    private final CurrentCaller currentCaller;
    private final ProcessorName processor;
    private final ObjectMapper json;

    DpaResource(DpaService service, SubProcessorObjections objections, CurrentCaller currentCaller,
            ProcessorName processor, ObjectMapper json) {
        this.objections = objections;
        this.json = json;
        this.service = service;
        this.currentCaller = currentCaller;
        this.processor = processor;
    }

    @GET
    @Path("/clients/{clientId}/dpas")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.CLIENT_ADMIN })
    public List<DpaView> list(@RestPath String clientId) {
        return service.forClient(currentCaller.get(), clientId).stream().map(this::view).toList();
    }

    @POST
    @Path("/clients/{clientId}/dpas")
    @RolesAllowed(Roles.VAULT_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@RestPath String clientId, @Valid @NotNull NewDpaBody body) {
        Dpa dpa = service.create(clientId, new DpaService.NewDpa(body.reference(), body.version(), body.signedOn(),
                body.effectiveFrom(), body.effectiveTo(), body.personalDataAllowed(), body.specialCategoriesAllowed(),
                body.dataCategories() == null ? List.of() : body.dataCategories(), body.retentionDays(),
                body.permittedSubProcessors() == null ? List.of() : body.permittedSubProcessors(),
                "draft".equals(body.status())));
        return Response.status(201).entity(view(dpa)).build();
    }

    @POST
    @Path("/clients/{clientId}/dpas/{dpaId}/activate")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public DpaView activate(@RestPath String clientId, @RestPath UUID dpaId) {
        return view(service.activate(clientId, dpaId));
    }

    /**
     * Schedules the termination: 202 with {@code scheduledFor}; after the waiting period (default 7 days;
     * shorter only with a {@code reason}) everything processed under the DPA is purged, with certificates.
     * The body is optional.
     */
    @POST
    @Path("/clients/{clientId}/dpas/{dpaId}/terminate")
    @RolesAllowed(Roles.VAULT_ADMIN)
    @Consumes(MediaType.WILDCARD) // the body is optional: a bare POST schedules with the defaults
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EndOfContractBody.class)))
    public Response terminate(@RestPath String clientId, @RestPath UUID dpaId, @RestHeader("Content-Type") String contentType,
            byte[] body) {
        Dpa dpa = service.scheduleTermination(currentCaller.get(), clientId, dpaId,
                EndOfContractBody.parse(contentType, body, json));
        return Response.accepted(view(dpa)).build();
    }

    /** Withdraws a scheduled termination before it takes effect. */
    @POST
    @Path("/clients/{clientId}/dpas/{dpaId}/terminate/cancel")
    @RolesAllowed(Roles.VAULT_ADMIN)
    public DpaView cancelTermination(@RestPath String clientId, @RestPath UUID dpaId) {
        return view(service.cancelTermination(currentCaller.get(), clientId, dpaId));
    }

    /** The client admin: "we have our data back, delete now". */
    @POST
    @Path("/clients/{clientId}/dpas/{dpaId}/terminate/confirm")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public DpaView confirmTermination(@RestPath String clientId, @RestPath UUID dpaId) {
        return view(service.confirmTermination(currentCaller.get(), clientId, dpaId));
    }

    @GET
    @Path("/subprocessors")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.CLIENT_ADMIN })
    public List<SubProcessorView> subProcessors() {
        return service.subProcessors().stream().map(SubProcessorView::of).toList();
    }

    @POST
    @Path("/subprocessors")
    @RolesAllowed(Roles.VAULT_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull NewSubProcessor body) {
        SubProcessor p = service.registerSubProcessor(body.name(), body.purpose(), body.country(), body.transferMechanism(),
                body.effectiveFrom());
        return Response.status(201).entity(SubProcessorView.of(p)).build();
    }

    /** Art. 28(2): every change to the sub-processor register, and when it takes effect. */
    @GET
    @Path("/subprocessors/changes")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.CLIENT_ADMIN })
    public List<DpaService.ChangeView> changes() {
        return service.subProcessorChanges();
    }

    /**
     * The client admin objects to a sub-processor change (Art. 28(2)), with a reason: 201 with the objection;
     * 200 with the first one if the client has objected to this change already.
     */
    @POST
    @Path("/clients/{clientId}/subprocessor-changes/{changeId}/objection")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response object(@RestPath String clientId, @RestPath UUID changeId, @Valid @NotNull ObjectionBody body) {
        SubProcessorObjections.Outcome outcome = objections.object(currentCaller.get(), clientId, changeId, body.reason());
        return Response.status(outcome.created() ? 201 : 200).entity(outcome.objection()).build();
    }

    /** Every client's objection to one change: what the processor's admin must act on. */
    @GET
    @Path("/subprocessor-changes/{changeId}/objections")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR })
    public List<SubProcessorObjections.ObjectionView> objections(@RestPath UUID changeId) {
        return objections.toChange(currentCaller.get(), changeId);
    }

    public record ObjectionBody(@NotBlank @Size(max = SubProcessorObjections.MAX_REASON) String reason) {
    }

    /** Art. 30(2): the processor's record of processing, generated from the live state. */
    @GET
    @Path("/record-of-processing")
    @RolesAllowed({ Roles.VAULT_ADMIN, Roles.AUDITOR })
    public RecordOfProcessing recordOfProcessing() {
        return service.recordOfProcessing(processor.legalName());
    }

    private DpaView view(Dpa d) {
        return new DpaView(d.id, d.clientId, d.reference, d.version, d.signedOn, d.effectiveFrom, d.effectiveTo,
                d.status.name().toLowerCase(), d.personalDataAllowed, d.specialCategoriesAllowed,
                d.dataCategories == null || d.dataCategories.isBlank() ? List.of() : List.of(d.dataCategories.split(", ")),
                d.retentionDays, service.permittedNames(d.id), d.createdAt, d.terminatedAt, d.terminationScheduledFor,
                d.terminationReason);
    }

    public record NewDpaBody(
            @NotBlank @Size(max = 100) String reference,
            @NotBlank @Size(max = 32) String version,
            LocalDate signedOn,
            @NotNull LocalDate effectiveFrom,
            LocalDate effectiveTo,
            boolean personalDataAllowed,
            boolean specialCategoriesAllowed,
            @Size(max = 50) List<@NotBlank @Size(max = 100) String> dataCategories,
            @Min(1) @Max(365) int retentionDays,
            @Size(max = 50) List<@NotBlank @Size(max = 200) String> permittedSubProcessors,
            @Pattern(regexp = "draft|active") String status) {
    }

    public record DpaView(UUID id, String clientId, String reference, String version, LocalDate signedOn,
            LocalDate effectiveFrom, LocalDate effectiveTo, String status, boolean personalDataAllowed,
            boolean specialCategoriesAllowed, List<String> dataCategories, int retentionDays,
            List<String> permittedSubProcessors, Instant createdAt, Instant terminatedAt,
            /** When a scheduled termination takes effect; null when none is pending. */
            Instant scheduledFor,
            /** Why its waiting period was shortened, when it was. */
            String scheduleReason) {
    }

    public record NewSubProcessor(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 500) String purpose,
            @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code") String country,
            @NotBlank @Size(max = 200) String transferMechanism,
            LocalDate effectiveFrom) {
    }

    public record SubProcessorView(UUID id, String name, String purpose, String country, String transferMechanism) {

        static SubProcessorView of(SubProcessor p) {
            return new SubProcessorView(p.id, p.name, p.purpose, p.country, p.transferMechanism);
        }
    }
}
