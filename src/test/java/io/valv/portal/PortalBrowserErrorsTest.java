package io.valv.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which requests the portal answers with pages (and sign-in redirects) instead of the API's problem+json. */
class PortalBrowserErrorsTest {

    /** Which paths are pages needs no identity provider. */
    private final PortalBrowserErrors errors = new PortalBrowserErrors(null);

    @ParameterizedTest
    @CsvSource({ "/portal, true", "/portal/, true", "/portal/audit, true", "/portal/admin/clients/acme/dpas, true",
            "/portal/workspace, true", "/portal/workspace/jobs/j1, true", "/portal/workspace/jobs/j1/links, true",
            "/portal/incidents, true",
            // the workspace's tus uploads: tus-js-client reads problem+json like any protocol client
            "/portal/workspace/jobs/j1/uploads, false", "/portal/workspace/uploads/u1, false",
            // the API and the public pages keep their own answers
            "/api/v1/jobs, false", "/portalx, false", "/upload/token, false", "/verify, false" })
    void pagesAreThePortalsOwnExceptItsUploads(String path, boolean page) {
        assertEquals(page, errors.answers(path), path);
    }
}
