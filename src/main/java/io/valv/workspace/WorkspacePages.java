package io.valv.workspace;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.valv.portal.Viewer;

/**
 * The client workspace's pages, type-checked at build time against {@code templates/workspace/*.html}. Every
 * value is HTML-escaped by Qute; no template emits raw markup from data.
 */
@CheckedTemplate(basePath = "workspace")
final class WorkspacePages {

    private WorkspacePages() {
    }

    static native TemplateInstance home(Viewer viewer, String clientId, List<WorkspaceViews.JobRow> jobs);

    static native TemplateInstance job(Viewer viewer, WorkspaceViews.JobPage page);

    static native TemplateInstance confirm(Viewer viewer, WorkspaceViews.Confirmation confirmation);

    static native TemplateInstance dpa(Viewer viewer, WorkspaceViews.DpaPage page);

    static native TemplateInstance accessLog(Viewer viewer, WorkspaceViews.LogPage page);

    static native TemplateInstance export(Viewer viewer, WorkspaceViews.ExportPage page);

    static native TemplateInstance certificates(Viewer viewer, List<WorkspaceViews.CertificateRow> certificates);

    static native TemplateInstance incidents(Viewer viewer, List<io.valv.incident.IncidentService.View> notices);

    static native TemplateInstance incident(Viewer viewer, io.valv.incident.IncidentService.View notice,
            io.valv.incident.IncidentService.Report report);

    static native TemplateInstance webhooks(Viewer viewer, WorkspaceViews.WebhooksPage page);

    static native TemplateInstance webhook(Viewer viewer, WorkspaceViews.WebhookPage page);

    static native TemplateInstance webhookSecret(Viewer viewer, WorkspaceViews.WebhookSecret created);

    static native TemplateInstance webhookDelete(Viewer viewer, WorkspaceViews.WebhookRow endpoint, int deliveries);
}
