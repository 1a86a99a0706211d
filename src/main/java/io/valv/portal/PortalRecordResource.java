package io.valv.portal;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.TemplateInstance;
import io.valv.dpa.DpaService;
import io.valv.dpa.ProcessorName;
import io.valv.dpa.RecordOfProcessing;
import io.valv.security.CurrentCaller;
import io.valv.security.Roles;

/**
 * The record of processing (Art. 30(2)) as a printable page and as downloads: the API's JSON, and CSV. For
 * the DPO and the admin, as through the API; generated from the live state each time.
 */
@Path("/portal/record-of-processing")
@RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
public class PortalRecordResource {

    private final DpaService dpas;
    private final ProcessorName processor;
    private final ObjectMapper json;
    private final CurrentCaller currentCaller;

    PortalRecordResource(DpaService dpas, ProcessorName processor, ObjectMapper json, CurrentCaller currentCaller) {
        this.dpas = dpas;
        this.processor = processor;
        this.json = json;
        this.currentCaller = currentCaller;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
    public TemplateInstance page() {
        return DeskPages.recordOfProcessing(Viewer.of(currentCaller.get()), record());
    }

    /** The same document as {@code GET /api/v1/record-of-processing}, as a file. */
    @GET
    @Path("/json")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
    public Response json() throws JsonProcessingException {
        return download(json.writerWithDefaultPrettyPrinter().writeValueAsString(record()), "json",
                MediaType.APPLICATION_JSON_TYPE.withCharset("utf-8"));
    }

    @GET
    @Path("/csv")
    @Produces("text/csv")
    @RolesAllowed({ Roles.AUDITOR, Roles.VAULT_ADMIN })
    public Response csv() {
        return download(RecordCsv.of(record()), "csv", MediaType.valueOf("text/csv; charset=utf-8"));
    }

    private RecordOfProcessing record() {
        return dpas.recordOfProcessing(processor.legalName());
    }

    private static Response download(String body, String extension, MediaType type) {
        return Response.ok(body, type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"record-of-processing." + extension + "\"")
                .build();
    }
}
