package io.valv.certificate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

@Path("/api/v1")
public class CertificateResource {

    private final CertificateService service;
    private final ControllerLanguage languages;
    private final CurrentCaller currentCaller;

    CertificateResource(CertificateService service, ControllerLanguage languages, CurrentCaller currentCaller) {
        this.service = service;
        this.languages = languages;
        this.currentCaller = currentCaller;
    }

    @GET
    @Path("/certificates")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CLIENT_ADMIN, Roles.AUDITOR, Roles.VAULT_ADMIN })
    public List<CertificateService.CertificateView> list(@RestQuery String clientId) {
        return service.visibleTo(currentCaller.get(), clientId);
    }

    /** A summary certificate for a job or the whole client, on the client admin's request. */
    @POST
    @Path("/certificates")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CLIENT_ADMIN, Roles.VAULT_ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(@Valid @NotNull CertificateRequest body) {
        Caller caller = currentCaller.get();
        String clientId = body.clientId() != null ? body.clientId() : caller.clientId().orElse(null);
        UUID id = service.issueSummary(caller, body.scope(), body.jobId(), clientId);
        return Response.status(201).entity(Map.of("id", id)).build();
    }

    /** The signed statement itself: canonical JSON, byte-identical to the CMS content. */
    @GET
    @Path("/certificates/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CLIENT_ADMIN, Roles.AUDITOR, Roles.VAULT_ADMIN })
    public Response get(@RestPath UUID id) {
        return Response.ok(service.get(currentCaller.get(), id).document(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/certificates/{id}/signed")
    @Produces("application/pkcs7-mime")
    @RolesAllowed({ Roles.CLIENT_ADMIN, Roles.AUDITOR, Roles.VAULT_ADMIN })
    public Response signed(@RestPath UUID id) {
        return Response.ok(service.get(currentCaller.get(), id).signedData(), "application/pkcs7-mime")
                .header("Content-Disposition", "attachment; filename=\"certificate-" + id + ".p7s\"").build();
    }

    @GET
    @Path("/certificates/{id}/pdf")
    @Produces("application/pdf")
    @RolesAllowed({ Roles.CLIENT_ADMIN, Roles.AUDITOR, Roles.VAULT_ADMIN })
    // lang=sv|en wins; then the controller's configured language; then the first of sv/en in Accept-Language; then
    // English (docs/certificates.md)
    public Response pdf(@RestPath UUID id, @RestQuery String lang, HttpHeaders headers, UriInfo uri) {
        CertificateService.StoredCertificate certificate = service.get(currentCaller.get(), id);
        Locale locale = CertificatePdf.language(lang, languages.of(certificate.clientId()).orElse(null),
                headers.getAcceptableLanguages());
        byte[] pdf = service.pdf(certificate, locale, uri.getBaseUri().toString());
        return Response.ok(pdf, "application/pdf").header("Content-Language", locale.toLanguageTag())
                .header("Content-Disposition", "attachment; filename=\"certificate-" + id + ".pdf\"").build();
    }

    /** Public on purpose: anyone holding a certificate must be able to verify it without an account. */
    @GET
    @Path("/certificates/signing-certificate")
    @Produces("application/x-pem-file")
    @PermitAll
    public String signingCertificate() {
        return service.signingCertificatePem();
    }

    /** "I have deleted my local copies of this job's material" — printed on the job's certificates. */
    @POST
    @Path("/jobs/{jobId}/attestations")
    @RolesAllowed(Roles.STAFF)
    public Response attest(@RestPath UUID jobId) {
        service.attestLocalCopiesDeleted(currentCaller.get(), jobId);
        return Response.noContent().build();
    }

    public record CertificateRequest(@NotNull @Pattern(regexp = "job|client") String scope, UUID jobId, String clientId) {
    }
}
