package io.valv.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The one-shot upload fills at most {@code partsInFlight + 1} arrays, again and again, and hands an array back
 * only once the store has read its part: a store that reads each part late (here, after a random pause) still
 * receives every part exactly as it was when it was handed over. Pure logic, so the store is an in-memory fake.
 */
class PartArrayReuseTest {

    private static final int PARTS_IN_FLIGHT = 2;
    private static final int PART_BYTES = 64 * 1024;
    private static final int PARTS = 40;

    private final Map<Integer, byte[]> stored = new ConcurrentHashMap<>();
    private volatile List<CompletedPart> completed = List.of();

    @Test
    void everyPartArrivesIntactFromAFewReusedArrays() throws Exception {
        ExecutorService partUploads = Executors.newFixedThreadPool(4);
        try {
            S3BlobStore store = new S3BlobStore(slowStore(), "valv", partUploads, PARTS_IN_FLIGHT, 1);
            BlobUpload upload = store.startUpload("material");
            Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
            byte[][] sent = new byte[PARTS][];
            for (int i = 0; i < PARTS; i++) {
                byte[] part = upload.emptyPart(PART_BYTES);
                arrays.add(part);
                int length = PART_BYTES - i; // the last part of a real upload is short, too
                Arrays.fill(part, 0, length, (byte) (i + 1));
                sent[i] = Arrays.copyOf(part, length);
                upload.accept(part, length);
            }
            upload.complete();

            assertTrue(arrays.size() <= PARTS_IN_FLIGHT + 1, arrays.size() + " arrays for " + PARTS + " parts");
            assertEquals(PARTS, completed.size());
            for (int i = 0; i < PARTS; i++) {
                assertEquals(i + 1, completed.get(i).partNumber());
                assertArrayEquals(sent[i], stored.get(i + 1), "part " + (i + 1) + " as the store read it");
            }
        } finally {
            partUploads.shutdownNow();
        }
    }

    /** Answers the three calls of a multipart upload; reads each part's body only after a pause of 0-5 ms. */
    private S3Client slowStore() {
        InvocationHandler handler = (proxy, method, args) -> {
            if (args != null && args[0] instanceof java.util.function.Consumer) {
                // the builder overloads build the request and call the overloads below
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "createMultipartUpload" -> CreateMultipartUploadResponse.builder().uploadId("u1").build();
                case "uploadPart" -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(6));
                    UploadPartRequest request = (UploadPartRequest) args[0];
                    try (var body = ((RequestBody) args[1]).contentStreamProvider().newStream()) {
                        stored.put(request.partNumber(), body.readAllBytes());
                    }
                    yield UploadPartResponse.builder().eTag("e" + request.partNumber()).build();
                }
                case "completeMultipartUpload" -> {
                    completed = ((CompleteMultipartUploadRequest) args[0]).multipartUpload().parts();
                    yield CompleteMultipartUploadResponse.builder().build();
                }
                case "close" -> null;
                default -> throw new UnsupportedOperationException(method.getName());
            };
        };
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] { S3Client.class },
                handler);
    }
}
