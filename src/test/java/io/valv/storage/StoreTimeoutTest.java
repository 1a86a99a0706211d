package io.valv.storage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A store that accepts the connection and then says nothing (a stalled S3 endpoint, a half-dead load balancer)
 * fails the call after {@code socket-timeout} instead of holding the caller's thread for ever.
 */
class StoreTimeoutTest {

    @Test
    void aSilentStoreFailsTheCallAfterTheSocketTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // read nothing, answer nothing
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            StorageConfig.S3 config = config(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    Duration.ofSeconds(1));
            try (S3Client s3 = BlobStoreProducer.s3Client(config)) {
                long start = System.nanoTime();
                assertThrows(SdkClientException.class, () -> s3.headObject(b -> b.bucket("valv").key("k")));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(took.compareTo(Duration.ofMillis(900)) > 0, "it waited for the store: " + took);
                assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "and gave up (retries included): " + took);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** The S3 settings as the defaults give them, with this endpoint and socket timeout. */
    private static StorageConfig.S3 config(URI endpoint, Duration socketTimeout) {
        return (StorageConfig.S3) Proxy.newProxyInstance(StorageConfig.S3.class.getClassLoader(),
                new Class<?>[] { StorageConfig.S3.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "bucket" -> "valv";
                    case "endpoint" -> Optional.of(endpoint);
                    case "region" -> "us-east-1";
                    case "pathStyle" -> true;
                    case "accessKeyId" -> Optional.of("test");
                    case "secretAccessKey" -> Optional.of("test-secret");
                    case "segmentsPerPart" -> 8;
                    case "partsInFlight" -> 2;
                    case "createBucket" -> false;
                    case "connectTimeout" -> Duration.ofSeconds(5);
                    case "socketTimeout" -> socketTimeout;
                    case "connectionAcquisitionTimeout" -> Duration.ofSeconds(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
