package io.valv.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details, plus the request id so that support can find the server-side log line. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
