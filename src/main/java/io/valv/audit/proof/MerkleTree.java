package io.valv.audit.proof;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import io.valv.crypto.Digests;

/**
 * The Merkle tree hash of RFC 9162 §2.1 (Certificate Transparency 2.0) over the log's events in {@code seq}
 * order: leaf {@code i} is the event with {@code seq = i + 1}, and its input is that event's chain hash (32
 * bytes), which commits to the event's canonical encoding and to every event before it (docs/audit.md,
 * "Tree heads and inclusion proofs").
 *
 * <p>
 * Everything here works on leaves fed in order, in memory logarithmic in their number, so that a tree head
 * or a proof over millions of events streams through them once. Pure: the database walk is elsewhere.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /** {@code HASH(0x00 || leaf)}. */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest sha = Digests.sha256();
        sha.update((byte) 0x00);
        return sha.digest(leaf);
    }

    /** {@code HASH(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = Digests.sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    /**
     * MTH of the leaves added so far. Keeps the roots of the perfect subtrees that make up the tree (the
     * binary decomposition of its size, largest first): its "frontier", enough to go on adding leaves later.
     */
    public static final class Builder {
        private final List<byte[]> roots = new ArrayList<>();
        private final List<Long> sizes = new ArrayList<>();
        private long size;

        public Builder() {
        }

        /** Resumes a tree of {@code size} leaves from its {@link #frontier()}. */
        public static Builder resume(long size, List<byte[]> frontier) {
            Builder b = new Builder();
            int i = 0;
            for (int bit = 62; bit >= 0; bit--) {
                long subtree = 1L << bit;
                if ((size & subtree) != 0) {
                    if (i >= frontier.size()) {
                        throw new IllegalArgumentException("frontier too short for size " + size);
                    }
                    b.roots.add(frontier.get(i++));
                    b.sizes.add(subtree);
                }
            }
            if (i != frontier.size()) {
                throw new IllegalArgumentException("frontier too long for size " + size);
            }
            b.size = size;
            return b;
        }

        public void add(byte[] leaf) {
            byte[] hash = leafHash(leaf);
            long subtree = 1;
            // two perfect subtrees of equal size side by side make one twice as big
            while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == subtree) {
                hash = nodeHash(roots.remove(roots.size() - 1), hash);
                sizes.remove(sizes.size() - 1);
                subtree *= 2;
            }
            roots.add(hash);
            sizes.add(subtree);
            size++;
        }

        public long size() {
            return size;
        }

        public List<byte[]> frontier() {
            return List.copyOf(roots);
        }

        /** MTH of the leaves so far: the frontier folded from the right (the empty tree: HASH()). */
        public byte[] root() {
            if (roots.isEmpty()) {
                return Digests.sha256().digest();
            }
            byte[] r = roots.get(roots.size() - 1);
            for (int i = roots.size() - 2; i >= 0; i--) {
                r = nodeHash(roots.get(i), r);
            }
            return r;
        }
    }

    /**
     * The inclusion path of leaf {@code m} in the tree of the first {@code n} leaves (RFC 9162 §2.1.3.1),
     * from all {@code n} leaves fed in order. The path is MTH of fixed ranges of leaves, known before any
     * leaf is seen; each range gets a {@link Builder} of its own.
     */
    public static final class PathBuilder {
        private final long m;
        private final long n;
        /** [lo, hi) per path entry, bottom-up (the order of the path) */
        private final List<long[]> ranges = new ArrayList<>();
        private final List<Builder> builders = new ArrayList<>();
        private long next;

        public PathBuilder(long m, long n) {
            if (m < 0 || m >= n) {
                throw new IllegalArgumentException("leaf " + m + " is not in a tree of " + n);
            }
            this.m = m;
            this.n = n;
            collect(0, n);
            ranges.forEach(r -> builders.add(new Builder()));
        }

        private void collect(long lo, long hi) {
            if (hi - lo == 1) {
                return;
            }
            long k = Long.highestOneBit(hi - lo - 1);
            if (m < lo + k) {
                collect(lo, lo + k);
                ranges.add(new long[] { lo + k, hi });
            } else {
                collect(lo + k, hi);
                ranges.add(new long[] { lo, lo + k });
            }
        }

        /** The next leaf (index 0, 1, … up to n − 1). */
        public void add(byte[] leaf) {
            if (next >= n) {
                throw new IllegalStateException("more leaves than the tree holds");
            }
            for (int i = 0; i < ranges.size(); i++) {
                if (next >= ranges.get(i)[0] && next < ranges.get(i)[1]) {
                    builders.get(i).add(leaf);
                    break;
                }
            }
            next++;
        }

        public List<byte[]> path() {
            if (next != n) {
                throw new IllegalStateException(next + " of " + n + " leaves seen");
            }
            return builders.stream().map(Builder::root).toList();
        }
    }

    /** RFC 9162 §2.1.3.2: whether {@code path} proves leaf {@code m} (its input) in the tree of size n, root. */
    public static boolean verifyInclusion(byte[] leaf, long m, long n, List<byte[]> path, byte[] root) {
        if (m < 0 || m >= n) {
            return false;
        }
        long fn = m;
        long sn = n - 1;
        byte[] r = leafHash(leaf);
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }
}
