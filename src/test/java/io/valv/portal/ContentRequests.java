package io.valv.portal;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * Test-only: records what the server answered to each request for portal material content (status and the
 * Range asked for), so that a browser test can tell that seeking really went through ranged requests.
 */
@ApplicationScoped
class ContentRequests {

    record Seen(String path, String range, int status) {
    }

    private static final List<Seen> SEEN = new ArrayList<>();

    void register(@Observes Filters filters) {
        filters.register(this::record, 10);
    }

    void record(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.startsWith("/portal/materials/") && path.endsWith("/content")) {
            String range = rc.request().getHeader("Range");
            rc.addHeadersEndHandler(v -> add(new Seen(path, range, rc.response().getStatusCode())));
        }
        rc.next();
    }

    private static synchronized void add(Seen seen) {
        if (SEEN.size() > 1000) {
            SEEN.remove(0);
        }
        SEEN.add(seen);
    }

    static synchronized List<Seen> of(String materialId) {
        return SEEN.stream().filter(s -> s.path().contains(materialId)).toList();
    }
}
