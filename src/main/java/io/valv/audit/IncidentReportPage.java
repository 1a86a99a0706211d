package io.valv.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;
import io.valv.audit.proof.AuditChain;
import io.valv.crypto.Digests;

/**
 * The incident report as one self-contained HTML page, for a DPO to read and forward to a controller
 * (docs/audit.md): {@code templates/audit/incidentReport.html}, the same figures as the JSON, from the same
 * {@link IncidentReports.IncidentReport}. Qute escapes every value (filenames, people, client names, DPA
 * references and categories are the outside world's); the only raw output is the fixed style sheet below,
 * allowed by its hash in {@link #CONTENT_SECURITY_POLICY}. There is no script at all.
 */
@CheckedTemplate(basePath = "audit", defaultName = CheckedTemplate.ELEMENT_NAME)
public final class IncidentReportPage {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;color:#111}"
            + "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #999;padding:.2em .5em;"
            + "text-align:left;vertical-align:top}td.n{text-align:right}h2{margin-top:2em;border-bottom:2px solid #333}"
            + ".warn{color:#a00;font-weight:bold}";
    /** No scripts, no external loads, not framable; only the fixed style sheet above. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private IncidentReportPage() {
    }

    static native TemplateInstance incidentReport(IncidentReports.IncidentReport r, String style);

    public static String render(IncidentReports.IncidentReport r) {
        return incidentReport(r, STYLE).render();
    }

    /** Times as the log writes them (UTC, microseconds). */
    @TemplateExtension
    static String utc(Instant instant) {
        return AuditChain.time(instant);
    }

    /** {@code {fmt:yesNo(value)}}: a namespace function, so that a null (a material not found) renders too. */
    @TemplateExtension(namespace = "fmt")
    static String yesNo(Boolean b) {
        return b == null ? "unknown" : b ? "yes" : "no";
    }

    private static String sha256(String style) {
        return "sha256-" + Base64.getEncoder().encodeToString(Digests.sha256().digest(style.getBytes(StandardCharsets.UTF_8)));
    }
}
