package io.valv.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The incident report as one self-contained HTML page, for a DPO to read and forward to a controller
 * (docs/audit.md). The same figures as the JSON, built from the same {@link AuditService.IncidentReport}.
 *
 * <p>
 * Plain string building: every value that came from outside Valv (filenames, people, client names, DPA
 * references and categories) passes through {@link #escape}; the only inline content is one fixed style
 * sheet, allowed by its hash in {@link #CONTENT_SECURITY_POLICY}, and there is no script at all. No template
 * engine: Qute belongs to the portal, and one page does not justify a second one.
 */
final class IncidentReportPage {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;color:#111}"
            + "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #999;padding:.2em .5em;"
            + "text-align:left;vertical-align:top}td.n{text-align:right}h2{margin-top:2em;border-bottom:2px solid #333}"
            + ".warn{color:#a00;font-weight:bold}";
    /** No scripts, no external loads, not framable; only the fixed style sheet above. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private IncidentReportPage() {
    }

    static String render(AuditService.IncidentReport r) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\">")
                .append("<title>Valv incident report ").append(escape(AuditChain.time(r.from()))).append(" to ")
                .append(escape(AuditChain.time(r.to()))).append("</title><style>").append(STYLE)
                .append("</style></head><body>\n");
        h.append("<h1>Incident report</h1>\n<table>");
        row(h, "Window from", AuditChain.time(r.from()));
        row(h, "Window to (exclusive)", AuditChain.time(r.to()));
        row(h, "Generated at", AuditChain.time(r.generatedAt()));
        row(h, "Clients affected", Integer.toString(r.clients().size()));
        h.append("</table>\n");
        if (r.truncated()) {
            h.append("<p class=\"warn\">Truncated: the window holds more events than one report lists. Narrow the window."
                    + "</p>\n");
        }
        if (r.clients().isEmpty()) {
            h.append("<p>No material was accessed and no access was refused in this window.</p>\n");
        }
        for (AuditService.ClientSection c : r.clients()) {
            client(h, c);
        }
        return h.append("</body></html>\n").toString();
    }

    private static void client(StringBuilder h, AuditService.ClientSection c) {
        h.append("<section>\n<h2>").append(escape(c.clientName() == null ? c.clientId() : c.clientName()))
                .append(" (").append(escape(c.clientId())).append(")</h2>\n<table>");
        row(h, "Content reads", Long.toString(c.contentReads()));
        row(h, "Bytes read", Long.toString(c.bytesRead()));
        row(h, "Refused attempts", Long.toString(c.deniedAttempts()));
        row(h, "People involved", String.join(", ", c.actors()));
        h.append("</table>\n<h3>Data processing agreements of the material</h3>\n");
        if (c.dpas().isEmpty()) {
            h.append("<p>None (no material of this client was accessed).</p>\n");
        } else {
            h.append("<table><tr><th>Reference</th><th>Declared data categories</th>"
                    + "<th>Special categories allowed</th></tr>");
            for (AuditService.DpaRef d : c.dpas()) {
                h.append("<tr>").append(cell(d.reference())).append(cell(String.join(", ", d.dataCategories())))
                        .append(cell(yesNo(d.specialCategoriesAllowed()))).append("</tr>");
            }
            h.append("</table>\n");
        }
        h.append("<h3>Materials accessed</h3>\n");
        if (c.materials().isEmpty()) {
            h.append("<p>None.</p>\n");
        }
        for (AuditService.MaterialAccess m : c.materials()) {
            h.append("<h4>").append(escape(m.filename() == null ? "(unknown)" : m.filename())).append("</h4>\n<table>");
            row(h, "Material", String.valueOf(m.materialId()));
            row(h, "Job", String.valueOf(m.jobId()));
            row(h, "Declared to contain personal data", yesNo(m.personalData()));
            row(h, "Content reads", Long.toString(m.contentReads()));
            row(h, "Bytes read", Long.toString(m.bytesRead()));
            row(h, "Metadata reads", Long.toString(m.metadataReads()));
            h.append("</table>\n<table><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Outcome</th>"
                    + "<th>Reads</th><th>Bytes</th></tr>");
            for (AuditService.Access a : m.accesses()) {
                h.append("<tr>").append(cell(AuditChain.time(a.at()))).append(cell(a.actor() == null ? "(no token)" : a.actor()))
                        .append(cell(a.action())).append(cell(a.outcome())).append(number(a.reads()))
                        .append(number(a.bytes())).append("</tr>");
            }
            h.append("</table>\n");
        }
        h.append("</section>\n");
    }

    private static void row(StringBuilder h, String label, String value) {
        h.append("<tr><th>").append(escape(label)).append("</th>").append(cell(value)).append("</tr>");
    }

    private static String cell(String value) {
        return "<td>" + escape(value) + "</td>";
    }

    private static String number(Long value) {
        return "<td class=\"n\">" + (value == null ? "" : value) + "</td>";
    }

    private static String yesNo(Boolean b) {
        return b == null ? "unknown" : b ? "yes" : "no";
    }

    /**
     * Escapes text for HTML element content and quoted attribute values alike: the five markup characters
     * become character references, and control characters (other than tab and line feed) are dropped to a
     * replacement character so that no value can end an element, an attribute or the document early.
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
            case '&' -> out.append("&amp;");
            case '<' -> out.append("&lt;");
            case '>' -> out.append("&gt;");
            case '"' -> out.append("&quot;");
            case '\'' -> out.append("&#39;");
            default -> out.append(Character.isISOControl(ch) && ch != '\t' && ch != '\n' ? '\uFFFD' : ch);
            }
        }
        return out.toString();
    }

    private static String sha256(String style) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
