package io.valv.workspace;

import java.net.URI;

import jakarta.ws.rs.core.Response;

import io.valv.security.Caller;

/** What every workspace page handler does the same way. */
final class WorkspaceRequests {

    static final String WORKSPACE = "/portal/workspace";

    private WorkspaceRequests() {
    }

    /**
     * The client whose workspace this is: the one in the caller's verified token, never one a form or query
     * names (null without one: the services then refuse).
     */
    static String clientOf(Caller caller) {
        return caller.clientId().orElse(null);
    }

    /** After a form's action, the page to show next ({@code path} under the workspace; 303, so a reload is a GET). */
    static Response seeOther(String path) {
        return Response.seeOther(URI.create(WORKSPACE + path)).build();
    }
}
