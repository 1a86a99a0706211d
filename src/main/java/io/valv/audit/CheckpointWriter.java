package io.valv.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.valv.audit.proof.AuditChain;
import io.valv.audit.proof.Checkpoint;
import io.valv.audit.proof.CheckpointSigner;

/**
 * Signs the chain heads periodically (Ed25519), in the spirit of CloudTrail's digest files: the global
 * head, the head of every client chain that moved since its last checkpoint, and a Merkle tree head over the
 * same events ({@link MerkleLog}). Replica-safe: writers
 * take the checkpoint lock row, so two replicas never sign the same head twice. Appends go on meanwhile:
 * a committed head row is consistent by itself, and the client heads are read before the global head, so
 * the global head a client checkpoint names is never older than that client's head.
 */
@ApplicationScoped
class CheckpointWriter {

    private final AuditStore store;
    private final AuditKeys keys;
    private final MerkleLog treeHeads;
    private final Clock clock;

    CheckpointWriter(AuditStore store, AuditKeys keys, MerkleLog treeHeads, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.treeHeads = treeHeads;
        this.clock = clock;
    }

    @Scheduled(every = "${valv.audit.checkpoint-every}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            Log.warnf("Audit checkpoint failed (%s); it will retry", e.getClass().getSimpleName());
        }
    }

    /** Signs what moved since the last checkpoint; returns how many checkpoints and tree heads were written. */
    @Transactional
    int checkpoint() {
        store.lockCheckpointing();
        List<Object[]> clientHeads = store.clientHeadsToSign();
        AuditStore.Head head = store.head();
        int written = 0;
        Instant now = AuditChain.truncate(Instant.now(clock));
        for (Object[] row : clientHeads) {
            store.insert(sign(head, (String) row[0], ((Number) row[1]).longValue(), (String) row[2], now));
            written++;
        }
        if (head.seq() > store.lastCheckpointSeq() || written > 0) {
            store.insert(sign(head, null, null, null, now));
            written++;
        }
        // and the Merkle tree over the same events (RFC 9162), for per-event inclusion proofs
        if (treeHeads.extendTo(head, now).isPresent()) {
            written++;
        }
        return written;
    }

    private CheckpointRow sign(AuditStore.Head head, String clientId, Long clientSeq, String clientHash, Instant now) {
        CheckpointSigner signer = keys.signer();
        Checkpoint unsigned = new Checkpoint(head.seq(), head.hash(), clientId, clientSeq, clientHash,
                AuditChain.time(now), signer.keyId(), null);
        CheckpointRow c = new CheckpointRow();
        c.id = UUID.randomUUID();
        c.seq = head.seq();
        c.hash = head.hash();
        c.clientId = clientId;
        c.clientSeq = clientSeq;
        c.clientHash = clientHash;
        c.signedAt = now;
        c.keyId = signer.keyId();
        c.signature = Base64.getEncoder().encodeToString(signer.sign(unsigned.messageBytes()));
        return c;
    }

    /** Checks every checkpoint's signature; returns the first that fails, if any. */
    static java.util.Optional<Checkpoint> firstBadSignature(List<Checkpoint> checkpoints, CheckpointSigner signer) {
        for (Checkpoint c : checkpoints) {
            if (!c.keyId().equals(signer.keyId()) || !signer.verify(c.messageBytes(), c.signature())) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
