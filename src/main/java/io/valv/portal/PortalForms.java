package io.valv.portal;

import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;

/** What the portal's form handlers share: a refused form shown again, and the API's validation messages. */
final class PortalForms {

    private PortalForms() {
    }

    static Response refused(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page).build();
    }

    /** The API request record's violations as one line ({@code field message; …}), or null when it is valid. */
    static <T> String violations(Set<ConstraintViolation<T>> violations) {
        if (violations.isEmpty()) {
            return null;
        }
        return violations.stream().map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted()
                .reduce((a, b) -> a + "; " + b).orElse(null);
    }
}
