package io.valv.material;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * tus clients on runtimes whose HTTP stack cannot send PATCH (Java's HttpURLConnection, old browsers) send
 * {@code POST} with {@code X-HTTP-Method-Override: PATCH}, as the tus protocol allows. Honoured on an upload URL
 * only, and only for tus's own methods; authorization runs on the method it becomes, as for a direct request.
 */
public class TusMethodOverride {

    /**
     * The upload URLs of both tus routes: bearer-token uploads and upload links'
     * ({@code /api/v1/upload-links/{token}/uploads/{id}}).
     */
    private static final Pattern UPLOAD_PATH = Pattern.compile("/api/v1/(upload-links/[^/]+/)?uploads/[^/]+/?");
    private static final Set<String> OVERRIDABLE = Set.of("PATCH", "DELETE", "HEAD");

    @ServerRequestFilter(preMatching = true)
    public void override(ContainerRequestContext request) {
        String override = request.getHeaderString("X-HTTP-Method-Override");
        if (override != null && "POST".equals(request.getMethod())
                && UPLOAD_PATH.matcher(request.getUriInfo().getPath()).matches()) {
            String method = override.trim().toUpperCase(Locale.ROOT);
            if (OVERRIDABLE.contains(method)) {
                request.setMethod(method);
            }
        }
    }
}
