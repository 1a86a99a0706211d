package io.valv.certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The bytes a certificate's signature covers: the same document gives the same bytes, whatever built it. */
class CanonicalJsonTest {

    record Document(String zeta, long alpha, List<String> middle) {
    }

    @Test
    void keysAreSortedAtEveryLevelWithoutWhitespace() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", 2);
        inner.put("a", "x");
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("z", inner);
        outer.put("m", List.of(3, 1));
        outer.put("a", true);
        assertEquals("{\"a\":true,\"m\":[3,1],\"z\":{\"a\":\"x\",\"b\":2}}", text(outer));
    }

    @Test
    void recordPropertiesAreSortedTooSoFieldOrderInCodeDoesNotMatter() {
        assertEquals("{\"alpha\":7,\"middle\":[\"q\"],\"zeta\":\"z\"}", text(new Document("z", 7, List.of("q"))));
    }

    @Test
    void insertionOrderDoesNotChangeTheBytes() {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("x", 1);
        one.put("y", 2);
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("y", 2);
        other.put("x", 1);
        assertArrayEquals(CanonicalJson.encode(one), CanonicalJson.encode(other));
    }

    @Test
    void textIsUtf8AndEscapedAsJsonRequires() {
        byte[] bytes = CanonicalJson.encode(Map.of("name", "Åsa \"quoted\"\n"));
        assertEquals("{\"name\":\"Åsa \\\"quoted\\\"\\n\"}", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(0xC3, bytes[9] & 0xFF, "Å is encoded as UTF-8, not escaped");
    }

    private static String text(Object document) {
        return new String(CanonicalJson.encode(document), StandardCharsets.UTF_8);
    }
}
