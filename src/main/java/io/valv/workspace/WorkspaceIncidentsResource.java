package io.valv.workspace;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.qute.TemplateInstance;
import io.valv.incident.IncidentService;
import io.valv.portal.PortalCsrf;
import io.valv.portal.Viewer;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;

/**
 * The personal-data breach notices the processor sent this client (Art. 33(2)), for its admin: the Art. 33(3)
 * fields it passes on to its supervisory authority, and, when the notice names the window of the breach, its
 * own section of that window's incident report (who read which of its files, when, what was refused). The
 * notice e-mail links the notice's page. Everything is read through {@link IncidentService}, so the page is
 * allowed and audited exactly as {@code GET /api/v1/incidents} and {@code GET /api/v1/incidents/{id}/report}.
 */
@Path("/portal/workspace/incidents")
@Produces(MediaType.TEXT_HTML)
@PortalCsrf.Protected
public class WorkspaceIncidentsResource {

    private final IncidentService incidents;
    private final CurrentCaller currentCaller;

    WorkspaceIncidentsResource(IncidentService incidents, CurrentCaller currentCaller) {
        this.incidents = incidents;
        this.currentCaller = currentCaller;
    }

    /** The client's notices, newest first. */
    @GET
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance list() {
        Caller caller = currentCaller.get();
        return WorkspacePages.incidents(Viewer.of(caller), incidents.visibleTo(caller));
    }

    /** One notice, and the client's section of the window's report when the notice names a window. */
    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance notice(@RestPath String id) {
        Caller caller = currentCaller.get();
        UUID incidentId = uuid(id);
        List<IncidentService.View> visible = incidents.visibleTo(caller);
        IncidentService.View notice = visible.stream().filter(n -> n.id().equals(incidentId)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Incident"));
        IncidentService.Report report = notice.windowFrom() == null ? null : incidents.report(caller, incidentId);
        return WorkspacePages.incident(Viewer.of(caller), notice, report);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Incident");
        }
    }
}
