package io.valv.storage;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Chooses the {@link BlobStore} from {@link StorageConfig}. */
@ApplicationScoped
class BlobStoreProducer {

    private final ExecutorService partUploads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "valv-s3-part-upload");
        thread.setDaemon(true);
        return thread;
    });
    private S3Client client;

    @Produces
    @Singleton
    BlobStore blobStore(StorageConfig config) throws IOException {
        if (config.type() == StorageConfig.Type.LOCAL) {
            Log.infof("Blob store: local ciphertext folder %s", config.localDirectory().toAbsolutePath());
            return new LocalBlobStore(config.localDirectory());
        }
        StorageConfig.S3 s3 = config.s3();
        client = s3Client(s3);
        if (s3.createBucket()) {
            createBucketIfMissing(client, s3.bucket());
        }
        return new S3BlobStore(client, s3.bucket(), partUploads, s3.partsInFlight(), s3.segmentsPerPart());
    }

    static S3Client s3Client(StorageConfig.S3 s3) {
        var builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                // Integrity is end to end already (AES-GCM per segment); the newer default CRC trailers
                // are not understood by every S3-compatible store.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // A part is a known-length array the SDK can read twice: signed (or not, over TLS) as one
                // payload instead of aws-chunked, which copies every 128 KiB chunk into a fresh array and signs
                // each one (measured: half of all bytes the JVM allocated during a 1 GiB upload).
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                // every call bounded: connecting, the store's silence before and between bytes, the pool
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64).connectionTimeout(s3.connectTimeout())
                        .socketTimeout(s3.socketTimeout())
                        .connectionAcquisitionTimeout(s3.connectionAcquisitionTimeout()));
        s3.endpoint().ifPresent(builder::endpointOverride);
        if (s3.accessKeyId().isPresent() && s3.secretAccessKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKeyId().get(), s3.secretAccessKey().get())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /** Package-private for BucketCreationRaceTest. */
    static void createBucketIfMissing(S3Client client, String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            try {
                client.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException raced) {
                // another replica starting at the same moment created it first: that is what we wanted
            }
        }
    }

    @PreDestroy
    void close() {
        partUploads.shutdownNow();
        if (client != null) {
            client.close();
        }
    }
}
