package io.valv.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 9162 Merkle tree hashes, paths and their verification: against the Certificate Transparency test
 * vectors, and against the RFC's recursive definitions written out naively here, for every tree size up
 * to 70 and every leaf.
 */
class MerkleTreeTest {

    static final HexFormat HEX = HexFormat.of();

    /** The leaves of the CT reference implementation's tests (merkle_tree_test.cc). */
    static final String[] CT_LEAVES = { "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f" };
    /** MTH of the first 1..8 of them. */
    static final String[] CT_ROOTS = { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" };

    @Test
    void rootsMatchTheCertificateTransparencyVectors() throws Exception {
        MerkleTree.Builder b = new MerkleTree.Builder();
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(), b.root(), "the empty tree is HASH()");
        for (int i = 0; i < CT_LEAVES.length; i++) {
            b.add(HEX.parseHex(CT_LEAVES[i]));
            assertEquals(CT_ROOTS[i], HEX.formatHex(b.root()), "tree of " + (i + 1));
        }
    }

    @Test
    void everyPathOfEveryTreeUpTo70LeavesIsTheRfcPathAndVerifies() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (int n = 1; n <= 70; n++) {
            List<byte[]> tree = leaves.subList(0, n);
            MerkleTree.Builder b = new MerkleTree.Builder();
            tree.forEach(b::add);
            byte[] root = mth(tree);
            assertArrayEquals(root, b.root(), "root of " + n);
            for (int m = 0; m < n; m++) {
                MerkleTree.PathBuilder p = new MerkleTree.PathBuilder(m, n);
                tree.forEach(p::add);
                List<byte[]> path = p.path();
                assertEquals(hexes(rfcPath(m, tree)), hexes(path), "path of " + m + " in " + n);
                assertTrue(MerkleTree.verifyInclusion(tree.get(m), m, n, path, root), m + " in " + n);
                // a proof proves that leaf at that place in that tree, nothing else
                assertFalse(MerkleTree.verifyInclusion(leaves.get((m + 1) % 70), m, n, path, root));
                if (n > 1) {
                    assertFalse(MerkleTree.verifyInclusion(tree.get(m), (m + 1) % n, n, path, root));
                    assertFalse(MerkleTree.verifyInclusion(tree.get(m), m, n, path.subList(1, path.size()), root));
                }
            }
        }
    }

    @Test
    void aTreeResumedFromItsFrontierGoesOnAsIfNeverStopped() {
        MerkleTree.Builder whole = new MerkleTree.Builder();
        for (int stop = 0; stop < 40; stop++) {
            MerkleTree.Builder resumed = MerkleTree.Builder.resume(whole.size(), whole.frontier());
            for (int i = stop; i < 40; i++) {
                resumed.add(new byte[] { (byte) i });
            }
            MerkleTree.Builder straight = new MerkleTree.Builder();
            for (int i = 0; i < 40; i++) {
                straight.add(new byte[] { (byte) i });
            }
            assertArrayEquals(straight.root(), resumed.root(), "resumed at " + stop);
            whole.add(new byte[] { (byte) stop });
        }
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.Builder.resume(5, List.of(new byte[32])));
    }

    // ---- RFC 9162 §2.1.1 and §2.1.3.1, written as the RFC states them --------------------------------

    static byte[] mth(List<byte[]> d) {
        if (d.size() == 1) {
            return MerkleTree.leafHash(d.get(0));
        }
        int k = Integer.highestOneBit(d.size() - 1);
        return MerkleTree.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    static List<byte[]> rfcPath(int m, List<byte[]> d) {
        List<byte[]> path = new ArrayList<>();
        if (d.size() == 1) {
            return path;
        }
        int k = Integer.highestOneBit(d.size() - 1);
        if (m < k) {
            path.addAll(rfcPath(m, d.subList(0, k)));
            path.add(mth(d.subList(k, d.size())));
        } else {
            path.addAll(rfcPath(m - k, d.subList(k, d.size())));
            path.add(mth(d.subList(0, k)));
        }
        return path;
    }

    static List<String> hexes(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
