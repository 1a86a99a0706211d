package io.valv.portal;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.valv.certificate.CertificateService;
import io.valv.job.Job;
import io.valv.job.JobService;
import io.valv.material.Material;
import io.valv.material.MaterialResource;
import io.valv.material.MaterialService;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * The staff portal: jobs, their material (play, seek, download), completing a job and attesting that local
 * copies are gone. Signed in through the {@code portal} OIDC tenant (authorization-code flow, session
 * cookie); every rule is the services' own, applied to the session's identity. Forms carry a CSRF token
 * (quarkus-rest-csrf) and answer with a redirect (post/redirect/get).
 */
@Path("/portal")
@Produces(MediaType.TEXT_HTML)
@PortalCsrf.Protected
public class PortalResource {

    /** The client workspace's home (io.valv.workspace). */
    static final String WORKSPACE = "/portal/workspace";

    private final JobService jobs;
    private final MaterialService materials;
    private final MaterialResource content;
    private final CertificateService certificates;
    private final CurrentCaller currentCaller;

    PortalResource(JobService jobs, MaterialService materials, MaterialResource content,
            CertificateService certificates, CurrentCaller currentCaller) {
        this.jobs = jobs;
        this.materials = materials;
        this.content = content;
        this.certificates = certificates;
        this.currentCaller = currentCaller;
    }

    /**
     * Staff see the jobs assigned to them; the admin and the DPO see every job. A client's people (who sign in
     * here too) are sent on to their workspace; the staff pages stay closed to them (403).
     */
    @GET
    @RolesAllowed({ Roles.STAFF, Roles.VAULT_ADMIN, Roles.AUDITOR, Roles.CLIENT_ADMIN, Roles.CLIENT_UPLOADER })
    public Response home() {
        Caller caller = currentCaller.get();
        Viewer viewer = Viewer.of(caller);
        if (!viewer.processorSide()) {
            return Response.seeOther(URI.create(WORKSPACE)).build();
        }
        List<Views.JobRow> rows = jobs.visibleTo(caller).stream().map(job -> Views.JobRow.of(job, List.of())).toList();
        return Response.ok(Pages.jobs(viewer, rows)).type(MediaType.TEXT_HTML_TYPE).build();
    }

    @GET
    @Path("/jobs/{jobId}")
    @RolesAllowed({ Roles.STAFF, Roles.VAULT_ADMIN, Roles.AUDITOR })
    public TemplateInstance job(@RestPath UUID jobId) {
        Caller caller = currentCaller.get();
        Job job = jobs.visible(caller, jobId);
        List<String> staff = jobs.staffOf(jobId);
        boolean assigned = AccessPolicy.mayHoldAssignment(caller) && staff.contains(caller.subject());
        boolean mayRead = AccessPolicy.mayReadContent(caller, job.clientId, assigned, job.isOpen());
        List<Views.MaterialRow> rows = materials.inJob(caller, jobId).stream()
                .map(m -> Views.MaterialRow.of(m, mayRead)).toList();
        Instant attestedAt = assigned ? certificates.localCopiesAttestedAt(jobId, caller.subject()).orElse(null) : null;
        boolean canComplete = job.isOpen() && AccessPolicy.mayCompleteJob(caller, job.clientId, assigned);
        return Pages.job(Viewer.of(caller), new Views.JobPage(Views.JobRow.of(job, staff), rows, assigned, canComplete,
                assigned, attestedAt));
    }

    /**
     * Content for the page's media elements and download links. Delegates to the API's content endpoint
     * method, so that Range/206/416, ETag/If-Range, Content-Disposition, no-store and the authorization are one
     * code path for both front ends; the caller is this request's session identity.
     */
    @GET
    @Path("/materials/{id}/content")
    @Produces(MediaType.WILDCARD)
    @RolesAllowed(Roles.STAFF)
    public Response content(@RestPath UUID id, @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange, @RestQuery boolean inline) {
        return content.content(id, range, ifRange, inline);
    }

    /**
     * A material shown in the page under the watermark: images in an {@code <img>} fed by the content path
     * above (which audits the read). The same rules as content: staff assigned to the open job only.
     */
    @GET
    @Path("/materials/{id}/view")
    @RolesAllowed(Roles.STAFF)
    public TemplateInstance view(@RestPath UUID id) {
        Caller caller = currentCaller.get();
        Material m = materials.visible(caller, id);
        Job job = jobs.visible(caller, m.jobId);
        boolean assigned = AccessPolicy.mayHoldAssignment(caller) && jobs.staffOf(job.id).contains(caller.subject());
        if (!AccessPolicy.mayReadContent(caller, m.clientId, assigned, job.isOpen())) {
            throw ProblemException.forbidden("Your role or assignment does not allow reading this content.");
        }
        if (m.state != Material.State.STORED) {
            throw new ProblemException(ProblemType.MATERIAL_PURGED, "This material has been destroyed.");
        }
        return Pages.view(Viewer.of(caller), new Views.ViewPage(m.id, m.filename, m.mediaType, job.id, job.title,
                job.clientId, Views.isImage(m.mediaType)));
    }

    /** Completing a job purges its material at once unless the client asked for reuse. */
    @POST
    @Path("/jobs/{jobId}/complete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({ Roles.STAFF, Roles.VAULT_ADMIN })
    public Response complete(@RestPath UUID jobId) {
        jobs.complete(currentCaller.get(), jobId);
        return backTo(jobId);
    }

    /** "I have deleted my local copies": recorded per job and member of staff, named on certificates. */
    @POST
    @Path("/jobs/{jobId}/attestation")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.STAFF)
    public Response attest(@RestPath UUID jobId) {
        certificates.attestLocalCopiesDeleted(currentCaller.get(), jobId);
        return backTo(jobId);
    }

    /**
     * The OIDC redirect URI. The code flow completes before this method would run and sends the user back
     * to the page they asked for; reaching it means there was nothing to restore.
     */
    @GET
    @Path("/callback")
    @Authenticated
    public Response callback() {
        return Response.seeOther(URI.create("/portal")).build();
    }

    /**
     * Sign-out, a plain link: the OIDC mechanism answers this path itself (RP-initiated logout at the
     * provider, which then sends the browser to {@code /portal/signed-out}); the method only runs when there
     * is no session to end. Not a form: CSP {@code form-action 'self'} would stop a form's redirect to the
     * provider, and the SameSite=strict session cookie already keeps other sites from signing anyone out.
     */
    @GET
    @Path("/logout")
    @Authenticated
    public Response logout() {
        return Response.seeOther(URI.create("/portal/signed-out")).build();
    }

    /** Public on purpose: shown after sign-out, when there is no session. */
    @GET
    @Path("/signed-out")
    @PermitAll
    public TemplateInstance signedOut() {
        StaffMessages words = StaffTexts.now();
        return Pages.message(null, words.signed_out_title(), words.signed_out_text(), true);
    }

    /** Public on purpose: the OIDC tenant sends an expired session here instead of straight to the login page. */
    @GET
    @Path("/session-expired")
    @PermitAll
    public TemplateInstance sessionExpired() {
        StaffMessages words = StaffTexts.now();
        return Pages.message(null, words.session_expired_title(), words.session_expired_text(), true);
    }

    private static Response backTo(UUID jobId) {
        return Response.seeOther(URI.create("/portal/jobs/" + jobId)).build();
    }
}
