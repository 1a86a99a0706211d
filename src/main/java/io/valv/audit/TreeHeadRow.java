package io.valv.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.valv.audit.proof.AuditChain;
import io.valv.audit.proof.TreeHead;

/** A stored signed tree head of the log's Merkle tree ({@link TreeHead} is what is signed). */
@Entity
@Immutable
@Table(name = "audit_tree_head")
public class TreeHeadRow {

    @Id
    @Column(name = "tree_size")
    public long treeSize;
    @Column(name = "root_hash")
    public String rootHash;
    /** Hex roots of the tree's perfect subtrees, largest first, comma-separated. */
    public String frontier;
    @Column(name = "signed_at")
    public Instant signedAt;
    @Column(name = "key_id")
    public String keyId;
    /** Base64 of the 64-byte Ed25519 signature over {@link TreeHead#message()}. */
    public String signature;

    TreeHead toTreeHead() {
        return new TreeHead(treeSize, rootHash, AuditChain.time(signedAt), keyId,
                java.util.Base64.getDecoder().decode(signature));
    }
}
