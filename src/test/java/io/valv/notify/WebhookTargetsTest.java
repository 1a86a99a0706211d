package io.valv.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.valv.web.ProblemException;

/** The production SSRF rules, without Quarkus: every forbidden destination class is refused. */
class WebhookTargetsTest {

    @Test
    void productionRefusesPlainHttpAndEveryNonPublicDestination() {
        for (String url : List.of("http://example.com/hook", "ftp://example.com/", "https://127.0.0.1/",
                "https://localhost/", "https://[::1]/", "https://10.1.2.3/", "https://172.16.0.1/", "https://192.168.1.1/",
                "https://169.254.169.254/latest/meta-data", "https://0.0.0.0/", "https://[fd00::1]/",
                "https://[fe80::1]/", "https://100.64.0.1/", "https://224.0.0.1/", "https://user:pw@example.com/",
                "https://example.com/#frag", "not a url", "/relative")) {
            ProblemException e = assertThrows(ProblemException.class, () -> WebhookTargets.check(url, false), url);
            assertEquals(400, e.status(), url);
        }
    }

    @Test
    void aPublicHttpsAddressIsAccepted() {
        // an IP literal: no DNS lookup needed on a machine without network
        assertEquals("93.184.215.14", WebhookTargets.check("https://93.184.215.14/hook", false).getHost());
    }

    @Test
    void testsAndDevModeMayUseALoopbackHttpReceiver() {
        assertEquals("127.0.0.1", WebhookTargets.check("http://127.0.0.1:8099/hook", true).getHost());
    }

    @Test
    void backOffDoublesAndIsCapped() {
        Duration base = Duration.ofMinutes(1);
        Duration max = Duration.ofHours(6);
        assertEquals(Duration.ofMinutes(1), WebhookWorker.backoff(1, base, max));
        assertEquals(Duration.ofMinutes(2), WebhookWorker.backoff(2, base, max));
        assertEquals(Duration.ofMinutes(8), WebhookWorker.backoff(4, base, max));
        assertEquals(max, WebhookWorker.backoff(20, base, max));
        assertEquals(max, WebhookWorker.backoff(200, base, max));
    }
}
