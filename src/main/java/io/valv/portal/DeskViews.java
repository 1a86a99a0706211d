package io.valv.portal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.valv.audit.AuditService;
import io.valv.dpa.Dpa;
import io.valv.dpa.DpaService;
import io.valv.dpa.SubProcessor;
import io.valv.dpa.SubProcessorObjections;
import io.valv.incident.IncidentService;

/** What the DPO's desk and the admin's registers show: plain records, never entities. */
final class DeskViews {

    private DeskViews() {
    }

    /**
     * The access-log search as entered (strings, so that a refused search is shown again as typed); empty
     * means "any". {@code link(page)} is the same search on another page.
     */
    record AuditQuery(String clientId, String jobId, String materialId, String actor, String action, String outcome,
            String from, String to) {

        static final AuditQuery EMPTY = new AuditQuery("", "", "", "", "", "", "", "");

        String link(int page) {
            StringBuilder q = new StringBuilder("/portal/audit?page=").append(page);
            param(q, "clientId", clientId);
            param(q, "jobId", jobId);
            param(q, "materialId", materialId);
            param(q, "actor", actor);
            param(q, "action", action);
            param(q, "outcome", outcome);
            param(q, "from", from);
            param(q, "to", to);
            return q.toString();
        }

        private static void param(StringBuilder q, String name, String value) {
            if (!value.isEmpty()) {
                q.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    /** One page of results; {@code previous}/{@code next} are links, null at either end. */
    record AuditResults(long total, int page, int pages, List<AuditService.EventView> events, String previous,
            String next) {

        static AuditResults of(AuditQuery query, AuditService.Page page) {
            int pages = (int) Math.max(1, (page.total() + page.size() - 1) / page.size());
            return new AuditResults(page.total(), page.page() + 1, pages, page.items(),
                    page.page() > 0 ? query.link(page.page() - 1) : null,
                    page.page() + 1 < pages ? query.link(page.page() + 1) : null);
        }
    }

    /** The incident-report form as entered; {@code clients} are the ids ticked. */
    record ReportForm(String from, String to, List<String> clients) {

        static final ReportForm EMPTY = new ReportForm("", "", List.of());

        public boolean includes(String clientId) {
            return clients.contains(clientId);
        }
    }

    record DpaRow(UUID id, String reference, String version, String status, LocalDate signedOn, LocalDate effectiveFrom,
            LocalDate effectiveTo, boolean personalDataAllowed, boolean specialCategoriesAllowed, String dataCategories,
            int retentionDays, List<String> subProcessors, Instant createdAt, Instant terminatedAt,
            Instant scheduledFor, String scheduleReason) {

        static DpaRow of(Dpa d, List<String> subProcessors) {
            return new DpaRow(d.id, d.reference, d.version, d.status.name().toLowerCase(), d.signedOn, d.effectiveFrom,
                    d.effectiveTo, d.personalDataAllowed, d.specialCategoriesAllowed,
                    d.dataCategories == null ? "" : d.dataCategories, d.retentionDays, subProcessors, d.createdAt,
                    d.terminatedAt, d.terminationScheduledFor, d.terminationReason);
        }

        public boolean draft() {
            return "draft".equals(status);
        }

        /** Active and not yet scheduled to end: the only state a termination can be scheduled from. */
        public boolean terminable() {
            return "active".equals(status) && scheduledFor == null;
        }
    }

    /** The new-DPA form as submitted; lists are the entered text (categories comma-separated) and ticks. */
    record DpaForm(String reference, String version, String signedOn, String effectiveFrom, String effectiveTo,
            boolean personalDataAllowed, boolean specialCategoriesAllowed, String dataCategories, String retentionDays,
            List<String> subProcessors) {

        static final DpaForm EMPTY = new DpaForm("", "", "", "", "", true, false, "", "30", List.of());

        public boolean permits(String name) {
            return subProcessors.contains(name);
        }
    }

    record DpasPage(Views.ClientRow client, List<DpaRow> dpas, List<String> subProcessors, DpaForm form, String error) {
    }

    /** A job that an end of contract would purge, and how many of its materials are still stored. */
    record DoomedJob(String title, int storedMaterials) {
    }

    /**
     * The confirmation of an end of contract (a DPA's termination or a client's offboarding): what will be
     * destroyed and when, stated before the form is sent. {@code action} is where the form goes;
     * {@code schedulable} is false once an end is scheduled or done (the service would change nothing).
     */
    record EndOfContractPage(Views.ClientRow client, DpaRow dpa, List<DoomedJob> jobs, int storedMaterials,
            Instant scheduledFor, boolean schedulable, String waitDays, String reason, String action, String back,
            String error) {

        static int stored(List<DoomedJob> jobs) {
            return jobs.stream().mapToInt(DoomedJob::storedMaterials).sum();
        }
    }

    record SubProcessorRow(String name, String purpose, String country, String transferMechanism) {

        static SubProcessorRow of(SubProcessor p) {
            return new SubProcessorRow(p.name, p.purpose, p.country, p.transferMechanism);
        }
    }

    record SubProcessorForm(String name, String purpose, String country, String transferMechanism,
            String effectiveFrom) {

        static final SubProcessorForm EMPTY = new SubProcessorForm("", "", "", "", "");
    }

    /** An announced change with the clients that objected to it (Art. 28(2)), oldest objection first. */
    record ChangeRow(DpaService.ChangeView change, List<SubProcessorObjections.ObjectionView> objections) {
    }

    record SubProcessorsPage(List<SubProcessorRow> register, List<ChangeRow> changes, SubProcessorForm form,
            String error) {
    }

    /**
     * An incident notice as typed (strings, so that a refused form is shown again as typed); {@code clients} are
     * the controllers ticked, who will be told.
     */
    record IncidentForm(String nature, String dataSubjectCategories, String approximateDataSubjects,
            String recordCategories, String approximateRecords, String likelyConsequences, String measures,
            String contactPoint, String detectedAt, List<String> clients) {

        static final IncidentForm EMPTY = new IncidentForm("", "", "", "", "", "", "", "", "", List.of());

        IncidentForm ticking(List<String> ticked) {
            return new IncidentForm(nature, dataSubjectCategories, approximateDataSubjects, recordCategories,
                    approximateRecords, likelyConsequences, measures, contactPoint, detectedAt, ticked);
        }

        public boolean includes(String clientId) {
            return clients.contains(clientId);
        }
    }

    /** The notices sent (newest first), the one just sent if any, the clients that can be told, and the form. */
    record IncidentsPage(List<IncidentService.View> notices, IncidentService.View justSent, List<String> clients,
            IncidentForm form, String error) {
    }
}
