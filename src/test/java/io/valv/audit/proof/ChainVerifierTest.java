package io.valv.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Tampering with an in-memory chain: every edit, deletion, reordering and truncation is named. */
class ChainVerifierTest {

    record Built(List<ChainVerifier.Stored> events, String head, List<Checkpoint> checkpoints) {
    }

    /** Ten events over two clients and client-less ones, with a global and a client checkpoint at seq 6. */
    static Built chain(CheckpointSigner signer) {
        List<ChainVerifier.Stored> out = new ArrayList<>();
        Map<String, long[]> seqs = new HashMap<>();
        Map<String, String> clientHashes = new HashMap<>();
        String hash = AuditChain.GENESIS;
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (long seq = 1; seq <= 10; seq++) {
            String client = seq % 3 == 0 ? null : seq % 3 == 1 ? "acme" : "globex";
            Long clientSeq = null;
            String clientPrev = null;
            if (client != null) {
                clientSeq = ++seqs.computeIfAbsent(client, k -> new long[1])[0];
                clientPrev = clientHashes.getOrDefault(client, AuditChain.GENESIS);
            }
            AuditChain.Fields f = new AuditChain.Fields("id-" + seq, seq, clientSeq, clientPrev,
                    "2026-05-04T09:15:0" + (seq % 10) + ".000000Z", "p" + seq, "staff", null, "material.content.read",
                    "ok", client, null, null, "d" + seq, 100L, "r" + seq);
            byte[] enc = AuditChain.encode(f);
            String next = AuditChain.link(hash, enc);
            out.add(new ChainVerifier.Stored(f, hash, next));
            hash = next;
            if (client != null) {
                clientHashes.put(client, AuditChain.link(clientPrev, enc));
            }
            if (seq == 6 && signer != null) {
                checkpoints.add(signed(signer, new Checkpoint(6, hash, null, null, null, "t", signer.keyId(), null)));
                checkpoints.add(signed(signer, new Checkpoint(6, hash, "acme", seqs.get("acme")[0],
                        clientHashes.get("acme"), "t", signer.keyId(), null)));
            }
        }
        return new Built(out, hash, checkpoints);
    }

    static Checkpoint signed(CheckpointSigner signer, Checkpoint c) {
        return new Checkpoint(c.seq(), c.hash(), c.clientId(), c.clientSeq(), c.clientHash(), c.signedAt(), c.keyId(),
                signer.sign(c.messageBytes()));
    }

    static ChainVerifier.Result verify(List<ChainVerifier.Stored> events, String head, long headSeq,
            List<Checkpoint> checkpoints) {
        ChainVerifier v = new ChainVerifier(checkpoints);
        for (ChainVerifier.Stored e : events) {
            if (!v.accept(e)) {
                break;
            }
        }
        return v.finish(headSeq, head, headSeq);
    }

    static final CheckpointSigner SIGNER = CheckpointSigner
            .fromBase64Seed(Base64.getEncoder().encodeToString(new byte[32]));

    @Test
    void anIntactChainVerifiesWithItsCheckpoints() {
        Built b = chain(SIGNER);
        ChainVerifier.Result r = verify(b.events(), b.head(), 10, b.checkpoints());
        assertTrue(r.ok(), r.reason());
        assertEquals(10, r.checkedEvents());
        assertEquals(2, r.checkedCheckpoints());
    }

    @Test
    void anEditedFieldIsNamed() {
        Built b = chain(null);
        List<ChainVerifier.Stored> events = new ArrayList<>(b.events());
        ChainVerifier.Stored e = events.get(4);
        AuditChain.Fields f = e.fields();
        events.set(4, new ChainVerifier.Stored(new AuditChain.Fields(f.id(), f.seq(), f.clientSeq(), f.clientPrevHash(),
                f.occurredAt(), f.personal(), f.actorRoles(), f.actorClient(), f.action(), f.outcome(), f.clientId(),
                f.jobId(), f.materialId(), "edited", f.bytes(), f.requestId()), e.prevHash(), e.hash()));
        ChainVerifier.Result r = verify(events, b.head(), 10, List.of());
        assertFalse(r.ok());
        assertEquals(5L, r.firstBrokenSeq());
    }

    @Test
    void aDeletedEventIsNamed() {
        Built b = chain(null);
        List<ChainVerifier.Stored> events = new ArrayList<>(b.events());
        events.remove(6);
        ChainVerifier.Result r = verify(events, b.head(), 10, List.of());
        assertEquals(7L, r.firstBrokenSeq());
        assertTrue(r.reason().contains("missing"), r.reason());
    }

    @Test
    void swappedSeqsAreNamed() {
        Built b = chain(null);
        List<ChainVerifier.Stored> events = new ArrayList<>(b.events());
        ChainVerifier.Stored three = events.get(2);
        ChainVerifier.Stored four = events.get(3);
        events.set(2, withSeq(four, 3));
        events.set(3, withSeq(three, 4));
        assertEquals(3L, verify(events, b.head(), 10, List.of()).firstBrokenSeq());
    }

    @Test
    void aTruncatedTailIsNamedByTheHead() {
        Built b = chain(null);
        ChainVerifier.Result r = verify(b.events().subList(0, 8), b.head(), 10, List.of());
        assertEquals(9L, r.firstBrokenSeq());
    }

    @Test
    void aRewrittenTailIsCaughtByTheCheckpoint() {
        // an attacker who can write rebuilds every hash from seq 4 on: only the signed checkpoint at 6 tells
        Built b = chain(SIGNER);
        List<ChainVerifier.Stored> rebuilt = new ArrayList<>(b.events().subList(0, 3));
        String hash = rebuilt.get(2).hash();
        for (ChainVerifier.Stored e : b.events().subList(3, 10)) {
            AuditChain.Fields f = e.fields();
            AuditChain.Fields g = new AuditChain.Fields(f.id(), f.seq(), null, null, f.occurredAt(), f.personal(),
                    f.actorRoles(), f.actorClient(), f.action(), f.outcome(), null, f.jobId(), f.materialId(),
                    f.seq() == 5 ? "rewritten" : f.detail(), f.bytes(), f.requestId());
            String next = AuditChain.link(hash, AuditChain.encode(g));
            rebuilt.add(new ChainVerifier.Stored(g, hash, next));
            hash = next;
        }
        ChainVerifier.Result r = verify(rebuilt, hash, 10, b.checkpoints());
        assertFalse(r.ok());
        assertEquals(6L, r.firstBrokenSeq());
    }

    @Test
    void aClientChainGapIsNamed() {
        Built b = chain(null);
        List<ChainVerifier.Stored> events = new ArrayList<>(b.events());
        // event 4 (acme, client_seq 2) claims client_seq 3: a hole in acme's stream, even with a consistent global chain
        ChainVerifier.Stored e = events.get(3);
        AuditChain.Fields f = e.fields();
        AuditChain.Fields g = new AuditChain.Fields(f.id(), f.seq(), 3L, f.clientPrevHash(), f.occurredAt(), f.personal(),
                f.actorRoles(), f.actorClient(), f.action(), f.outcome(), f.clientId(), f.jobId(), f.materialId(),
                f.detail(), f.bytes(), f.requestId());
        events.set(3, new ChainVerifier.Stored(g, e.prevHash(), AuditChain.link(e.prevHash(), AuditChain.encode(g))));
        ChainVerifier.Result r = verify(events, b.head(), 10, List.of());
        assertEquals(4L, r.firstBrokenSeq());
    }

    @Test
    void aCheckpointBeyondTheHeadMeansTruncation() {
        Built b = chain(SIGNER);
        ChainVerifier v = new ChainVerifier(b.checkpoints());
        b.events().subList(0, 5).forEach(v::accept);
        ChainVerifier.Result r = v.finish(5, b.events().get(4).hash(), 5);
        assertFalse(r.ok());
        assertEquals(6L, r.firstBrokenSeq());
    }

    private static ChainVerifier.Stored withSeq(ChainVerifier.Stored e, long seq) {
        AuditChain.Fields f = e.fields();
        return new ChainVerifier.Stored(new AuditChain.Fields(f.id(), seq, f.clientSeq(), f.clientPrevHash(),
                f.occurredAt(), f.personal(), f.actorRoles(), f.actorClient(), f.action(), f.outcome(), f.clientId(),
                f.jobId(), f.materialId(), f.detail(), f.bytes(), f.requestId()), e.prevHash(), e.hash());
    }
}
