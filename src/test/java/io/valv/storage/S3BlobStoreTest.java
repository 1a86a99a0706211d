package io.valv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3BlobStoreTest {

    @ParameterizedTest(name = "''{0}'' with Content-Length {1} -> {2}")
    @CsvSource(nullValues = "NULL", value = {
            "bytes 0-9/100,         10,   100",
            "bytes */100,           NULL, 100",
            "bytes 0-9/*,           10,   10",
            "bytes 0-9/*,           NULL, -1",
            "NULL,                  42,   42",
            "NULL,                  NULL, -1",
            "bytes 90-99/100,       10,   100",
            "bytes 0-0/1,           1,    1",
            "bytes 0-4/9223372036854775807, 5, 9223372036854775807",
    })
    void objectLength(String contentRange, Long contentLength, long expected) {
        assertEquals(expected, S3BlobStore.objectLength(contentRange, contentLength));
    }

    @Test
    void totalLengthWinsOverThePartialContentLength() {
        // a ranged GET's Content-Length is the range's, never the object's
        assertEquals(1_000_000L, S3BlobStore.objectLength("bytes 0-1023/1000000", 1024L));
    }

    @Test
    void whitespaceAroundTheTotalIsTolerated() {
        assertEquals(100L, S3BlobStore.objectLength("bytes 0-9/ 100", 10L));
    }
}
