package io.valv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.valv.testing.Receiver;
import io.valv.testing.StandardWebhooksVerifier;

/**
 * Issue #15, "kill -9 of a replica mid-delivery loses nothing and sends no duplicate with a different id",
 * on the packaged jar: a replica is SIGKILLed while the receiver holds its first webhook request unanswered.
 * After a restart, the leased delivery falls due again and is sent with the same {@code webhook-id}; every
 * notice arrives, each under one id, in the order the uploads happened, signed so that the official Standard
 * Webhooks library verifies it, and every outbox row ends delivered.
 */
@ExtendWith(ClusterServices.class)
class WebhookCrashIT {

    static final int UPLOADS = 5;
    static final String PATH = "/valv-hook";
    private static Cluster cluster;
    private static ValvProcess replica;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        cluster = Cluster.create("webhook-crash");
        // loopback receivers only by this explicit setting; a 5 s timeout gives the lease 2 × 5 + 30 = 40 s
        replica = cluster.replica("hooks", Map.of("VALV_NOTIFY_ALLOW_INSECURE_TARGETS", "true", "VALV_NOTIFY_EVERY", "1s",
                "VALV_NOTIFY_TIMEOUT", "5s"));
        replica.start().awaitReady(Duration.ofSeconds(150));
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killNineMidDeliveryLosesNoNoticeAndResendsUnderTheSameId() throws Exception {
        Api api = new Api(replica);
        JsonNode endpoint = api.json("acme-admin", "POST", "/api/v1/clients/acme/webhooks",
                Api.map("url", receiver.url(PATH), "events", List.of("material.stored")), 201);
        String secret = endpoint.path("secret").asText();
        String job = Checks.newJob(api, "Killed while delivering");

        receiver.hold(PATH);
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            uploaded.add(
                    api.upload("acme-upload", job, "call-" + i + ".wav", ("recording " + i).getBytes()).path("id").asText());
        }
        List<Receiver.Request> first = receiver.await(PATH, 1, r -> true, Duration.ofSeconds(30));
        assertEquals(1, first.size(), "the first delivery reached the receiver");
        replica.kill9(); // while the receiver still holds that request: the replica never learns its answer
        receiver.release(PATH);
        assertEquals(UPLOADS, cluster.count("select count(*) from webhook_delivery where status = 'PENDING'"),
                "after the kill every notice is still owed");

        replica.start().awaitReady(Duration.ofSeconds(150));
        Poll.until("every notice delivered", Duration.ofSeconds(120), 200,
                () -> cluster.count("select count(*) from webhook_delivery where status = 'DELIVERED'") == UPLOADS,
                () -> receiver.to(PATH).size() + " requests received\n" + replica.logTail(20));

        List<Receiver.Request> got = receiver.to(PATH);
        Map<String, Integer> perId = new HashMap<>();
        LinkedHashSet<String> materialsInArrivalOrder = new LinkedHashSet<>();
        List<StandardWebhooksVerifier.Message> messages = new ArrayList<>();
        for (Receiver.Request r : got) {
            perId.merge(r.header("webhook-id"), 1, Integer::sum);
            materialsInArrivalOrder.add(Api.JSON.readTree(r.body()).path("data").path("materialId").asText());
            messages.add(new StandardWebhooksVerifier.Message(secret, Map.of("webhook-id", r.header("webhook-id"),
                    "webhook-timestamp", r.header("webhook-timestamp"), "webhook-signature", r.header("webhook-signature")),
                    r.body()));
        }
        System.out.printf("WebhookCrashIT: %d requests for %d notices after a SIGKILL mid-delivery%n", got.size(), UPLOADS);
        assertEquals(UPLOADS, perId.size(), "one webhook-id per notice: " + perId);
        assertEquals(2, (int) perId.get(first.get(0).header("webhook-id")), "the interrupted delivery is sent again, same id");
        assertEquals(UPLOADS + 1, got.size(), "nothing but the interrupted delivery is sent twice: " + perId);
        assertEquals(uploaded, List.copyOf(materialsInArrivalOrder), "notices arrive in the order they were written");
        assertTrue(StandardWebhooksVerifier.verify(messages).stream().allMatch("ok"::equals), "every request verifies");
        assertEquals(UPLOADS, cluster.count("select count(*) from webhook_attempt"), "one recorded attempt per delivery");
        Checks.assertChainIntact(api);
    }
}
