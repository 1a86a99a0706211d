package io.valv.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.valv.audit.proof.AuditChain;
import io.valv.audit.proof.Checkpoint;

/** A stored checkpoint: the signed head of the global chain (clientId null) or of one client's chain. */
@Entity
@Immutable
@Table(name = "audit_checkpoint")
public class CheckpointRow {

    @Id
    public UUID id;
    public long seq;
    public String hash;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "client_seq")
    public Long clientSeq;
    @Column(name = "client_hash")
    public String clientHash;
    @Column(name = "signed_at")
    public Instant signedAt;
    @Column(name = "key_id")
    public String keyId;
    /** Base64 of the 64-byte Ed25519 signature over {@link Checkpoint#message()}. */
    public String signature;

    Checkpoint toCheckpoint() {
        return new Checkpoint(seq, hash, clientId, clientSeq, clientHash, AuditChain.time(signedAt), keyId,
                java.util.Base64.getDecoder().decode(signature));
    }
}
