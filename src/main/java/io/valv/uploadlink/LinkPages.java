package io.valv.uploadlink;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.valv.portal.Viewer;

/** The upload-link pages, type-checked against {@code templates/uploadlink/*.html}; Qute escapes every value. */
@CheckedTemplate(basePath = "uploadlink")
class LinkPages {

    private LinkPages() {
    }

    /**
     * A note as the pages show it: Qute escapes markup; bidirectional controls (U+202A..U+202E, U+2066..U+2069),
     * which could make the note read differently from what it says, are shown as their code points instead.
     */
    static String displayed(String note) {
        if (note == null) {
            return null;
        }
        StringBuilder shown = new StringBuilder(note.length());
        note.codePoints().forEach(c -> {
            if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
                shown.append(String.format("[U+%04X]", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    /** What the sender's page shows: the note, the limits and the form; nothing else of the job or its client. */
    record UploadPage(String note, Long filesLeft, Long bytesLeft, Instant expiresAt, String endpoint) {
    }

    record LinkRow(UUID id, String note, Long maxBytes, int maxFiles, long filesUploaded, Long bytesUploaded,
            Instant expiresAt, Instant lastUsedAt, boolean active, boolean revoked) {

        static LinkRow of(UploadLinkService.LinkView v) {
            return new LinkRow(v.id(), displayed(v.note()), v.maxBytes(), v.maxFiles(), v.filesUploaded(), v.bytesUploaded(),
                    v.expiresAt(), v.lastUsedAt(), v.active(), v.revokedAt() != null);
        }
    }

    /** The admin's page; {@code createdUrl} only in the answer to the form that made the link. */
    record LinksPage(UUID jobId, String jobTitle, List<LinkRow> links, String createdUrl, String error, String today,
            String latest) {
    }

    static native TemplateInstance upload(Viewer viewer, UploadPage page);

    static native TemplateInstance refused(Viewer viewer, boolean limited);

    static native TemplateInstance links(Viewer viewer, LinksPage page);
}
