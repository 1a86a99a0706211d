package io.valv.workspace;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.valv.certificate.CertificateResource;
import io.valv.certificate.CertificateService;
import io.valv.dpa.Dpa;
import io.valv.dpa.DpaService;
import io.valv.dpa.SubProcessorObjections;
import io.valv.job.Job;
import io.valv.job.JobService;
import io.valv.material.Material;
import io.valv.material.MaterialResource;
import io.valv.material.MaterialService;
import io.valv.portal.PortalCsrf;
import io.valv.portal.Viewer;
import io.valv.purge.ErasureResource;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;

/**
 * The client workspace: a client's own people (uploader, client admin) signed in through the portal tenant. The
 * uploader sees the client's open jobs and uploads into them (the page's script speaks tus to
 * {@link WorkspaceUploadResource}); the client admin also sees each material's state and expiry, instructs
 * erasure after a confirmation step that names what will be destroyed, downloads the deletion certificates,
 * reads the DPA in force and objects to sub-processor changes.
 * The client is the one of the verified token only; every rule is the services' own, and every action goes
 * through the same resource method the API uses.
 */
@Path("/portal/workspace")
@Produces(MediaType.TEXT_HTML)
@PortalCsrf.Protected
public class WorkspaceResource {

    private final JobService jobs;
    private final MaterialService materials;
    private final MaterialResource materialApi;
    private final CertificateService certificates;
    private final CertificateResource certificateApi;
    private final ErasureResource erasureApi;
    private final DpaService dpas;
    private final SubProcessorObjections objections;
    private final Clock clock;
    private final CurrentCaller currentCaller;

    WorkspaceResource(JobService jobs, MaterialService materials, MaterialResource materialApi,
            CertificateService certificates, CertificateResource certificateApi, ErasureResource erasureApi,
            DpaService dpas, SubProcessorObjections objections, Clock clock, CurrentCaller currentCaller) {
        this.dpas = dpas;
        this.objections = objections;
        this.jobs = jobs;
        this.materials = materials;
        this.materialApi = materialApi;
        this.certificates = certificates;
        this.certificateApi = certificateApi;
        this.erasureApi = erasureApi;
        this.clock = clock;
        this.currentCaller = currentCaller;
    }

    /** The client's open jobs. */
    @GET
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public TemplateInstance home() {
        Caller caller = currentCaller.get();
        List<WorkspaceViews.JobRow> open = jobs.visibleTo(caller).stream().filter(Job::isOpen)
                .map(WorkspaceViews.JobRow::of).toList();
        return WorkspacePages.home(Viewer.of(caller), caller.clientId().orElse(""), open);
    }

    /** A job: the upload zone while it is open, its material, and for the client admin what was destroyed. */
    @GET
    @Path("/jobs/{jobId}")
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public TemplateInstance job(@RestPath UUID jobId) {
        Caller caller = currentCaller.get();
        Job job = jobs.visible(caller, jobId);
        Instant now = Instant.now(clock);
        boolean canErase = AccessPolicy.mayErase(caller, job.clientId);
        Map<UUID, UUID> certificateOf = canErase ? certificatesByMaterial(caller) : Map.of();
        List<WorkspaceViews.MaterialRow> rows = materials.inJob(caller, jobId).stream()
                .map(m -> WorkspaceViews.MaterialRow.of(m, now, null)).toList();
        List<WorkspaceViews.MaterialRow> destroyed = canErase ? materials.purgedOfJob(jobId).stream()
                .map(m -> WorkspaceViews.MaterialRow.of(m, now, certificateOf.get(m.id))).toList() : List.of();
        boolean pending = rows.stream().anyMatch(WorkspaceViews.MaterialRow::pending)
                || destroyed.stream().anyMatch(d -> d.certificateId() == null);
        return WorkspacePages.job(Viewer.of(caller),
                new WorkspaceViews.JobPage(WorkspaceViews.JobRow.of(job), rows, destroyed, canErase, pending));
    }

    /** A stored material's metadata for the upload script (its SHA-256 once the upload is complete). */
    @GET
    @Path("/materials/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CLIENT_UPLOADER, Roles.CLIENT_ADMIN })
    public MaterialResource.MaterialView material(@RestPath UUID id) {
        return materialApi.get(id);
    }

    /** The confirmation step of erasing one material: what will be destroyed, by name. */
    @GET
    @Path("/materials/{id}/erasure")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance confirmErasure(@RestPath UUID id) {
        Caller caller = currentCaller.get();
        Material m = materials.visible(caller, id);
        requireErasable(caller, m.clientId);
        Job job = jobs.visible(caller, m.jobId);
        return WorkspacePages.confirm(Viewer.of(caller), new WorkspaceViews.Confirmation(WorkspaceViews.JobRow.of(job),
                List.of(WorkspaceViews.MaterialRow.of(m, Instant.now(clock), null)),
                "/portal/workspace/materials/" + id + "/erasure", false));
    }

    /** The erasure instruction itself, through the API's method (202 there, a redirect to the job here). */
    @POST
    @Path("/materials/{id}/erasure")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response erase(@RestPath UUID id) {
        Material m = materials.visible(currentCaller.get(), id);
        erasureApi.erase(id);
        return backTo(m.jobId);
    }

    /** The confirmation step of erasing a whole job's material: every stored material, by name. */
    @GET
    @Path("/jobs/{jobId}/erasure")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance confirmJobErasure(@RestPath UUID jobId) {
        Caller caller = currentCaller.get();
        Job job = jobs.visible(caller, jobId);
        requireErasable(caller, job.clientId);
        Instant now = Instant.now(clock);
        List<WorkspaceViews.MaterialRow> stored = materials.inJob(caller, jobId).stream()
                .filter(m -> m.state == Material.State.STORED).map(m -> WorkspaceViews.MaterialRow.of(m, now, null))
                .toList();
        return WorkspacePages.confirm(Viewer.of(caller), new WorkspaceViews.Confirmation(WorkspaceViews.JobRow.of(job),
                stored, "/portal/workspace/jobs/" + jobId + "/erasure", true));
    }

    @POST
    @Path("/jobs/{jobId}/erasure")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response eraseJob(@RestPath UUID jobId) {
        erasureApi.eraseJob(jobId);
        return backTo(jobId);
    }

    /** The client's deletion certificates, each named by what it is about, with the verification commands. */
    @GET
    @Path("/certificates")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance certificates() {
        Caller caller = currentCaller.get();
        String clientId = WorkspaceRequests.clientOf(caller);
        List<CertificateService.CertificateView> issued = certificates.visibleTo(caller, clientId);
        Map<UUID, String> names = new HashMap<>();
        Map<UUID, String> titles = new HashMap<>();
        if (clientId != null) {
            // only the files these certificates are about, not every destroyed file of the client
            names.putAll(materials.filenamesOf(caller, clientId, issued.stream()
                    .map(CertificateService.CertificateView::materialId).filter(Objects::nonNull).collect(Collectors.toSet())));
            jobs.visibleTo(caller).forEach(j -> titles.put(j.id, j.title));
        }
        List<WorkspaceViews.CertificateRow> rows = issued.stream()
                .sorted((a, b) -> b.issuedAt().compareTo(a.issuedAt()))
                .map(c -> WorkspaceViews.CertificateRow.of(c, c.materialId() != null
                        ? names.getOrDefault(c.materialId(), c.materialId().toString())
                        : titles.getOrDefault(c.jobId(), clientId)))
                .toList();
        return WorkspacePages.certificates(Viewer.of(caller), rows);
    }

    /** The signed PDF, through the API's method (language from {@code lang} or the browser's preference). */
    @GET
    @Path("/certificates/{id}/pdf")
    @Produces("application/pdf")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response certificatePdf(@RestPath UUID id, @RestQuery String lang, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        return certificateApi.pdf(id, lang, headers, uri);
    }

    /** The CMS SignedData (DER) for {@code openssl cms -verify}, through the API's method. */
    @GET
    @Path("/certificates/{id}/signed")
    @Produces("application/pkcs7-mime")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response certificateSigned(@RestPath UUID id) {
        return certificateApi.signed(id);
    }

    /**
     * The DPA in force (reference, version, retention, data categories, permitted sub-processors) and the
     * sub-processor change notices with their effective dates, each with the client's objection or a form for it.
     */
    @GET
    @Path("/dpa")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance dpa() {
        return dpaPage(currentCaller.get(), null);
    }

    /** The objection, through the same service as the API's; a refused reason re-shows the page with the error. */
    @POST
    @Path("/subprocessor-changes/{changeId}/objection")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response object(@RestPath UUID changeId, @RestForm String reason) {
        Caller caller = currentCaller.get();
        try {
            objections.object(caller, WorkspaceRequests.clientOf(caller), changeId, reason);
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(dpaPage(caller, e.detail())).build();
        }
        return WorkspaceRequests.seeOther("/dpa");
    }

    private TemplateInstance dpaPage(Caller caller, String error) {
        String clientId = WorkspaceRequests.clientOf(caller);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        WorkspaceViews.DpaFacts facts = dpas.forClient(caller, clientId).stream()
                .filter(d -> d.status == Dpa.Status.ACTIVE && d.inForceOn(today)).findFirst()
                .map(d -> new WorkspaceViews.DpaFacts(d.reference, d.version, d.effectiveFrom, d.effectiveTo,
                        d.retentionDays, d.personalDataAllowed, d.dataCategories, dpas.permittedNames(d.id)))
                .orElse(null);
        Map<UUID, SubProcessorObjections.ObjectionView> objected = new HashMap<>();
        objections.ofClient(caller, clientId).forEach(o -> objected.put(o.changeId(), o));
        List<WorkspaceViews.ChangeRow> changes = dpas.subProcessorChanges().stream().map(c -> {
            SubProcessorObjections.ObjectionView o = objected.get(c.id());
            return new WorkspaceViews.ChangeRow(c.id(), c.subProcessor(), c.change(), c.description(), c.effectiveFrom(),
                    c.announcedAt(), o == null ? null : o.objectedAt(), o == null ? null : o.objectedBy(),
                    o == null ? null : o.reason());
        }).toList();
        return WorkspacePages.dpa(Viewer.of(caller), new WorkspaceViews.DpaPage(facts, changes, error));
    }

    private Map<UUID, UUID> certificatesByMaterial(Caller caller) {
        Map<UUID, UUID> byMaterial = new HashMap<>();
        certificates.visibleTo(caller, WorkspaceRequests.clientOf(caller)).stream().filter(c -> c.materialId() != null)
                .forEach(c -> byMaterial.put(c.materialId(), c.id()));
        return byMaterial;
    }

    /** The same rule the erasure service applies, so that the confirmation is never shown for a refused step. */
    private static void requireErasable(Caller caller, String clientId) {
        if (!AccessPolicy.mayErase(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin can instruct erasure.");
        }
    }

    private static Response backTo(UUID jobId) {
        return WorkspaceRequests.seeOther("/jobs/" + jobId);
    }
}
