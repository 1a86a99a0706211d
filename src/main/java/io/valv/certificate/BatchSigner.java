package io.valv.certificate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Signs a purge batch's certificates on every core. A signature (ECDSA or RSA, the CMS structure around it) is
 * pure CPU over bytes already final and takes about half a millisecond: a batch signed on one thread is most of a
 * purge's time on this work, and nothing in it needs the transaction, so the batch is cut into one slice per core,
 * the calling thread signing the first. The signatures are the same as {@link CmsSigner#sign} one at a time.
 */
final class BatchSigner {

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Below this, handing work to another thread costs more than it saves. */
    private static final int MIN_SLICE = 8;
    private static final ExecutorService HELPERS = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), r -> {
        Thread t = new Thread(r, "valv-certificate-signer");
        t.setDaemon(true);
        return t;
    });

    private final CmsSigner signer;

    BatchSigner(CmsSigner signer) {
        this.signer = signer;
    }

    /** Each content's SignedData, in the order given. */
    List<byte[]> signAll(List<byte[]> contents) {
        int slices = Math.min(THREADS, Math.max(1, contents.size() / MIN_SLICE));
        byte[][] signed = new byte[contents.size()][];
        List<CompletableFuture<Void>> helpers = new ArrayList<>();
        for (int s = 1; s < slices; s++) {
            int slice = s;
            helpers.add(CompletableFuture.runAsync(() -> signSlice(contents, signed, slice, slices), HELPERS));
        }
        signSlice(contents, signed, 0, slices);
        // join() rethrows a helper's failure (wrapped): the batch, and its transaction, fail with it
        helpers.forEach(CompletableFuture::join);
        return List.of(signed);
    }

    private void signSlice(List<byte[]> contents, byte[][] signed, int slice, int slices) {
        for (int i = slice; i < contents.size(); i += slices) {
            signed[i] = signer.sign(contents.get(i));
        }
    }
}
