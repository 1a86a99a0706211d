package io.valv.material;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.crypto.Digests;

/**
 * The whole-file SHA-256 of the resumable uploads this replica took the last request of, in memory only, at the
 * end of their last recorded part. It lets the next request on this replica go on hashing with the JDK's
 * SHA-256 (SHA-NI on this hardware, some six times BouncyCastle's exportable digest), and it keeps no hash state at
 * rest at all: a request that finds no state for its offset here (another replica, a restart, an evicted entry)
 * hashes nothing, and the completing request hashes the assembled object instead (docs/crypto.md).
 * <p>
 * Correct by construction: a state is kept only for the offset its request recorded under its lease, the parts
 * before a recorded offset never change, and a request takes the state out (two requests never share one).
 * Bounded: at most {@link #MAX_ENTRIES} states of ~200 bytes each, none older than the upload expiry.
 */
@ApplicationScoped
class UploadDigests {

    static final int MAX_ENTRIES = 4096;

    private record Kept(long offset, MessageDigest digest, Instant keptAt) {
    }

    private final Clock clock;
    private final Duration keepFor;
    private final Map<String, Kept> kept = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    UploadDigests(Clock clock, UploadConfig config) {
        this.clock = clock;
        this.keepFor = config.resumableExpireAfter();
    }

    /**
     * The upload's digest over its first {@code offset} bytes, taken out (the caller owns it now); empty when this
     * replica does not have that state. Offset 0 always has one.
     */
    synchronized Optional<MessageDigest> take(String uploadId, long offset) {
        Kept k = kept.remove(uploadId);
        if (offset == 0) {
            return Optional.of(Digests.sha256());
        }
        if (k == null || k.offset() != offset || k.keptAt().plus(keepFor).isBefore(Instant.now(clock))) {
            return Optional.empty();
        }
        return Optional.of(k.digest());
    }

    /** Keeps {@code digest}, which covers exactly the upload's first {@code offset} bytes, all recorded. */
    synchronized void keep(String uploadId, long offset, MessageDigest digest) {
        kept.put(uploadId, new Kept(offset, digest, Instant.now(clock)));
    }

    synchronized void forget(String uploadId) {
        kept.remove(uploadId);
    }

    /** A copy of the digest's state, to keep while the original hashes on. */
    static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }
}
