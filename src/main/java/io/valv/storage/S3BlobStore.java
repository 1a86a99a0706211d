package io.valv.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 through the AWS SDK v2: multipart uploads streamed part by part (a bounded number in flight,
 * aborted on any failure), ranged GETs for reads, multi-object delete for purges.
 */
final class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService partUploads;
    private final int partsInFlight;
    private final int segmentsPerPart;
    private final AtomicBoolean batchDeleteUnsupported = new AtomicBoolean();
    /** Single-key calls of a purge batch (DeleteObject where multi-object delete is refused, HEAD) at once. */
    private static final int KEY_CALLS_IN_FLIGHT = 8;

    S3BlobStore(S3Client s3, String bucket, ExecutorService partUploads, int partsInFlight, int segmentsPerPart) {
        this.segmentsPerPart = segmentsPerPart;
        this.s3 = s3;
        this.bucket = bucket;
        this.partUploads = partUploads;
        this.partsInFlight = partsInFlight;
    }

    @Override
    public int segmentsPerPart() {
        return segmentsPerPart;
    }

    @Override
    public BlobUpload startUpload(String key) throws IOException {
        try {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            return new MultipartUpload(key, uploadId);
        } catch (SdkException e) {
            throw new StorageException("could not start upload", e);
        }
    }

    @Override
    public String startResumable(String key) throws IOException {
        try {
            return s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw new StorageException("could not start upload", e);
        }
    }

    @Override
    public String uploadPart(String key, String uploadId, int partNumber, byte[] part, int length) throws IOException {
        try {
            return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                    .contentLength((long) length), partBody(part, length)).eTag();
        } catch (SdkException e) {
            throw new StorageException("could not upload part", e);
        }
    }

    @Override
    public void completeResumable(String key, String uploadId, List<String> etags) throws IOException {
        List<CompletedPart> parts = new ArrayList<>(etags.size());
        for (int i = 0; i < etags.size(); i++) {
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
        }
        try {
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            throw new StorageException("could not complete upload", e);
        }
    }

    @Override
    public BlobRange read(String key, long first, long last) throws IOException {
        try {
            var response = s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + first + "-" + last));
            return new BlobRange(response, objectLength(response.response().contentRange(),
                    response.response().contentLength()));
        } catch (NoSuchKeyException e) {
            throw new StorageException("object missing", e);
        } catch (SdkException e) {
            throw new StorageException("could not read object", e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new StorageException("could not check object", e);
        } catch (SdkException e) {
            throw new StorageException("could not check object", e);
        }
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        List<ObjectIdentifier> ids = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        for (int from = 0; from < ids.size(); from += 1000) {
            List<ObjectIdentifier> batch = ids.subList(from, Math.min(ids.size(), from + 1000));
            if (batchDeleteUnsupported.get()) {
                deleteOneByOne(batch);
                continue;
            }
            try {
                var response = s3
                        .deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    throw new StorageException("could not delete " + response.errors().size() + " objects", null);
                }
            } catch (S3Exception e) {
                if (e.statusCode() != 501) {
                    throw new StorageException("could not delete objects", e);
                }
                // Some S3-compatible stores (S3Proxy, older MinIO/Ceph) reject the checksum headers the SDK
                // puts on DeleteObjects; from then on this replica deletes object by object.
                Log.info("Object store does not accept multi-object delete; using single-object deletes");
                batchDeleteUnsupported.set(true);
                deleteOneByOne(batch);
            } catch (SdkException e) {
                throw new StorageException("could not delete objects", e);
            }
        }
    }

    private void deleteOneByOne(List<ObjectIdentifier> batch) throws IOException {
        eachKey(batch.stream().map(ObjectIdentifier::key).toList(), key -> {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
                return false;
            } catch (SdkException e) {
                throw new StorageException("could not delete object", e);
            }
        });
    }

    @Override
    public Set<String> present(Collection<String> keys) throws IOException {
        return eachKey(List.copyOf(keys), this::exists);
    }

    /** One store call about one key; true marks the key for the caller. */
    private interface KeyCall {
        boolean on(String key) throws IOException;
    }

    /**
     * Makes {@code call} for every key, {@link #KEY_CALLS_IN_FLIGHT} at a time (each request to the store is
     * a round trip that mostly waits), and returns the keys it marked. Every call has ended when this
     * returns or throws, so a failed batch leaves none running behind it.
     */
    private Set<String> eachKey(List<String> keys, KeyCall call) throws IOException {
        int lanes = Math.min(KEY_CALLS_IN_FLIGHT, keys.size());
        List<Future<Set<String>>> running = new ArrayList<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            int first = lane;
            running.add(partUploads.submit(() -> {
                Set<String> marked = new HashSet<>();
                for (int i = first; i < keys.size(); i += lanes) {
                    if (call.on(keys.get(i))) {
                        marked.add(keys.get(i));
                    }
                }
                return marked;
            }));
        }
        Set<String> marked = new HashSet<>();
        IOException failure = null;
        boolean interrupted = false;
        for (Future<Set<String>> lane : running) {
            while (true) {
                try {
                    marked.addAll(lane.get());
                    break;
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof IOException io ? io
                            : new StorageException("store call failed", e.getCause());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return marked;
    }

    @Override
    public void abandonUpload(String key, String uploadId) throws IOException {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new StorageException("could not abort upload", e);
            }
        } catch (SdkException e) {
            throw new StorageException("could not abort upload", e);
        }
    }

    /**
     * The part's ciphertext as a request body, read in place: {@code RequestBody.fromByteBuffer} would copy
     * each 8 MiB part into a fresh array, which on a small heap is a humongous allocation per part (measured:
     * it kept G1 in back-to-back concurrent cycles during a 1 GiB upload). The SDK retries by reading the same
     * array again: identical ciphertext, never re-encrypted.
     */
    private static RequestBody partBody(byte[] part, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
                "application/octet-stream");
    }

    /** "bytes a-b/total" → total; falls back to the body length when the store sent no range header. */
    static long objectLength(String contentRange, Long contentLength) {
        if (contentRange != null) {
            int slash = contentRange.lastIndexOf('/');
            if (slash > 0 && !contentRange.endsWith("*")) {
                return Long.parseLong(contentRange.substring(slash + 1).trim());
            }
        }
        return contentLength == null ? -1 : contentLength;
    }

    private final class MultipartUpload implements BlobUpload {

        private final String key;
        private final String uploadId;
        private final Semaphore slots = new Semaphore(partsInFlight);
        // arrays whose part is stored or failed for good: the encryptor fills them again (PartSink#emptyPart)
        private final BlockingQueue<byte[]> emptyParts = new LinkedBlockingQueue<>();
        private int partArrays;
        private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
        private volatile boolean aborted;

        MultipartUpload(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        @Override
        public String uploadId() {
            return uploadId;
        }

        @Override
        public void accept(byte[] part, int length) throws IOException {
            failFastIfAPartFailed();
            int partNumber = parts.size() + 1;
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted", e);
            }
            RequestBody body = partBody(part, length);
            parts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(partNumber).contentLength((long) length), body).eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
                } finally {
                    // the SDK is done with the array (retries included): only now may it be filled again
                    emptyParts.add(part);
                    slots.release();
                }
            }, partUploads));
        }

        /**
         * At most one array per part in flight plus the one being filled: {@link #accept} waits for a free slot
         * before it returns, so when all arrays are taken one is on its way back.
         */
        @Override
        public byte[] emptyPart(int capacity) throws IOException {
            byte[] part = emptyParts.poll();
            if (part == null && partArrays <= partsInFlight) {
                partArrays++;
                return new byte[capacity];
            }
            try {
                if (part == null) {
                    part = emptyParts.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted", e);
            }
            return part.length >= capacity ? part : new byte[capacity];
        }

        @Override
        public void complete() throws IOException {
            List<CompletedPart> done = new ArrayList<>(parts.size());
            try {
                for (CompletableFuture<CompletedPart> part : parts) {
                    done.add(part.join());
                }
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(done)));
            } catch (CompletionException | SdkException e) {
                throw new StorageException("could not complete upload", e instanceof CompletionException ? e.getCause() : e);
            }
        }

        @Override
        public boolean abort() {
            if (aborted) {
                return true;
            }
            aborted = true;
            // Wait for parts still in flight (at most partsInFlight): a part landing after the abort
            // would otherwise leave an orphan behind.
            for (CompletableFuture<CompletedPart> part : parts) {
                try {
                    part.join();
                } catch (RuntimeException ignored) {
                    // that part failed; the abort below discards whatever reached S3
                }
            }
            try {
                abandonUpload(key, uploadId);
                return true;
            } catch (IOException e) {
                aborted = false;
                Log.warnf("Could not abort multipart upload for object %s; the sweeper will retry", key);
                return false;
            }
        }

        private void failFastIfAPartFailed() throws StorageException {
            for (CompletableFuture<CompletedPart> part : parts) {
                if (part.isCompletedExceptionally()) {
                    try {
                        part.join();
                    } catch (CompletionException e) {
                        throw new StorageException("part upload failed", e.getCause());
                    }
                }
            }
        }
    }
}
