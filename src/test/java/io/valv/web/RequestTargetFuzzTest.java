package io.valv.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the request-target and Content-Length checks of {@link RequestGate}: they never throw. */
class RequestTargetFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void requestTarget(FuzzedDataProvider data) {
        String target = data.consumeRemainingAsString();
        String refusal = RequestGate.badTarget(target);
        if (refusal == null) {
            // what passes has no control character, raw or escaped, and no ';' in its path
            int query = target.indexOf('?');
            String path = query < 0 ? target : target.substring(0, query);
            assertTrue(path.indexOf(';') < 0, target);
            assertTrue(target.chars().noneMatch(c -> c < 0x20 || c == 0x7f), target);
            assertTrue(!target.toLowerCase().contains("%00"), target);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void contentLength(FuzzedDataProvider data) {
        long length = RequestGate.contentLength(data.consumeRemainingAsString());
        assertTrue(length >= -1);
    }
}
