package io.valv.certificate;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * The public verify page (issue 18): {@code GET /verify} shows the form, {@code GET /verify?id=&d=} and
 * {@code GET /verify/{id}?d=} (the link in a certificate's QR code) the answer. It carries the portal's
 * security headers and language switch ({@code PortalHttpFilter} covers {@code /verify}); GET only, so it
 * changes nothing and needs no CSRF token.
 */
@Path("/verify")
@Produces(MediaType.TEXT_HTML)
public class CertificateVerifyPage {

    private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    @CheckedTemplate(basePath = "verify")
    static class Templates {
        static native TemplateInstance page(String outcome, String id, String digest, String issued, String client,
                Proof proof);
    }

    private final CertificateVerification verification;
    private final VerifyRateLimit limit;

    CertificateVerifyPage(CertificateVerification verification, VerifyRateLimit limit) {
        this.verification = verification;
        this.limit = limit;
    }

    /** Public by design: it answers only to someone who holds the document, and only yes or no. */
    @GET
    @PermitAll
    @Operation(hidden = true)
    public Response form(@RestQuery String id, @RestQuery String d, @Context HttpServerRequest request) {
        return answer(id, d, request);
    }

    /** The QR code's link. Public for the same reason as {@link #form}. */
    @GET
    @Path("/{id}")
    @PermitAll
    @Operation(hidden = true)
    public Response link(@RestPath String id, @RestQuery String d, @Context HttpServerRequest request) {
        return answer(id, d, request);
    }

    private Response answer(String id, String digest, HttpServerRequest request) {
        if (id == null && digest == null) {
            return Response.ok(Templates.page("", "", "", "", "", null)).build();
        }
        String shownId = id == null ? "" : id;
        String shownDigest = digest == null ? "" : digest;
        if (!limit.allow(request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress())) {
            return Response.status(429).header("Retry-After", "60")
                    .entity(Templates.page("limited", shownId, shownDigest, "", "", null)).build();
        }
        Optional<CertificateVerification.Verified> found = verification.verify(id, digest);
        return found.map(v -> Response.ok(Templates.page("valid", v.id().toString(), shownDigest, ISSUED.format(v.issuedAt()),
                v.clientId(), Proof.of(v))).build())
                .orElseGet(() -> Response.ok(Templates.page("invalid", shownId, shownDigest, "", "", null)).build());
    }

    /**
     * The purge event's place in the audit log ({@code seq}, null for a certificate that names none) and the
     * signed tree head covering it ({@code coveredAt} and {@code treeSize}, empty while none does yet).
     */
    record Proof(Long seq, String coveredAt, Long treeSize) {

        static Proof of(CertificateVerification.Verified v) {
            if (v.purgeSeq() == null) {
                return null;
            }
            return v.covered() == null ? new Proof(v.purgeSeq(), null, null)
                    : new Proof(v.purgeSeq(), ISSUED.format(v.covered().signedAt()), v.covered().treeSize());
        }
    }
}
