package io.valv.uploadlink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.client.Client;
import io.valv.client.ClientService;
import io.valv.dpa.DpaService;
import io.valv.job.Job;
import io.valv.job.JobService;
import io.valv.material.MaterialService;
import io.valv.material.ResumableUploads;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.security.Roles;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * Upload links ("file requests"): a client admin creates one for a job, with an expiry (at most
 * {@link #MAX_LIFETIME}), a limit on total bytes and on files, and a note for the sender; whoever holds the link
 * uploads into that job and nothing else. Uploads through a link are made by the link itself, as a {@link Caller}
 * built here from the verified link only ({@link #callerOf}): subject {@code upload-link:<id>}, the uploader role,
 * the link's client. So every upload rule (job open, DPA in force, client active), every audit event and the tus
 * ownership check (an upload belongs to its creator's subject) are the existing ones, with the link as actor.
 */
@ApplicationScoped
public class UploadLinkService {

    static final String SUBJECT_PREFIX = "upload-link:";
    static final Duration MAX_LIFETIME = Duration.ofDays(30);
    static final int MAX_NOTE = 500;

    private final UploadLinkRepository links;
    private final JobService jobs;
    private final DpaService dpas;
    private final ClientService clients;
    private final MaterialService materials;
    private final UploadLinkConfig config;
    private final Clock clock;
    private final AuditLog audit;

    UploadLinkService(UploadLinkRepository links, JobService jobs, DpaService dpas, ClientService clients,
            MaterialService materials, UploadLinkConfig config, Clock clock, AuditLog audit) {
        this.links = links;
        this.jobs = jobs;
        this.dpas = dpas;
        this.clients = clients;
        this.materials = materials;
        this.config = config;
        this.clock = clock;
        this.audit = audit;
    }

    /** What a new link allows; {@code note} may be null. */
    public record NewLink(Instant expiresAt, Long maxBytes, Integer maxFiles, String note) {
    }

    /** A new link: its token is in no other answer and nowhere stored. */
    public record Created(UUID id, String token, Instant expiresAt) {
    }

    /** A link as its admin sees it: never the token. */
    public record LinkView(UUID id, String note, long maxBytes, int maxFiles, Instant expiresAt, Instant createdAt,
            Instant revokedAt, long filesUploaded, long bytesUploaded, Instant lastUsedAt, boolean active) {
    }

    /** A link that may be used now, as its holder's requests need it. */
    record OpenLink(UUID id, UUID jobId, String note, long maxBytes, int maxFiles, Instant expiresAt, long filesLeft,
            long bytesLeft, Caller caller) {
    }

    @Transactional
    public Created create(Caller caller, UUID jobId, NewLink spec) {
        Job job = managedJob(caller, jobId);
        if (!job.isOpen()) {
            throw ProblemException.conflict("job-closed", "The job is no longer open for uploads.");
        }
        Instant now = Instant.now(clock);
        if (spec.expiresAt() == null || !spec.expiresAt().isAfter(now) || spec.expiresAt().isAfter(now.plus(MAX_LIFETIME))) {
            throw new ProblemException(ProblemType.UPLOAD_LINK_EXPIRY,
                    "expiresAt must be in the future and at most " + MAX_LIFETIME.toDays() + " days ahead.");
        }
        long maxBytesCeiling = config.maxBytes().asLongValue();
        if (spec.maxBytes() == null || spec.maxBytes() < 1 || spec.maxBytes() > maxBytesCeiling) {
            throw new ProblemException(ProblemType.VALIDATION, "maxBytes must be between 1 and " + maxBytesCeiling + ".");
        }
        if (spec.maxFiles() == null || spec.maxFiles() < 1 || spec.maxFiles() > config.maxFiles()) {
            throw new ProblemException(ProblemType.VALIDATION, "maxFiles must be between 1 and " + config.maxFiles() + ".");
        }
        UploadLink link = new UploadLink();
        link.id = UUID.randomUUID();
        link.clientId = job.clientId;
        link.jobId = job.id;
        String token = LinkTokens.newToken();
        link.tokenSha256 = LinkTokens.sha256(token);
        link.note = note(spec.note());
        link.maxBytes = spec.maxBytes();
        link.maxFiles = spec.maxFiles();
        link.expiresAt = spec.expiresAt();
        link.createdAt = now;
        link.createdBy = caller.subject();
        links.persist(link);
        audit.append(AuditEntry.of(Actions.UPLOAD_LINK_CREATE).by(caller).client(job.clientId).job(job.id)
                .detail("link " + link.id + " expires " + link.expiresAt + " max " + link.maxBytes + " bytes "
                        + link.maxFiles + " files"));
        return new Created(link.id, token, link.expiresAt);
    }

    @Transactional
    public List<LinkView> ofJob(Caller caller, UUID jobId) {
        Job job = managedJob(caller, jobId);
        List<LinkView> views = links.ofJob(job.id).stream().map(this::view).toList();
        audit.append(AuditEntry.of(Actions.UPLOAD_LINK_LIST).by(caller).client(job.clientId).job(job.id));
        return views;
    }

    /** Revokes; revoking a revoked link changes nothing (idempotent). Another client's link is "not found". */
    @Transactional
    public void revoke(Caller caller, UUID id) {
        UploadLink link = links.locked(id);
        if (link == null || !AccessPolicy.mayKnowOf(caller, link.clientId)) {
            throw ProblemException.notFound("Upload link");
        }
        if (!AccessPolicy.mayManageUploadLinks(caller, link.clientId)) {
            throw ProblemException.forbidden("Only the client's admin manages upload links.");
        }
        if (link.revokedAt != null) {
            return;
        }
        link.revokedAt = Instant.now(clock);
        link.revokedBy = caller.subject();
        audit.append(AuditEntry.of(Actions.UPLOAD_LINK_REVOKE).by(caller).client(link.clientId).job(link.jobId)
                .detail("link " + link.id));
    }

    /** The job of a link, for the portal page that lists its links. */
    @Transactional
    public String jobTitle(Caller caller, UUID jobId) {
        return managedJob(caller, jobId).title;
    }

    /**
     * The link a token names, if it may be used now: not revoked, not expired, its job open, its DPA in force and
     * its client active. Every reason for refusing gives the same answer (410), and an unknown token 404, so that
     * an answer tells a link holder nothing about the client's state. Existing uploads stay usable (resumed,
     * finished) while the link's limits are reached; new ones are checked by {@link #admit}.
     */
    @Transactional
    OpenLink open(String token) {
        UploadLink link = LinkTokens.wellFormed(token) ? links.byTokenHash(LinkTokens.sha256(token)) : null;
        if (link == null) {
            throw unknown();
        }
        if (!usable(link)) {
            throw gone();
        }
        MaterialService.UploadsBy used = materials.uploadsBy(link.subject());
        return new OpenLink(link.id, link.jobId, link.note, link.maxBytes, link.maxFiles, link.expiresAt,
                Math.max(0, link.maxFiles - used.files()), Math.max(0, link.maxBytes - used.bytes()), callerOf(link));
    }

    /**
     * For the sender's page: as {@link #open}, and also gone once the link's stored uploads have used it up (an
     * upload still in progress may be resumed from the page).
     */
    @Transactional
    OpenLink openForPage(String token) {
        OpenLink open = open(token);
        MaterialService.UploadsBy used = materials.uploadsBy(SUBJECT_PREFIX + open.id());
        if (used.storedFiles() >= open.maxFiles() || used.storedBytes() >= open.maxBytes()) {
            throw gone();
        }
        return open;
    }

    /**
     * Creates an upload of {@code length} bytes through the link if its limits allow: the files and bytes of its
     * uploads (those in progress count with their declared length) plus this one stay within the limits. The
     * link's row stays locked while the upload is created, so two concurrent creations cannot both take the last
     * room; the creation itself runs outside that transaction (it commits its own), and no body moves under it.
     */
    <T> T admit(UUID linkId, long length, Supplier<T> creation) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UploadLink link = links.locked(linkId);
            if (link == null || !usable(link)) {
                throw gone();
            }
            MaterialService.UploadsBy used = materials.uploadsBy(link.subject());
            if (used.files() >= link.maxFiles) {
                throw new ProblemException(ProblemType.UPLOAD_LINK_LIMIT,
                        "This link takes no more files; nothing was stored.");
            }
            if (used.bytes() + length > link.maxBytes) {
                throw new ProblemException(ProblemType.UPLOAD_LINK_LIMIT, "This link takes at most "
                        + Math.max(0, link.maxBytes - used.bytes()) + " more bytes; nothing was stored.");
            }
            T created = QuarkusTransaction.suspendingExisting().call(creation::get);
            link.lastUsedAt = Instant.now(clock);
            return created;
        });
    }

    /** The {@link ResumableUploads.Admission} of one link. */
    ResumableUploads.Admission admission(UUID linkId) {
        return new ResumableUploads.Admission() {
            @Override
            public <T> T admit(long length, Supplier<T> creation) {
                return UploadLinkService.this.admit(linkId, length, creation);
            }
        };
    }

    /** The actor of uploads through a link: built from the verified link alone, never from the request. */
    static Caller callerOf(UploadLink link) {
        return new Caller(link.subject(), Set.of(Roles.CLIENT_UPLOADER), Optional.of(link.clientId));
    }

    private Job managedJob(Caller caller, UUID jobId) {
        Job job = jobs.find(caller, jobId);
        if (!AccessPolicy.mayManageUploadLinks(caller, job.clientId)) {
            throw ProblemException.forbidden("Only the client's admin manages upload links.");
        }
        return job;
    }

    /**
     * Whether the link may be used now. The job, DPA and client states are read here only to refuse early with
     * the link's own answer; the upload rules themselves (MaterialService) check them again, under their locks,
     * when an upload is created, resumed and stored.
     */
    private boolean usable(UploadLink link) {
        Instant now = Instant.now(clock);
        if (link.revokedAt != null || !link.expiresAt.isAfter(now)) {
            return false;
        }
        Job job = jobs.require(link.jobId);
        if (!job.isOpen() || !dpas.require(job.dpaId).takesNewMaterialOn(LocalDate.ofInstant(now, ZoneOffset.UTC))) {
            return false;
        }
        Client client = clients.require(link.clientId);
        return client.status == Client.Status.ACTIVE && client.offboardScheduledFor == null && client.wrappedKey != null;
    }

    private LinkView view(UploadLink link) {
        MaterialService.UploadsBy used = materials.uploadsBy(link.subject());
        Instant lastUse = link.lastUsedAt;
        if (used.lastStored() != null && (lastUse == null || used.lastStored().isAfter(lastUse))) {
            lastUse = used.lastStored();
        }
        return new LinkView(link.id, link.note, link.maxBytes, link.maxFiles, link.expiresAt, link.createdAt,
                link.revokedAt, used.storedFiles(), used.storedBytes(), lastUse, usable(link));
    }

    /** Trimmed, at most {@link #MAX_NOTE} characters, no control characters but line breaks; blank is none. */
    private static String note(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        String trimmed = note.strip();
        if (trimmed.length() > MAX_NOTE) {
            throw new ProblemException(ProblemType.VALIDATION, "note must be at most " + MAX_NOTE + " characters.");
        }
        if (trimmed.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL && c != '\n' && c != '\r')) {
            throw new ProblemException(ProblemType.VALIDATION, "note must not contain control characters.");
        }
        return trimmed;
    }

    private static ProblemException gone() {
        return new ProblemException(ProblemType.UPLOAD_LINK_GONE, "This upload link can no longer be used.");
    }

    private static ProblemException unknown() {
        return ProblemException.notFound("Upload link");
    }
}
