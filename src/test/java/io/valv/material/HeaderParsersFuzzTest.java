package io.valv.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.valv.web.ProblemException;

/**
 * Fuzzes the upload and download header parsers. Without JAZZER_FUZZ=1 each test replays its corpus
 * (src/test/resources/io/valv/material/HeaderParsersFuzzTestInputs/&lt;test&gt;/) and the crashes found so far;
 * with it, Jazzer explores for {@code maxDuration}. The only exception a parser may throw is a 400
 * ProblemException (a StackOverflowError, an IndexOutOfBounds or any other crash fails the test), and
 * whatever a parser accepts must satisfy the invariants its callers rely on.
 */
class HeaderParsersFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void contentDisposition(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        String name;
        try {
            name = UploadHeaders.filename(header);
        } catch (ProblemException e) {
            assertEquals(400, e.status());
            return;
        }
        assertFalse(name.isBlank());
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, "at most 255 bytes");
        assertFalse(name.contains("/") || name.contains("\\"), "a plain name");
        assertTrue(name.codePoints().noneMatch(Character::isISOControl), "no control characters");
        // what is stored can always be served back (ContentDispositions never fails on it)
        assertTrue(ContentDispositions.of("attachment", name).startsWith("attachment; filename=\""));
    }

    @FuzzTest(maxDuration = "10s")
    void contentDigest(FuzzedDataProvider data) {
        Optional<byte[]> digest;
        try {
            digest = UploadHeaders.sha256Digest(data.consumeRemainingAsString());
        } catch (ProblemException e) {
            assertEquals(400, e.status());
            return;
        }
        digest.ifPresent(d -> assertEquals(32, d.length));
    }

    @FuzzTest(maxDuration = "10s")
    void mediaType(FuzzedDataProvider data) {
        String type;
        try {
            type = UploadHeaders.mediaType(data.consumeRemainingAsString());
        } catch (ProblemException e) {
            assertEquals(400, e.status());
            return;
        }
        assertTrue(type.length() <= 129 && type.indexOf('/') > 0, type);
        assertTrue(type.chars().allMatch(c -> c > 0x20 && c < 0x7f), "ASCII without spaces or controls");
    }

    @FuzzTest(maxDuration = "10s")
    void personalData(FuzzedDataProvider data) {
        try {
            UploadHeaders.personalData(data.consumeRemainingAsString());
        } catch (ProblemException e) {
            assertEquals(400, e.status());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void range(FuzzedDataProvider data) {
        long size = data.consumeLong(0, Long.MAX_VALUE / 2);
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(data.consumeRemainingAsString(), size);
        } catch (ByteRange.Unsatisfiable e) {
            return;
        }
        range.ifPresent(r -> {
            assertTrue(0 <= r.first() && r.first() <= r.last() && r.last() < size, r + " within " + size);
            assertTrue(r.length() > 0);
        });
    }
}
