package io.valv.audit.proof;

import java.nio.charset.StandardCharsets;

/**
 * A signed statement of the log's Merkle tree: its size (the events with seq 1..treeSize) and root.
 * {@link #message()} is exactly the text that is signed, with the checkpoints' Ed25519 key.
 */
public record TreeHead(long treeSize, String rootHash, String signedAt, String keyId, byte[] signature) {

    public static final String VERSION = "valv-audit-tree-head-v1";

    /** Four LF-terminated lines of ASCII. */
    public String message() {
        return VERSION + "\n"
                + "treeSize=" + treeSize + "\n"
                + "rootHash=" + rootHash + "\n"
                + "signedAt=" + signedAt + "\n";
    }

    public byte[] messageBytes() {
        return message().getBytes(StandardCharsets.UTF_8);
    }
}
