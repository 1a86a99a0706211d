package io.valv.workspace;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.valv.certificate.CertificateService;
import io.valv.job.Job;
import io.valv.material.Material;

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
}
