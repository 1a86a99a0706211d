package io.valv.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.audit.proof.AuditChain;
import io.valv.audit.proof.CheckpointSigner;
import io.valv.audit.proof.MerkleTree;
import io.valv.audit.proof.TreeHead;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;

/**
 * The log as one RFC 9162 Merkle tree (docs/audit.md, "Tree heads and inclusion proofs"): signed tree heads,
 * written with the global checkpoints, and per-event inclusion proofs against the newest of them, which a
 * client verifies offline with the checkpoint key.
 */
@ApplicationScoped
class MerkleLog {

    private static final HexFormat HEX = HexFormat.of();
    /** Event hashes read per query while streaming the tree's leaves. */
    private static final int LEAF_BATCH = 10_000;

    private final AuditStore store;
    private final AuditKeys keys;
    private final AuditLog log;
    private final AuditConfig config;

    MerkleLog(AuditStore store, AuditKeys keys, AuditLog log, AuditConfig config) {
        this.store = store;
        this.keys = keys;
        this.log = log;
        this.config = config;
    }

    /**
     * Signs a tree head over every event up to {@code head}, resuming from the newest tree head (so only the
     * events added since are read). In the checkpoint's transaction, under its lock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<TreeHeadRow> extendTo(AuditStore.Head head, Instant signedAt) {
        Optional<TreeHeadRow> latest = store.latestTreeHead();
        long size = latest.map(h -> h.treeSize).orElse(0L);
        if (head.seq() <= size) {
            return Optional.empty();
        }
        MerkleTree.Builder tree = latest.map(h -> MerkleTree.Builder.resume(h.treeSize, frontier(h.frontier)))
                .orElseGet(MerkleTree.Builder::new);
        String[] last = { null };
        forEachLeaf(size, head.seq(), hash -> {
            tree.add(HEX.parseHex(hash));
            last[0] = hash;
        });
        if (tree.size() != head.seq() || !head.hash().equals(last[0])) {
            throw new IllegalStateException("the events below the chain head are not contiguous");
        }
        CheckpointSigner signer = keys.signer();
        TreeHead unsigned = new TreeHead(tree.size(), HEX.formatHex(tree.root()), AuditChain.time(signedAt),
                signer.keyId(), null);
        TreeHeadRow t = new TreeHeadRow();
        t.treeSize = unsigned.treeSize();
        t.rootHash = unsigned.rootHash();
        t.frontier = String.join(",", tree.frontier().stream().map(HEX::formatHex).toList());
        t.signedAt = signedAt;
        t.keyId = signer.keyId();
        t.signature = Base64.getEncoder().encodeToString(signer.sign(unsigned.messageBytes()));
        store.insert(t);
        return Optional.of(t);
    }

    /**
     * The inclusion proof of one event in the newest tree head. The auditor may ask for any event, a client
     * admin for its own client's; anything else is "not found". The read is audited first, like every read
     * of the log. 409 while no tree head covers the event yet (one is signed every checkpoint interval).
     */
    @Transactional
    InclusionProof proof(Caller caller, UUID eventId) {
        AuditEvent e = store.event(eventId).filter(found -> visible(caller, found))
                .orElseThrow(() -> ProblemException.notFound("Event"));
        log.appendSeparately(AuditEntry.of(Actions.AUDIT_PROOF).by(caller).client(e.clientId).job(e.jobId)
                .material(e.materialId).detail("event " + e.id));
        TreeHeadRow head = store.latestTreeHead().filter(h -> h.treeSize >= e.seq).orElseThrow(() -> ProblemException.conflict(
                "not-yet-covered", "No signed tree head covers this event yet; one is signed every "
                        + config.checkpointEvery().toSeconds() + " s. Retry then."));
        MerkleTree.PathBuilder path = new MerkleTree.PathBuilder(e.seq - 1, head.treeSize);
        forEachLeaf(0, head.treeSize, hash -> path.add(HEX.parseHex(hash)));
        List<byte[]> auditPath = path.path();
        if (!MerkleTree.verifyInclusion(HEX.parseHex(e.hash), e.seq - 1, head.treeSize, auditPath,
                HEX.parseHex(head.rootHash))) {
            throw new ProblemException(500, "audit-inconsistent", "Audit log inconsistent",
                    "The stored events do not reproduce the signed tree head. GET /api/v1/audit/verify names the first"
                            + " broken event.");
        }
        TreeHead signed = head.toTreeHead();
        CheckpointSigner signer = keys.signer();
        return new InclusionProof("valv-audit-inclusion-proof-v1", e.id, e.seq, e.seq - 1, e.clientId, e.action,
                e.prevHash, e.hash, new TreeHeadView(signed.treeSize(), signed.rootHash(), signed.signedAt(),
                        signed.keyId(), signed.message(), head.signature),
                auditPath.stream().map(HEX::formatHex).toList(), signer.publicKeyPem());
    }

    private static boolean visible(Caller caller, AuditEvent e) {
        return AccessPolicy.mayReadAuditOf(caller, e.clientId);
    }

    /** The chain hashes of the events after seq {@code after} up to {@code upTo}, in order, in batches. */
    private void forEachLeaf(long after, long upTo, Consumer<String> leaf) {
        long seq = after;
        while (seq < upTo) {
            List<String> batch = store.eventHashes(seq, upTo, LEAF_BATCH);
            if (batch.isEmpty()) {
                return;
            }
            batch.forEach(leaf);
            seq += batch.size();
        }
    }

    static List<byte[]> frontier(String stored) {
        return stored.isEmpty() ? List.of() : Arrays.stream(stored.split(",")).map(HEX::parseHex).toList();
    }

    /**
     * Everything a client needs to check offline that the event is in the log: recompute {@code eventHash}
     * from the event ({@code prevHash} and its canonical encoding), verify {@code auditPath} from that leaf
     * to {@code treeHead.rootHash} (RFC 9162 §2.1.3.2), and the tree head's Ed25519 signature over
     * {@code treeHead.message} with the pinned checkpoint key.
     */
    public record InclusionProof(String format, UUID eventId, long seq, long leafIndex, String clientId, String action,
            String prevHash, String eventHash, TreeHeadView treeHead, List<String> auditPath, String publicKeyPem) {
    }

    /** A signed tree head: {@code signature} is Base64 of the Ed25519 signature over {@code message}. */
    public record TreeHeadView(long treeSize, String rootHash, String signedAt, String keyId, String message,
            String signature) {
    }
}
