package io.valv.workspace;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.valv.audit.AuditService;
import io.valv.certificate.CertificateService;
import io.valv.job.Job;
import io.valv.material.Material;
import io.valv.notify.WebhookService;

/** What the workspace's templates show: plain records, never entities. */
final class WorkspaceViews {

    private WorkspaceViews() {
    }

    record JobRow(UUID id, String title, String status, boolean open, Instant createdAt) {

        static JobRow of(Job job) {
            return new JobRow(job.id, job.title, job.status.name().toLowerCase(), job.isOpen(), job.createdAt);
        }
    }

    /**
     * One material of a job. {@code daysLeft} counts whole days until it expires (0 on its last day);
     * {@code certificateId} is its deletion certificate once it is destroyed.
     */
    record MaterialRow(UUID id, String filename, String state, Long size, String sha256, String uploader,
            Instant uploadedAt, Instant expiresAt, long daysLeft, Instant purgedAt, UUID certificateId) {

        static MaterialRow of(Material m, Instant now, UUID certificateId) {
            long daysLeft = m.expiresAt == null ? 0 : Math.max(0, Duration.between(now, m.expiresAt).toDays());
            return new MaterialRow(m.id, m.filename, m.state.name().toLowerCase().replace('_', '-'), m.size, m.sha256,
                    m.uploader, m.uploadedAt, m.expiresAt, daysLeft, m.purgedAt, certificateId);
        }

        public boolean stored() {
            return "stored".equals(state);
        }

        public boolean pending() {
            return "purge-pending".equals(state);
        }
    }

    /**
     * The job page. {@code canErase} comes from the same {@code AccessPolicy} rule the erasure service enforces,
     * so that the page never offers what the service would refuse; {@code destroyed} is shown to the client's
     * admin only (certificates are theirs).
     */
    record JobPage(JobRow job, List<MaterialRow> materials, List<MaterialRow> destroyed, boolean canErase,
            boolean erasurePending) {
    }

    /** The confirmation step of an erasure: names every material that will be destroyed. */
    record Confirmation(JobRow job, List<MaterialRow> materials, String action, boolean wholeJob) {
    }

    /** A deletion certificate as the list shows it: what it is about, by name. */
    record CertificateRow(UUID id, String scope, String about, UUID jobId, Instant issuedAt) {

        static CertificateRow of(CertificateService.CertificateView c, String about) {
            return new CertificateRow(c.id(), c.scope(), about, c.jobId(), c.issuedAt());
        }
    }

    /** The data processing agreement in force, as the client admin reads it. */
    record DpaFacts(String reference, String version, java.time.LocalDate effectiveFrom, java.time.LocalDate effectiveTo,
            int retentionDays, boolean personalDataAllowed, String dataCategories, List<String> subProcessors) {
    }

    /** A sub-processor change and, if the client objected to it, its objection. */
    record ChangeRow(UUID id, String subProcessor, String change, String description, java.time.LocalDate effectiveFrom,
            Instant announcedAt, Instant objectedAt, String objectedBy, String reason) {

        public boolean objected() {
            return objectedAt != null;
        }
    }

    /** The DPA page: the agreement in force (null if none) and every change notice. */
    record DpaPage(DpaFacts dpa, List<ChangeRow> changes, String error) {
    }

    /**
     * The access-log filter as entered (strings, so that a refused filter is shown again as typed); empty means
     * "any". {@code link(page)} is the same filter on another page.
     */
    record LogQuery(String jobId, String materialId, String from, String to) {

        String link(int page) {
            StringBuilder q = new StringBuilder("/portal/workspace/access-log?page=").append(page);
            param(q, "jobId", jobId);
            param(q, "materialId", materialId);
            param(q, "from", from);
            param(q, "to", to);
            return q.toString();
        }

        public boolean isJob(UUID id) {
            return id.toString().equals(jobId);
        }

        private static void param(StringBuilder q, String name, String value) {
            if (!value.isEmpty()) {
                q.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * One event as the client admin sees it: the person as the API shows them (the processor's staff by
     * pseudonym), the job by title and the material by file name where the client still knows them.
     */
    record LogRow(long clientSeq, Instant occurredAt, String actor, String action, String outcome, String job,
            String file, UUID materialId, Long bytes) {
    }

    /** One page of the log; {@code previous}/{@code next} are links, null at either end. */
    record LogResults(long total, int page, int pages, List<LogRow> rows, String previous, String next) {

        static LogResults of(LogQuery query, AuditService.Page page, Map<UUID, String> jobTitles,
                Map<UUID, String> filenames) {
            int pages = (int) Math.max(1, (page.total() + page.size() - 1) / page.size());
            List<LogRow> rows = page.items().stream().map(e -> new LogRow(e.clientSeq() == null ? 0 : e.clientSeq(),
                    e.occurredAt(), e.actor(), e.action(), e.outcome(), e.jobId() == null ? null
                            : jobTitles.getOrDefault(e.jobId(), e.jobId().toString()),
                    e.materialId() == null ? null : filenames.get(e.materialId()), e.materialId(), e.bytes())).toList();
            return new LogResults(page.total(), page.page() + 1, pages, rows,
                    page.page() > 0 ? query.link(page.page() - 1) : null,
                    page.page() + 1 < pages ? query.link(page.page() + 1) : null);
        }
    }

    /** The access-log page: the filter, the client's jobs to filter by, the results (null when refused). */
    record LogPage(LogQuery query, List<JobRow> jobs, LogResults results, String error) {
    }

    /** One job's share of the return of data. */
    record ExportJob(UUID id, String title, String status, int files, Long bytes) {

        static ExportJob of(Job job, List<Material> stored) {
            List<Material> mine = stored.stream().filter(m -> job.id.equals(m.jobId)).toList();
            return new ExportJob(job.id, job.title, job.status.name().toLowerCase(), mine.size(),
                    mine.stream().mapToLong(m -> m.size == null ? 0 : m.size).sum());
        }
    }

    /** The return-of-data page: everything still stored, in total and per job. */
    record ExportPage(String clientId, int files, Long bytes, List<ExportJob> jobs) {
    }

    /** A webhook endpoint as the client admin's pages show it: never its secret. */
    record WebhookRow(UUID id, String url, List<String> events, boolean enabled, Instant createdAt,
            Instant previousSecretUntil, Instant failingSince) {

        static WebhookRow of(WebhookService.EndpointView e) {
            return new WebhookRow(e.id(), e.url(), e.events(), e.enabled(), e.createdAt(), e.previousSecretUntil(),
                    e.failingSince());
        }
    }

    /** The registration form as entered, so that a refused one is shown again as typed. */
    record WebhookForm(String url, List<String> events) {

        public boolean chose(String type) {
            return events.contains(type);
        }
    }

    /**
     * The webhooks page: the client's endpoints, the event types to choose from (sorted), the form, the refusal
     * of the last registration (null if none) and what the last action did ({@code deleted}; null if nothing).
     */
    record WebhooksPage(List<WebhookRow> endpoints, List<String> eventTypes, WebhookForm form, String error,
            String done) {
    }

    /** One delivery of an endpoint: its message's webhook-id, and how its attempts went. */
    record DeliveryRow(UUID id, String webhookId, String type, Instant createdAt, String status, int attempts,
            Instant nextAttemptAt, Integer lastHttpStatus) {

        static DeliveryRow of(WebhookService.DeliveryView d) {
            return new DeliveryRow(d.id(), d.webhookId(), d.type(), d.createdAt(), d.status(), d.attempts(),
                    d.nextAttemptAt(), d.lastHttpStatus());
        }

        public boolean pending() {
            return "pending".equals(status);
        }
    }

    /** One endpoint's page; {@code done} says what the last action did ({@code on}, {@code off}, {@code redelivered}). */
    record WebhookPage(WebhookRow endpoint, List<DeliveryRow> deliveries, String done) {
    }

    /** The answer to a registration or a rotation: the secret, shown this once. */
    record WebhookSecret(WebhookRow endpoint, String secret, boolean rotated) {
    }
}
