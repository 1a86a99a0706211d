package io.valv.material;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every answer of a tus route says which protocol version it speaks, errors included: one response filter,
 * bound by {@link ResumableUploads.Route} to the classes whose routes speak tus (the API's, the upload links',
 * the client workspace's).
 */
class TusProtocolHeaders {

    @ServerResponseFilter
    @ResumableUploads.Route
    void protocolHeaders(ContainerResponseContext response) {
        ResumableUploads.protocolHeaders(response.getStatus(), response.getHeaders());
    }
}
