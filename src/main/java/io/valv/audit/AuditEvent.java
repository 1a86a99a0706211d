package io.valv.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.valv.audit.proof.AuditChain;

/**
 * One audit event as stored. Written once by {@link AuditStore} and never changed: Hibernate treats it as
 * immutable, no repository offers update or delete, and in production the database role may only INSERT
 * and SELECT it (docs/audit.md).
 */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    public UUID id;
    public long seq;
    @Column(name = "client_seq")
    public Long clientSeq;
    @Column(name = "client_prev_hash")
    public String clientPrevHash;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Column(name = "actor_subject")
    public String actorSubject;
    /** Valv roles of the actor, sorted, comma-separated. */
    @Column(name = "actor_roles")
    public String actorRoles;
    @Column(name = "actor_client")
    public String actorClient;
    public String action;
    public String outcome;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "material_id")
    public UUID materialId;
    public String detail;
    public Long bytes;
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "client_ip")
    public String clientIp;
    @Column(name = "user_agent")
    public String userAgent;
    /** Random salt of the personal-data commitment (hex). */
    @Column(name = "personal_salt")
    public String personalSalt;
    @Column(name = "prev_hash")
    public String prevHash;
    public String hash;

    /** The hashed fields, recomputed from the stored columns. */
    AuditChain.Fields fields() {
        return new AuditChain.Fields(id.toString(), seq, clientSeq, clientPrevHash, AuditChain.time(occurredAt),
                personalDigest(), actorRoles, actorClient, action, outcome, clientId, str(jobId), str(materialId), detail,
                bytes, requestId);
    }

    String personalDigest() {
        return AuditChain.personal(personalSalt, actorSubject, clientIp, userAgent);
    }

    private static String str(UUID id) {
        return id == null ? null : id.toString();
    }
}
