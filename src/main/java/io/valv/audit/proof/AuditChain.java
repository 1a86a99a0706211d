package io.valv.audit.proof;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The canonical encoding of an audit event and the two hash chains built over it (docs/audit.md, "Hash
 * chain"). Pure functions: the service, the verifier, the unit tests and a client's offline script all
 * compute exactly this.
 *
 * <p>
 * Encoding: the version tag followed by the fields of {@link Fields} in declaration order, each as a
 * 4-byte big-endian length and its UTF-8 bytes; {@code null} is the length {@code 0xFFFFFFFF} with no
 * bytes, so that null, empty and every split between neighbouring fields encode differently.
 * {@code hash = SHA-256(prevHash ‖ encoding)} over the global chain and
 * {@code clientHash = SHA-256(clientPrevHash ‖ encoding)} over the event's client chain, the previous
 * hashes as their 32 raw bytes; the first event of a chain follows 32 zero bytes.
 */
public final class AuditChain {

    /** First field of every encoding; a new format gets a new tag, never a silent change. */
    public static final String VERSION = "valv-audit-v1";
    /** The "previous hash" of the first event of every chain. */
    public static final String GENESIS = "0".repeat(64);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AuditChain() {
    }

    /**
     * The hashed fields of one event, as text. Personal data (subject, client address, user agent) enters
     * only through {@link #personal}, a salted digest, so that an export can withhold or pseudonymise it
     * and still be verifiable.
     */
    public record Fields(String id, long seq, Long clientSeq, String clientPrevHash, String occurredAt, String personal,
            String actorRoles, String actorClient, String action, String outcome, String clientId, String jobId,
            String materialId, String detail, Long bytes, String requestId) {
    }

    /** The database keeps microseconds; every timestamp is cut to them before it is hashed or stored. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Fixed-width UTC timestamp with microseconds, e.g. {@code 2026-05-04T09:15:00.000000Z}. */
    public static String time(Instant instant) {
        return TIME.format(truncate(instant));
    }

    public static byte[] encode(Fields f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, VERSION);
        field(out, f.id());
        field(out, Long.toString(f.seq()));
        field(out, f.clientSeq() == null ? null : f.clientSeq().toString());
        field(out, f.clientPrevHash());
        field(out, f.occurredAt());
        field(out, f.personal());
        field(out, f.actorRoles());
        field(out, f.actorClient());
        field(out, f.action());
        field(out, f.outcome());
        field(out, f.clientId());
        field(out, f.jobId());
        field(out, f.materialId());
        field(out, f.detail());
        field(out, f.bytes() == null ? null : f.bytes().toString());
        field(out, f.requestId());
        return out.toByteArray();
    }

    /** {@code hex(SHA-256(prev ‖ encoding))}, {@code prev} being a 64-character hex hash. */
    public static String link(String prevHash, byte[] encoding) {
        MessageDigest sha = sha256();
        sha.update(HexFormat.of().parseHex(prevHash));
        sha.update(encoding);
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Commitment to the personal fields: {@code hex(SHA-256(enc(salt) ‖ enc(subject) ‖ enc(clientIp) ‖
     * enc(userAgent)))} with the same field encoding. The random salt keeps a low-entropy subject from
     * being guessed from the digest.
     */
    public static String personal(String salt, String subject, String clientIp, String userAgent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        field(out, salt);
        field(out, subject);
        field(out, clientIp);
        field(out, userAgent);
        return HexFormat.of().formatHex(sha256().digest(out.toByteArray()));
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF });
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        out.writeBytes(new byte[] { (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n });
        out.writeBytes(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
