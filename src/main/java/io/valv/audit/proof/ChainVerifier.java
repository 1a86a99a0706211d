package io.valv.audit.proof;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Re-checks the chain event by event, in seq order, in constant memory per client: contiguous seqs,
 * each prev-hash equal to its predecessor's hash, each hash recomputed from the fields, the same for
 * every client chain, the chain passing through every signed checkpoint, the Merkle tree of the events
 * matching every signed tree head, and each range-read summary matching the coalesced reads it counts. Stops at the first
 * break. Pure: the database walk lives in
 * the audit service.
 */
public final class ChainVerifier {

    /**
     * One event as stored: its hashed fields and the two hashes kept beside them; for a range-read summary
     * also what the coalesced-read tables hold for it.
     */
    public record Stored(AuditChain.Fields fields, String prevHash, String hash, Counted counted) {

        public Stored(AuditChain.Fields fields, String prevHash, String hash) {
            this(fields, prevHash, hash, null);
        }
    }

    /** The rows of {@code audit_range_read} that {@code audit_range_flush} says a summary counts: number, bytes. */
    public record Counted(long reads, long bytes) {
    }

    /** The outcome of a verification, as returned by {@code GET /api/v1/audit/verify}. */
    public record Result(boolean ok, long checkedEvents, Long firstBrokenSeq, String reason, int checkedCheckpoints,
            long headSeq) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final Map<Long, List<Checkpoint>> globalCheckpoints = new HashMap<>();
    private final Map<Long, TreeHead> treeHeads = new HashMap<>();
    private final MerkleTree.Builder tree = new MerkleTree.Builder();
    private final long lastTreeSize;
    private final Map<String, Map<Long, Checkpoint>> clientCheckpoints = new HashMap<>();
    private final Map<String, ClientState> clients = new HashMap<>();
    private final long lastCheckpointSeq;
    private long expectedSeq = 1;
    private String hash = AuditChain.GENESIS;
    private long checked;
    private Long brokenSeq;
    private String reason;
    private int checkedCheckpoints;

    public ChainVerifier(List<Checkpoint> checkpoints) {
        this(checkpoints, List.of());
    }

    /** {@code checkpoints} and {@code treeHeads} must already have had their signatures checked. */
    public ChainVerifier(List<Checkpoint> checkpoints, List<TreeHead> treeHeads) {
        long lastSize = 0;
        for (TreeHead t : treeHeads) {
            this.treeHeads.put(t.treeSize(), t);
            lastSize = Math.max(lastSize, t.treeSize());
        }
        lastTreeSize = lastSize;
        long last = 0;
        for (Checkpoint c : checkpoints) {
            if (c.clientId() == null) {
                globalCheckpoints.computeIfAbsent(c.seq(), s -> new java.util.ArrayList<>()).add(c);
            } else {
                clientCheckpoints.computeIfAbsent(c.clientId(), k -> new HashMap<>()).put(c.clientSeq(), c);
            }
            last = Math.max(last, c.seq());
        }
        lastCheckpointSeq = last;
    }

    /** Feeds the next event by seq; false once the chain is broken (later events are not looked at). */
    public boolean accept(Stored e) {
        if (brokenSeq != null) {
            return false;
        }
        AuditChain.Fields f = e.fields();
        if (f.seq() != expectedSeq) {
            return broken(expectedSeq, f.seq() > expectedSeq ? "event " + expectedSeq + " is missing"
                    : "event out of order (seq " + f.seq() + " after " + (expectedSeq - 1) + ")");
        }
        if (!hash.equals(e.prevHash())) {
            return broken(f.seq(), "prev_hash does not match the hash of event " + (f.seq() - 1));
        }
        byte[] encoding = AuditChain.encode(f);
        String recomputed = AuditChain.link(hash, encoding);
        if (!recomputed.equals(e.hash())) {
            return broken(f.seq(), "hash does not match the event's content (altered)");
        }
        if (SummaryEvents.RANGE_READS.equals(f.action()) && !matchesCountedReads(f, e.counted())) {
            return broken(f.seq(), "the coalesced range reads this summary counts were altered or removed ("
                    + SummaryEvents.countOf(f.detail()) + " reads of " + f.bytes() + " bytes on the chain, "
                    + (e.counted() == null ? "none" : e.counted().reads() + " reads of " + e.counted().bytes() + " bytes")
                    + " in audit_range_read)");
        }
        for (Checkpoint c : globalCheckpoints.getOrDefault(f.seq(), List.of())) {
            if (!c.hash().equals(recomputed)) {
                return broken(f.seq(), "chain differs from the signed checkpoint at seq " + f.seq());
            }
            checkedCheckpoints++;
        }
        if (f.clientId() != null) {
            ClientState client = clients.computeIfAbsent(f.clientId(), k -> new ClientState());
            if (!Objects.equals(f.clientSeq(), client.seq + 1)) {
                return broken(f.seq(), "client " + f.clientId() + ": client_seq " + f.clientSeq() + " where "
                        + (client.seq + 1) + " was due (an event of this client is missing)");
            }
            if (!client.hash.equals(f.clientPrevHash())) {
                return broken(f.seq(), "client " + f.clientId() + ": client_prev_hash does not match its previous event");
            }
            client.seq++;
            client.hash = AuditChain.link(client.hash, encoding);
            Checkpoint c = clientCheckpoints.getOrDefault(f.clientId(), Map.of()).get(client.seq);
            if (c != null) {
                if (!c.clientHash().equals(client.hash)) {
                    return broken(f.seq(), "client " + f.clientId() + ": chain differs from its signed checkpoint");
                }
                checkedCheckpoints++;
            }
        } else if (f.clientSeq() != null || f.clientPrevHash() != null) {
            return broken(f.seq(), "client chain fields on an event without a client");
        }
        tree.add(HEX.parseHex(recomputed));
        TreeHead t = treeHeads.get(tree.size());
        if (t != null) {
            if (!t.rootHash().equals(HEX.formatHex(tree.root()))) {
                return broken(f.seq(), "the Merkle tree of events 1.." + f.seq() + " differs from its signed tree head");
            }
            checkedCheckpoints++;
        }
        hash = recomputed;
        expectedSeq++;
        checked++;
        return true;
    }

    /**
     * Ends the walk: the last event must be the head read before the walk ({@code headSeq}, {@code headHash}),
     * and no checkpoint may lie beyond the head as it is now ({@code currentHeadSeq}): that would mean the
     * chain was cut back and its head rewound.
     */
    public Result finish(long headSeq, String headHash, long currentHeadSeq) {
        if (brokenSeq == null) {
            if (expectedSeq - 1 < headSeq) {
                broken(expectedSeq, "event " + expectedSeq + " is missing (the head is at " + headSeq + ")");
            } else if (!hash.equals(headHash)) {
                broken(headSeq, "the chain head does not match the last event");
            } else if (lastCheckpointSeq > currentHeadSeq) {
                broken(currentHeadSeq + 1,
                        "a signed checkpoint covers seq " + lastCheckpointSeq + ", beyond the head (truncated)");
            } else if (lastTreeSize > currentHeadSeq) {
                broken(currentHeadSeq + 1,
                        "a signed tree head covers " + lastTreeSize + " events, beyond the head (truncated)");
            }
        }
        return new Result(brokenSeq == null, checked, brokenSeq, reason, checkedCheckpoints, headSeq);
    }

    /** A checkpoint whose signature did not verify: the whole result is broken from its seq on. */
    public Result badSignature(Checkpoint c) {
        broken(c.seq(), "the signature of the checkpoint at seq " + c.seq() + " does not verify");
        return new Result(false, checked, brokenSeq, reason, checkedCheckpoints, c.seq());
    }

    /**
     * The chain pins a summary's count (in its detail) and total bytes; the rows it counts must still add up
     * to both, or a coalesced read was deleted, re-assigned or altered after the flush.
     */
    private static boolean matchesCountedReads(AuditChain.Fields f, Counted counted) {
        Counted found = counted == null ? new Counted(0, 0) : counted;
        return found.reads() == SummaryEvents.countOf(f.detail()) && f.bytes() != null && found.bytes() == f.bytes();
    }

    /** A tree head whose signature did not verify: the whole result is broken from its last event on. */
    public Result badSignature(TreeHead t) {
        broken(t.treeSize(), "the signature of the tree head of size " + t.treeSize() + " does not verify");
        return new Result(false, checked, brokenSeq, reason, checkedCheckpoints, t.treeSize());
    }

    private boolean broken(long seq, String why) {
        brokenSeq = seq;
        reason = why;
        return false;
    }

    private static final class ClientState {
        long seq;
        String hash = AuditChain.GENESIS;
    }
}
