package io.valv.workspace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
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
import io.valv.notify.WebhookService;
import io.valv.portal.PortalCsrf;
import io.valv.portal.Viewer;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;

/**
 * The client admin's webhook endpoints in the workspace: the list with the form that registers one, each
 * endpoint with its deliveries (redeliver), switched off and on, its secret rotated, deleted after a
 * confirmation step. Every read and change is a {@link WebhookService} call, which authorizes (the client's own
 * admin only) and audits it as the API's do; the client is the one of the verified token only.
 * <p>
 * A {@code whsec_} secret is shown once, in the answer to the form that made it (registration, rotation): not
 * post/redirect/get, because it must not travel in a redirect or be kept anywhere to be shown later.
 */
@Path("/portal/workspace/webhooks")
@Produces(MediaType.TEXT_HTML)
@PortalCsrf.Protected
public class WorkspaceWebhooksResource {

    /** As the API's {@code NewWebhook} bounds it (and the column holds). */
    static final int MAX_URL = 2000;
    /** What a redirect may say was done; anything else in {@code done} is ignored. */
    private static final Set<String> DONE = Set.of("on", "off", "redelivered", "deleted");

    private final WebhookService webhooks;
    private final CurrentCaller currentCaller;

    WorkspaceWebhooksResource(WebhookService webhooks, CurrentCaller currentCaller) {
        this.webhooks = webhooks;
        this.currentCaller = currentCaller;
    }

    /** The client's endpoints and the registration form. */
    @GET
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance list(@RestQuery String done) {
        return listPage(currentCaller.get(), new WorkspaceViews.WebhookForm("", List.of()), null, done(done));
    }

    /** Registers an endpoint; the answer shows its secret, once. A refused URL or choice re-shows the form as typed. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response create(@RestForm String url, @RestForm List<String> events) {
        Caller caller = currentCaller.get();
        String typed = url == null ? "" : url.strip();
        List<String> chosen = events == null ? List.of() : events.stream().distinct().toList();
        try {
            if (typed.isEmpty() || typed.length() > MAX_URL) {
                throw ProblemException.badRequest("validation", "The URL is required, at most " + MAX_URL + " characters.");
            }
            WebhookService.Created created = webhooks.create(caller, WorkspaceRequests.clientOf(caller), typed, chosen);
            return Response.ok(WorkspacePages.webhookSecret(Viewer.of(caller), new WorkspaceViews.WebhookSecret(
                    WorkspaceViews.WebhookRow.of(created.endpoint()), created.secret(), false))).build();
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(listPage(caller,
                    new WorkspaceViews.WebhookForm(typed.length() > MAX_URL ? "" : typed, chosen), e.detail(), null))
                    .build();
        }
    }

    /** One endpoint: what it is, its actions, and its deliveries, newest first. */
    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance endpoint(@RestPath UUID id, @RestQuery String done) {
        Caller caller = currentCaller.get();
        List<WorkspaceViews.DeliveryRow> deliveries = new ArrayList<>(
                webhooks.deliveries(caller, WorkspaceRequests.clientOf(caller), id)
                        .stream().map(WorkspaceViews.DeliveryRow::of).toList());
        Collections.reverse(deliveries);
        WorkspaceViews.WebhookRow row = find(caller, id);
        return WorkspacePages.webhook(Viewer.of(caller), new WorkspaceViews.WebhookPage(row, deliveries, done(done)));
    }

    /** Switches the endpoint on ({@code enabled=true}) or off ({@code false}); anything else changes nothing. */
    @POST
    @Path("/{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response enabled(@RestPath UUID id, @RestForm String enabled) {
        Caller caller = currentCaller.get();
        Boolean on = "true".equals(enabled) ? Boolean.TRUE : "false".equals(enabled) ? Boolean.FALSE : null;
        WebhookService.EndpointView e = webhooks.update(caller, WorkspaceRequests.clientOf(caller), id, null, null, on);
        return on == null ? backTo(id, null) : backTo(id, e.enabled() ? "on" : "off");
    }

    /** A new secret, shown once in this answer; the previous one keeps signing until the overlap ends. */
    @POST
    @Path("/{id}/rotate-secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance rotate(@RestPath UUID id) {
        Caller caller = currentCaller.get();
        WebhookService.Created rotated = webhooks.rotate(caller, WorkspaceRequests.clientOf(caller), id);
        return WorkspacePages.webhookSecret(Viewer.of(caller), new WorkspaceViews.WebhookSecret(
                WorkspaceViews.WebhookRow.of(rotated.endpoint()), rotated.secret(), true));
    }

    /** The confirmation step of deleting an endpoint: which one, and that its delivery history goes with it. */
    @GET
    @Path("/{id}/delete")
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance confirmDelete(@RestPath UUID id) {
        Caller caller = currentCaller.get();
        int deliveries = webhooks.deliveries(caller, WorkspaceRequests.clientOf(caller), id).size();
        return WorkspacePages.webhookDelete(Viewer.of(caller), find(caller, id), deliveries);
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response delete(@RestPath UUID id) {
        Caller caller = currentCaller.get();
        webhooks.delete(caller, WorkspaceRequests.clientOf(caller), id);
        return WorkspaceRequests.seeOther("/webhooks?done=deleted");
    }

    /** Sends a delivery again with the same webhook-id, as soon as the worker runs. */
    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response redeliver(@RestPath UUID id, @RestPath UUID deliveryId) {
        Caller caller = currentCaller.get();
        webhooks.redeliver(caller, WorkspaceRequests.clientOf(caller), id, deliveryId);
        return backTo(id, "redelivered");
    }

    private TemplateInstance listPage(Caller caller, WorkspaceViews.WebhookForm form, String error, String done) {
        List<WorkspaceViews.WebhookRow> rows = webhooks.list(caller, WorkspaceRequests.clientOf(caller)).stream()
                .map(WorkspaceViews.WebhookRow::of).toList();
        return WorkspacePages.webhooks(Viewer.of(caller), new WorkspaceViews.WebhooksPage(rows,
                List.copyOf(new TreeSet<>(WebhookService.EVENT_TYPES)), form, error, done));
    }

    /**
     * The endpoint among the client's own, as the service lists them; called after a service call on the id,
     * which has answered 404 or 403 for any other (the 404 here only covers one deleted in between).
     */
    private WorkspaceViews.WebhookRow find(Caller caller, UUID id) {
        return webhooks.list(caller, WorkspaceRequests.clientOf(caller)).stream().filter(e -> e.id().equals(id)).findFirst()
                .map(WorkspaceViews.WebhookRow::of).orElseThrow(() -> ProblemException.notFound("Webhook"));
    }

    private static String done(String done) {
        return done != null && DONE.contains(done) ? done : null;
    }

    private static Response backTo(UUID id, String done) {
        return WorkspaceRequests.seeOther("/webhooks/" + id + (done == null ? "" : "?done=" + done));
    }
}
