package io.valv.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The canonical encoding and the hash links, pinned byte for byte (docs/audit.md must agree). */
class AuditChainTest {

    static AuditChain.Fields fields(long seq, String detail) {
        return new AuditChain.Fields("00000000-0000-0000-0000-00000000000" + (seq % 10), seq, null, null,
                "2026-05-04T09:15:00.000000Z", "p", "staff", null, "material.content.read", "ok", null, null, null, detail,
                null, "req-1");
    }

    @Test
    void fieldsAreLengthPrefixedAndNullDiffersFromEmpty() {
        byte[] withNull = AuditChain.encode(fields(1, null));
        byte[] withEmpty = AuditChain.encode(fields(1, ""));
        assertNotEquals(HexFormat.of().formatHex(withNull), HexFormat.of().formatHex(withEmpty));
        // version tag first: 4-byte big-endian length 13, then "valv-audit-v1"
        assertEquals("0000000d" + HexFormat.of().formatHex("valv-audit-v1".getBytes()),
                HexFormat.of().formatHex(withNull).substring(0, 34));
        // the null detail is ffffffff, the empty one 00000000
        assertEquals(withNull.length, withEmpty.length);
    }

    @Test
    void movingABoundaryBetweenFieldsChangesTheEncoding() {
        AuditChain.Fields a = new AuditChain.Fields("id", 1, null, null, "t", "p", "ab", "c", "x.y", "ok", null, null,
                null, null, null, null);
        AuditChain.Fields b = new AuditChain.Fields("id", 1, null, null, "t", "p", "a", "bc", "x.y", "ok", null, null,
                null, null, null, null);
        assertNotEquals(HexFormat.of().formatHex(AuditChain.encode(a)), HexFormat.of().formatHex(AuditChain.encode(b)));
    }

    @Test
    void knownVector() {
        // computed independently with the Python of docs/audit.md: a format change must fail here first
        assertEquals("6c31768680c85ab9d39b5c5f63b46d79cc805d59a2eac6ac94812b830893629f",
                AuditChain.link(AuditChain.GENESIS, AuditChain.encode(fields(1, "whole"))));
    }

    @Test
    void timestampsAreFixedWidthMicroseconds() {
        assertEquals("2026-05-04T09:15:00.000000Z", AuditChain.time(Instant.parse("2026-05-04T09:15:00Z")));
        assertEquals("2026-05-04T09:15:00.123456Z", AuditChain.time(Instant.parse("2026-05-04T09:15:00.123456789Z")));
    }

    @Test
    void personalCommitmentDependsOnEveryInputAndTheSalt() {
        String base = AuditChain.personal("00", "alice", "127.0.0.1", "curl");
        assertNotEquals(base, AuditChain.personal("01", "alice", "127.0.0.1", "curl"));
        assertNotEquals(base, AuditChain.personal("00", "alicE", "127.0.0.1", "curl"));
        assertNotEquals(base, AuditChain.personal("00", "alice", "127.0.0.2", "curl"));
        assertNotEquals(base, AuditChain.personal("00", "alice", "127.0.0.1", null));
        assertEquals(base, AuditChain.personal("00", "alice", "127.0.0.1", "curl"));
    }

    @Test
    void encodingIsUtf8() {
        AuditChain.Fields f = new AuditChain.Fields("id", 1, 2L, AuditChain.GENESIS, "t", "p", "", null, "a.b", "ok",
                "åäö", null, null, null, 5L, null);
        byte[] enc = AuditChain.encode(f);
        byte[] tail = HexFormat.of().parseHex("00000006c3a5c3a4c3b6");
        boolean found = false;
        for (int i = 0; i + tail.length <= enc.length && !found; i++) {
            byte[] window = java.util.Arrays.copyOfRange(enc, i, i + tail.length);
            found = java.util.Arrays.equals(window, tail);
        }
        assertArrayEquals(new boolean[] { true }, new boolean[] { found });
    }
}
