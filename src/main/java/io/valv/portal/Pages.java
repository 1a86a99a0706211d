package io.valv.portal;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The portal's pages, type-checked at build time against {@code templates/portal/*.html}. Every value is
 * HTML-escaped by Qute; no template emits raw markup from data.
 */
@CheckedTemplate(basePath = "portal")
class Pages {

    private Pages() {
    }

    static native TemplateInstance jobs(Viewer viewer, List<Views.JobRow> jobs);

    static native TemplateInstance job(Viewer viewer, Views.JobPage page);

    static native TemplateInstance view(Viewer viewer, Views.ViewPage page);

    static native TemplateInstance clients(Viewer viewer, List<Views.ClientRow> clients, Views.ClientForm form,
            String error);

    static native TemplateInstance adminJobs(Viewer viewer, List<Views.JobRow> jobs, List<Views.ClientRow> clients,
            Views.JobForm form, String error);

    static native TemplateInstance message(Viewer viewer, String title, String text, boolean signIn);
}
