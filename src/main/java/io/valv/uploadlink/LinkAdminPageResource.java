package io.valv.uploadlink;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.qute.TemplateInstance;
import io.valv.portal.PortalConfig;
import io.valv.portal.PortalCsrf;
import io.valv.portal.Viewer;
import io.valv.security.Caller;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;

/**
 * The client admin's upload links of one job, {@code /portal/workspace/jobs/{jobId}/links} (portal session,
 * CSRF-protected forms): the same {@link UploadLinkService} calls as the API. Its own class path, so that JAX-RS
 * matches it before the staff portal's {@code /portal} class.
 */
@Path("/portal/workspace/jobs/{jobId}/links")
@Produces(MediaType.TEXT_HTML)
@PortalCsrf.Protected
public class LinkAdminPageResource {

    private static final long MB = 1_000_000L;

    private final UploadLinkService links;
    private final PortalConfig portal;
    private final Clock clock;
    private final CurrentCaller currentCaller;

    LinkAdminPageResource(UploadLinkService links, PortalConfig portal, Clock clock, CurrentCaller currentCaller) {
        this.links = links;
        this.portal = portal;
        this.clock = clock;
        this.currentCaller = currentCaller;
    }

    @GET
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance list(@RestPath UUID jobId) {
        return page(currentCaller.get(), jobId, null, null);
    }

    /**
     * Creates a link and answers the page with its URL, once: not post/redirect/get, because the URL carries
     * the secret and must not travel in a redirect's query or be stored anywhere to be shown later.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public TemplateInstance create(@RestPath UUID jobId, @RestForm String expires, @RestForm String maxSize,
            @RestForm String unit, @RestForm String maxFiles, @RestForm String note, @Context UriInfo uri) {
        Caller caller = currentCaller.get();
        try {
            UploadLinkService.Created created = links.create(caller, jobId, new UploadLinkService.NewLink(
                    expiry(expires), bytes(maxSize, unit), count(maxFiles), note));
            return page(caller, jobId, UploadLinkResource.pageUrl(portal, uri.getBaseUri(), created.token()), null);
        } catch (ProblemException e) {
            if (e.status() != 400 && e.status() != 409) {
                throw e;
            }
            return page(caller, jobId, null, e.detail());
        }
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public Response revoke(@RestPath UUID jobId, @RestPath UUID id) {
        links.revoke(currentCaller.get(), id);
        return Response.seeOther(URI.create("/portal/workspace/jobs/" + jobId + "/links")).build();
    }

    private TemplateInstance page(Caller caller, UUID jobId, String createdUrl, String error) {
        String title = links.jobTitle(caller, jobId);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return LinkPages.links(Viewer.of(caller), new LinkPages.LinksPage(jobId, title,
                links.ofJob(caller, jobId).stream().map(LinkPages.LinkRow::of).toList(), createdUrl, error,
                today.toString(), today.plusDays(UploadLinkService.MAX_LIFETIME.toDays() - 1).toString()));
    }

    /**
     * The form's date means "through that day" (UTC): the link ends at the next midnight, but never later than
     * the 30 days a link may live.
     */
    private Instant expiry(String date) {
        try {
            Instant endOfDay = LocalDate.parse(date == null ? "" : date.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
            Instant latest = Instant.now(clock).plus(UploadLinkService.MAX_LIFETIME);
            return endOfDay.isAfter(latest) ? latest : endOfDay;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long bytes(String size, String unit) {
        Long n = number(size);
        long factor = "GB".equals(unit) ? 1000 * MB : "MB".equals(unit) ? MB : 0;
        return n == null || factor == 0 || n > Long.MAX_VALUE / factor ? null : n * factor;
    }

    private static Integer count(String files) {
        Long n = number(files);
        return n == null || n > Integer.MAX_VALUE ? null : n.intValue();
    }

    private static Long number(String value) {
        if (value == null || value.isBlank() || value.strip().length() > 12
                || !value.strip().chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(value.strip());
    }

}
