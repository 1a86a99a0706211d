package io.valv.portal;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.valv.audit.AuditService;
import io.valv.dpa.RecordOfProcessing;

/**
 * The DPO's desk and the admin's registers, type-checked at build time against
 * {@code templates/portal/desk/*.html}. Every value is HTML-escaped by Qute.
 */
@CheckedTemplate(basePath = "portal/desk")
final class DeskPages {

    private DeskPages() {
    }

    static native TemplateInstance auditLog(Viewer viewer, List<String> clients, DeskViews.AuditQuery query,
            DeskViews.AuditResults results, String error);

    static native TemplateInstance auditEvent(Viewer viewer, AuditService.EventView event);

    static native TemplateInstance auditVerify(Viewer viewer, AuditService.Verification result);

    static native TemplateInstance incidentReportForm(Viewer viewer, List<String> clients, DeskViews.ReportForm form,
            String error);

    static native TemplateInstance incidents(Viewer viewer, DeskViews.IncidentsPage page);

    static native TemplateInstance incidentReview(Viewer viewer, DeskViews.IncidentForm form);

    static native TemplateInstance recordOfProcessing(Viewer viewer, RecordOfProcessing record);

    static native TemplateInstance dpas(Viewer viewer, DeskViews.DpasPage page);

    static native TemplateInstance endOfContract(Viewer viewer, DeskViews.EndOfContractPage page);

    static native TemplateInstance subProcessors(Viewer viewer, DeskViews.SubProcessorsPage page);
}
