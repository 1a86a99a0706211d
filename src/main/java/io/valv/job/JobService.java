package io.valv.job;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.client.ClientService;
import io.valv.dpa.Dpa;
import io.valv.dpa.DpaService;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;

/** Jobs, their staff assignments and their lifecycle. */
@ApplicationScoped
public class JobService {

    private final JobRepository jobs;
    private final JobAssignmentRepository assignments;
    private final ClientService clients;
    private final DpaService dpas;
    private final Clock clock;
    private final Event<JobClosed> closed;
    private final AuditLog audit;

    JobService(JobRepository jobs, JobAssignmentRepository assignments, ClientService clients, DpaService dpas,
            Clock clock, Event<JobClosed> closed, AuditLog audit) {
        this.jobs = jobs;
        this.assignments = assignments;
        this.clients = clients;
        this.dpas = dpas;
        this.clock = clock;
        this.closed = closed;
        this.audit = audit;
    }

    @Transactional
    public Job create(Caller caller, String clientId, UUID dpaId, String title, boolean reuseRequested) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayCreateJob(caller, clientId)) {
            throw ProblemException.forbidden("Your role does not allow creating jobs for this client.");
        }
        clients.require(clientId);
        clients.requireAcceptsNewMaterial(clientId);
        Dpa dpa = dpas.forNewJob(clientId, dpaId);
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.clientId = clientId;
        job.dpaId = dpa.id;
        job.title = title;
        job.status = Job.Status.OPEN;
        job.reuseRequested = reuseRequested;
        job.createdAt = Instant.now(clock);
        jobs.persist(job);
        audit.append(AuditEntry.of(Actions.JOB_CREATE).by(caller).client(clientId).job(job.id));
        return job;
    }

    /** Jobs the caller may see: all for the processor's admin and DPO, own client's, or assigned ones. */
    @Transactional
    public List<Job> visibleTo(Caller caller) {
        if (AccessPolicy.maySeeEveryClient(caller)) {
            return jobs.all();
        }
        if (caller.isClientSide()) {
            return caller.clientId().map(jobs::forClient).orElse(List.of());
        }
        if (AccessPolicy.mayHoldAssignment(caller)) {
            return jobs.assignedTo(caller.subject());
        }
        return List.of();
    }

    /** A job whose metadata the caller may read; 404 across clients, 403 for unassigned staff. */
    @Transactional
    public Job visible(Caller caller, UUID jobId) {
        Job job = find(caller, jobId);
        if (!AccessPolicy.mayReadMetadata(caller, job.clientId, isAssigned(job.id, caller))) {
            throw ProblemException.forbidden("You are not assigned to this job.");
        }
        return job;
    }

    /** The job for a caller-independent check; still 404 for a caller who may not know its client. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Job find(Caller caller, UUID jobId) {
        Job job = jobs.findById(jobId);
        if (job == null || !AccessPolicy.mayKnowOf(caller, job.clientId)) {
            throw ProblemException.notFound("Job");
        }
        return job;
    }

    /** The job, for rules that already authorized the caller another way. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Job require(UUID jobId) {
        Job job = jobs.findById(jobId);
        if (job == null) {
            throw ProblemException.notFound("Job");
        }
        return job;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean isAssigned(UUID jobId, Caller caller) {
        return AccessPolicy.mayHoldAssignment(caller) && assignments.isAssigned(jobId, caller.subject());
    }

    @Transactional
    public List<String> staffOf(UUID jobId) {
        return assignments.staffOf(jobId);
    }

    @Transactional
    public void assign(Caller caller, UUID jobId, String staff) {
        Job job = find(caller, jobId);
        if (!job.isOpen()) {
            throw ProblemException.conflict("job-closed", "Staff can only be assigned to an open job.");
        }
        if (assignments.isAssigned(jobId, staff)) {
            return;
        }
        JobAssignment assignment = new JobAssignment();
        assignment.key = new JobAssignment.Key(jobId, staff);
        assignment.assignedBy = caller.subject();
        assignment.assignedAt = Instant.now(clock);
        assignments.persist(assignment);
        audit.append(AuditEntry.of(Actions.JOB_ASSIGN).by(caller).client(job.clientId).job(job.id));
    }

    @Transactional
    public Job complete(Caller caller, UUID jobId) {
        Job job = lockedForClosing(caller, jobId);
        if (!AccessPolicy.mayCompleteJob(caller, job.clientId, isAssigned(jobId, caller))) {
            throw ProblemException.forbidden("You may not complete this job.");
        }
        if (job.status == Job.Status.COMPLETED) {
            return job;
        }
        if (!job.isOpen()) {
            throw ProblemException.conflict("job-closed", "The job is no longer open.");
        }
        job.status = Job.Status.COMPLETED;
        job.closedAt = Instant.now(clock);
        audit.append(AuditEntry.of(Actions.JOB_COMPLETE).by(caller).client(job.clientId).job(job.id));
        closed.fire(new JobClosed(job.id, job.status, job.reuseRequested));
        return job;
    }

    /**
     * The job row locked for a closing operation (completion, erasure of the whole job), taken before
     * anything else reads it: an upload becomes stored only under a shared lock on the same row
     * ({@link #requireAcceptsUpload}), so the two never interleave. 404 like {@link #find}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Job lockedForClosing(Caller caller, UUID jobId) {
        Job job = jobs.lockedForUpdate(jobId);
        if (job == null || !AccessPolicy.mayKnowOf(caller, job.clientId)) {
            throw ProblemException.notFound("Job");
        }
        return job;
    }

    /**
     * An erasure instruction for the whole job: also covers uploads still streaming now, which can then
     * no longer become stored. The caller has locked the job ({@link #lockedForClosing}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordErasureInstruction(Job job) {
        job.erasureInstructedAt = Instant.now(clock);
    }

    /**
     * Lifecycle rule 1: refuses unless an upload begun at {@code startedAt} may still become stored in this
     * job, holding a shared lock on the job row until the caller's transaction ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requireAcceptsUpload(UUID jobId, Instant startedAt) {
        Job job = jobs.lockedShared(jobId);
        if (job == null || !job.isOpen()) {
            throw ProblemException.conflict("job-closed",
                    "The job was closed while the upload was streaming; nothing was stored.");
        }
        if (!job.acceptsUploadStartedAt(startedAt)) {
            throw ProblemException.conflict("job-erased",
                    "The client instructed erasure of this job while the upload was streaming; nothing was stored.");
        }
    }
}
