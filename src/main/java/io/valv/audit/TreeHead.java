package io.valv.audit;

import java.nio.charset.StandardCharsets;

/**
 * A signed statement of the log's Merkle tree: its size (the events with seq 1..treeSize) and root.
 * {@link #message()} is exactly the text that is signed, with the checkpoints' Ed25519 key.
 */
record TreeHead(long treeSize, String rootHash, String signedAt, String keyId, byte[] signature) {

    static final String VERSION = "valv-audit-tree-head-v1";

    /** Four LF-terminated lines of ASCII. */
    String message() {
        return VERSION + "\n"
                + "treeSize=" + treeSize + "\n"
                + "rootHash=" + rootHash + "\n"
                + "signedAt=" + signedAt + "\n";
    }

    byte[] messageBytes() {
        return message().getBytes(StandardCharsets.UTF_8);
    }
}
