package io.valv.audit.proof;

import java.nio.charset.StandardCharsets;

/**
 * A signed statement of a chain head: the global chain (clientId null), or one client's chain together
 * with the global head at that moment. {@link #message()} is exactly the text that is signed.
 */
public record Checkpoint(long seq, String hash, String clientId, Long clientSeq, String clientHash, String signedAt,
        String keyId, byte[] signature) {

    public static final String VERSION = "valv-audit-checkpoint-v1";

    /** Seven LF-terminated lines of ASCII; "-" stands for an absent client value. */
    public String message() {
        return VERSION + "\n"
                + "client=" + (clientId == null ? "-" : clientId) + "\n"
                + "clientSeq=" + (clientSeq == null ? "-" : clientSeq) + "\n"
                + "clientHash=" + (clientHash == null ? "-" : clientHash) + "\n"
                + "seq=" + seq + "\n"
                + "hash=" + hash + "\n"
                + "signedAt=" + signedAt + "\n";
    }

    public byte[] messageBytes() {
        return message().getBytes(StandardCharsets.UTF_8);
    }
}
