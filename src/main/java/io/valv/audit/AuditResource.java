package io.valv.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/** The access log over HTTP (docs/audit.md). Every read here is itself audited. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** The form of a client id (a slug, as clients are created with): anything else is a 400, not a lookup. */
    public static final String CLIENT_ID = "[a-z0-9][a-z0-9-]{1,62}";
    /** The form of an event action (docs/audit.md: {@code material.content.read}, …). */
    public static final String ACTION = "[a-z][a-z0-9.-]{0,99}";
    public static final String OUTCOME = "ok|denied|error";

    private final AuditService service;
    private final IncidentReports reports;
    private final MerkleLog treeHeads;
    private final CurrentCaller currentCaller;

    AuditResource(AuditService service, IncidentReports reports, MerkleLog treeHeads, CurrentCaller currentCaller) {
        this.service = service;
        this.reports = reports;
        this.treeHeads = treeHeads;
        this.currentCaller = currentCaller;
    }

    /**
     * Events, newest first. The auditor sees all (or one client's); a client admin its own client's only,
     * with the processor's staff shown by pseudonym. {@code to} is exclusive. {@code actor} (auditor only)
     * selects one named person's events, also where they are stored as that person's per-client pseudonym
     * (docs/audit.md, "Personal data in events").
     */
    @GET
    @RolesAllowed({ Roles.AUDITOR, Roles.CLIENT_ADMIN })
    public AuditService.Page list(@RestQuery @Pattern(regexp = CLIENT_ID, message = "must be a client id") String clientId,
            @RestQuery UUID materialId, @RestQuery UUID jobId,
            @RestQuery Instant from, @RestQuery Instant to, @RestQuery @Size(min = 1, max = 255) String actor,
            @RestQuery @Pattern(regexp = ACTION, message = "must be an event action") String action,
            @RestQuery @Pattern(regexp = OUTCOME, message = "must be ok, denied or error") String outcome,
            @RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("50") @Min(1) @Max(AuditService.MAX_PAGE_SIZE) int size) {
        return service.list(currentCaller.get(), clientId, materialId, jobId, from, to, actor, action, outcome, page,
                size);
    }

    /** Re-checks the global chain, every client chain and every checkpoint signature. */
    @GET
    @Path("/verify")
    @RolesAllowed(Roles.AUDITOR)
    public AuditService.Verification verify() {
        return service.verify(currentCaller.get());
    }

    /**
     * One client's events with their client-chain hashes and the latest signed checkpoint, verifiable
     * offline (docs/audit.md). At most 10,000 events per call; {@code nextClientSeq} continues.
     */
    @GET
    @Path("/export")
    @RolesAllowed({ Roles.AUDITOR, Roles.CLIENT_ADMIN })
    public AuditService.Export export(@RestQuery @Pattern(regexp = CLIENT_ID, message = "must be a client id") String clientId,
            @RestQuery @DefaultValue("1") @Min(1) long fromClientSeq) {
        return service.export(currentCaller.get(), clientId, fromClientSeq);
    }

    /**
     * Per client, for a window: the materials accessed, by whom, when, counts and the DPAs' data
     * categories. JSON by default; {@code Accept: text/html} (what a browser sends) gets the same report as
     * one self-contained, escaped HTML page: no script, a content security policy that allows only its own
     * style sheet, never cached.
     */
    @GET
    @Path("/incident-report")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @RolesAllowed(Roles.AUDITOR)
    @APIResponseSchema(value = IncidentReports.IncidentReport.class, responseDescription = "The report as JSON, or the same as an HTML page")
    public Response incidentReport(@RestQuery @NotNull Instant from, @RestQuery @NotNull Instant to,
            @Context HttpHeaders headers) {
        IncidentReports.IncidentReport report = reports.incidentReport(currentCaller.get(), from, to);
        if (!prefersHtml(headers.getAcceptableMediaTypes())) {
            return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(IncidentReportPage.render(report), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Content-Security-Policy", IncidentReportPage.CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff").header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer").build();
    }

    /**
     * HTML only when the caller names it, or text in general, before JSON (the list is sorted by quality and
     * specificity); the full wildcard that API clients send keeps the JSON that existing scripts expect.
     */
    static boolean prefersHtml(List<MediaType> acceptable) {
        for (MediaType m : acceptable) {
            if (m.isWildcardType()) {
                return false;
            }
            if (m.isCompatible(MediaType.TEXT_HTML_TYPE)) {
                return true;
            }
            if (m.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    /**
     * The inclusion proof of one event in the log's Merkle tree (RFC 9162), against the newest signed tree
     * head, verifiable offline (docs/audit.md). The auditor: any event; a client admin: its own client's.
     * 409 {@code not-yet-covered} until a tree head covers the event (one is signed every checkpoint interval).
     */
    @GET
    @Path("/events/{id}/inclusion-proof")
    @RolesAllowed({ Roles.AUDITOR, Roles.CLIENT_ADMIN })
    public MerkleLog.InclusionProof inclusionProof(@RestPath UUID id) {
        return treeHeads.proof(currentCaller.get(), id);
    }

    /**
     * The Ed25519 public key of the checkpoints. A token is still required, as on all of /api; a client
     * should fetch it once and pin it rather than trust the copy inside an export.
     */
    @GET
    @Path("/checkpoint-key")
    @RolesAllowed({ Roles.AUDITOR, Roles.CLIENT_ADMIN })
    public AuditService.CheckpointKey checkpointKey() {
        return service.checkpointKey();
    }
}
