package io.valv.storage;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "valv.storage")
public interface StorageConfig {

    /** Where ciphertext goes: {@code s3} (any S3-compatible store) or {@code local} (a folder; dev only). */
    @WithDefault("s3")
    Type type();

    /** Folder for the {@code local} store. Holds ciphertext only. */
    @WithDefault("target/valv-blobs")
    Path localDirectory();

    S3 s3();

    /**
     * Name, in the sub-processor register, of the provider that runs the object store. A DPA must permit
     * it before anything of that client can be uploaded.
     */
    @WithDefault("Object storage")
    String subProcessor();

    enum Type {
        S3,
        LOCAL
    }

    interface S3 {

        /** Bucket holding the ciphertext objects. */
        @WithDefault("valv")
        String bucket();

        /** Endpoint override for MinIO, Ceph, S3Proxy; empty means AWS. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Path-style addressing ({@code endpoint/bucket/key}); most non-AWS stores need it. */
        @WithDefault("false")
        boolean pathStyle();

        /** Static credentials; when absent the AWS default chain (env, web identity, instance role) is used. */
        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        /**
         * Whole 1 MiB segments per multipart part. 8 gives ~8 MiB parts (S3's minimum is 5 MiB) and bounds
         * memory per upload to about three parts.
         */
        @WithDefault("8")
        int segmentsPerPart();

        /** Part uploads of one material allowed in flight while the next part is encrypted. */
        @WithDefault("2")
        int partsInFlight();

        /** Create the bucket at start if it is missing (local stacks and tests; off in production). */
        @WithDefault("false")
        boolean createBucket();

        /** How long opening a connection to the store may take. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * How long the store may stay silent on an open connection: before its first byte and between two. A
         * stalled store then fails the call (a clean 503, the upload rolled back) instead of holding a worker.
         */
        @WithDefault("30s")
        Duration socketTimeout();

        /** How long a call may wait for a free connection of the pool (64 per replica). */
        @WithDefault("10s")
        Duration connectionAcquisitionTimeout();
    }
}
