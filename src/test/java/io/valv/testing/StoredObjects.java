package io.valv.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import software.amazon.awssdk.services.s3.S3Client;

/** What the S3 store actually holds: objects and unfinished multipart uploads. */
public final class StoredObjects {

    private StoredObjects() {
    }

    public static List<String> keys() {
        try (S3Client s3 = S3ProxyResource.client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(S3ProxyResource.BUCKET)).contents().stream()
                    .map(o -> o.key())
                    // S3Proxy's filesystem backend lists its directories as "key/" entries, and keeps its
                    // multipart bookkeeping as ".mpus-*" files (a SIGKILLed S3Proxy leaves half-written
                    // ones that no S3 API can reach). Valv's own objects all live under "m/"; pending
                    // multipart uploads are checked through the API separately.
                    .filter(k -> k.startsWith("m/") && !k.endsWith("/")).toList();
        }
    }

    public static int pendingMultipartUploads() {
        try (S3Client s3 = S3ProxyResource.client()) {
            return s3.listMultipartUploads(b -> b.bucket(S3ProxyResource.BUCKET)).uploads().size();
        }
    }

    /**
     * Every stored object belongs to a material row in state stored; no multipart upload is pending.
     * Aborts finish asynchronously on the server side, so this polls for a few seconds.
     */
    public static void awaitNoOrphans() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<String> orphans;
        int pending;
        do {
            orphans = keys().stream().filter(k -> !Database.isStoredObject(k)).toList();
            pending = pendingMultipartUploads();
            if (orphans.isEmpty() && pending == 0) {
                return;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        assertEquals(List.of(), orphans, "objects without a stored material row");
        assertEquals(0, pending, "unfinished multipart uploads");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
