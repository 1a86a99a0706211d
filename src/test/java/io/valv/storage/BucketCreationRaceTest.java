package io.valv.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.S3ProxyResource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replicas that start together with {@code create-bucket=true} all find the bucket missing and all try to
 * create it; the losers must start anyway. Runs against the suite's real S3Proxy (a Quarkus test only to
 * share that process with the other tests).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class BucketCreationRaceTest {

    @Test
    void replicasCreatingTheSameBucketAtOnceAllSucceed() throws Exception {
        S3Client client = S3ProxyResource.client();
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                String bucket = "race-" + round + "-" + System.nanoTime();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> starts = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    starts.add(replicas.submit(() -> {
                        go.await();
                        BlobStoreProducer.createBucketIfMissing(client, bucket);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> start : starts) {
                    assertDoesNotThrow(() -> start.get(30, TimeUnit.SECONDS));
                }
                assertDoesNotThrow(() -> client.headBucket(b -> b.bucket(bucket)), "the bucket exists");
            }
        } finally {
            replicas.shutdownNow();
        }
    }
}
