package io.valv.portal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.valv.client.Client;
import io.valv.job.Job;
import io.valv.material.Material;

/** What the templates show: plain records, never entities. */
final class Views {

    private Views() {
    }

    record JobRow(UUID id, String clientId, String title, String status, boolean open, boolean reuseRequested,
            Instant createdAt, Instant closedAt, List<String> staff) {

        static JobRow of(Job job, List<String> staff) {
            return new JobRow(job.id, job.clientId, job.title, job.status.name().toLowerCase(), job.isOpen(),
                    job.reuseRequested, job.createdAt, job.closedAt, staff);
        }
    }

    /**
     * One material on the job page. {@code player} is {@code audio} or {@code video} when the browser can
     * stream it with seeking, else {@code null}; {@code readable} says whether this viewer may read content;
     * {@code viewable} whether the watermarked viewer page can show it (images).
     */
    record MaterialRow(UUID id, String filename, String mediaType, Long size, String sha256, String state,
            Instant uploadedAt, Instant expiresAt, String player, boolean readable) {

        static MaterialRow of(Material m, boolean mayReadContent) {
            boolean stored = m.state == Material.State.STORED;
            String player = m.mediaType.startsWith("audio/") ? "audio" : m.mediaType.startsWith("video/") ? "video" : null;
            return new MaterialRow(m.id, m.filename, m.mediaType, m.size, m.sha256,
                    m.state.name().toLowerCase().replace('_', '-'), m.uploadedAt, m.expiresAt, player,
                    stored && mayReadContent);
        }

        public boolean viewable() {
            return readable && isImage(mediaType);
        }
    }

    /**
     * Images the viewer page shows in an {@code <img>}, which ignores the content's attachment disposition and
     * never runs script (not even an SVG's).
     */
    static boolean isImage(String mediaType) {
        return mediaType.startsWith("image/");
    }

    /**
     * The job page: what the viewer may do is decided here, from the same {@code AccessPolicy} rules the
     * services enforce, so that the page never offers an action the service would refuse.
     */
    record JobPage(JobRow job, List<MaterialRow> materials, boolean assigned, boolean canComplete, boolean canAttest,
            Instant attestedAt) {

        /** Whether the page has a player (and so its script, notes and settings). */
        public boolean hasPlayer() {
            return materials.stream().anyMatch(m -> m.readable() && m.player() != null);
        }

        /** Whether the page shows or links to content, and so carries the watermark. */
        public boolean hasReadable() {
            return materials.stream().anyMatch(MaterialRow::readable);
        }
    }

    /**
     * The watermarked viewer of one material. {@code shown} says whether the browser can show it here (an
     * image); anything else gets a sentence saying so.
     */
    record ViewPage(UUID id, String filename, String mediaType, UUID jobId, String jobTitle, String clientId,
            boolean shown) {
    }

    /** {@code offboardScheduledFor}: when a scheduled offboarding takes effect, else null. */
    record ClientRow(String id, String name, String orgNumber, String contact, String status,
            Instant offboardScheduledFor) {

        static ClientRow of(Client c) {
            return new ClientRow(c.id, c.name, c.orgNumber, c.contact, c.status.name().toLowerCase(),
                    c.offboardScheduledFor);
        }

        public boolean active() {
            return "active".equals(status);
        }
    }

    /** The create-client form as submitted, re-shown with an error when it was refused. */
    record ClientForm(String id, String name, String orgNumber, String contact) {

        static final ClientForm EMPTY = new ClientForm("", "", "", "");
    }

    record JobForm(String clientId, String title, boolean reuseRequested) {

        static final JobForm EMPTY = new JobForm("", "", false);
    }
}
