package io.valv.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

class ByteRangePropertyTest {

    /** Sizes and offsets mixing small values (where the edges are) with values up to Long.MAX_VALUE. */
    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 64), Arbitraries.longs().between(1, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 80), Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    /** Ordered pairs 0 ≤ a ≤ b. */
    @Provide
    Arbitrary<long[]> orderedPairs() {
        return Combinators.combine(offsets(), offsets()).as((x, y) -> new long[] { Math.min(x, y), Math.max(x, y) });
    }

    /** Every syntactically valid single range (well-formed and first ≤ last where both are given). */
    @Provide
    Arbitrary<String> validRanges() {
        Arbitrary<String> closed = orderedPairs().map(p -> "bytes=" + p[0] + "-" + p[1]);
        Arbitrary<String> open = offsets().map(a -> "bytes=" + a + "-");
        Arbitrary<String> suffix = offsets().map(n -> "bytes=-" + n);
        return Arbitraries.oneOf(closed, open, suffix);
    }

    private static void assertWellFormed(ByteRange r, long size) {
        assertTrue(0 <= r.first(), "first >= 0: " + r);
        assertTrue(r.first() <= r.last(), "first <= last: " + r);
        assertTrue(r.last() < size, "last < size: " + r + " size " + size);
        assertEquals(r.last() - r.first() + 1, r.length());
        assertTrue(r.length() >= 1 && r.length() <= size);
    }

    @Property
    void closedRange(@ForAll("sizes") long size, @ForAll("orderedPairs") long[] pair) {
        long a = pair[0];
        long b = pair[1];
        String header = "bytes=" + a + "-" + b;
        if (a < size) {
            ByteRange r = ByteRange.parse(header, size).orElseThrow();
            assertEquals(a, r.first());
            assertEquals(Math.min(b, size - 1), r.last());
            assertWellFormed(r, size);
        } else {
            assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse(header, size));
        }
    }

    @Property
    void closedRangeWithinSmallObject(@ForAll @LongRange(min = 1, max = 40) long size,
            @ForAll @LongRange(min = 0, max = 50) long a, @ForAll @LongRange(min = 0, max = 50) long b) {
        Assume.that(a <= b);
        String header = "bytes=" + a + "-" + b;
        if (a < size) {
            ByteRange r = ByteRange.parse(header, size).orElseThrow();
            assertEquals(a, r.first());
            assertEquals(Math.min(b, size - 1), r.last());
            assertWellFormed(r, size);
        } else {
            assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse(header, size));
        }
    }

    @Property
    void openRange(@ForAll("sizes") long size, @ForAll("offsets") long a) {
        String header = "bytes=" + a + "-";
        if (a < size) {
            ByteRange r = ByteRange.parse(header, size).orElseThrow();
            assertEquals(a, r.first());
            assertEquals(size - 1, r.last());
            assertWellFormed(r, size);
        } else {
            assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse(header, size));
        }
    }

    @Property
    void suffixRange(@ForAll("sizes") long size, @ForAll("offsets") long n) {
        Assume.that(n >= 1);
        ByteRange r = ByteRange.parse("bytes=-" + n, size).orElseThrow();
        assertEquals(Math.max(0, size - n), r.first());
        assertEquals(size - 1, r.last());
        assertEquals(Math.min(n, size), r.length());
        assertWellFormed(r, size);
    }

    @Property
    void emptySuffixIsUnsatisfiable(@ForAll("sizes") long size) {
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=-0", size));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=-000", size));
    }

    @Property
    void everyValidRangeOfAnEmptyObjectIsUnsatisfiable(@ForAll("validRanges") String header) {
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse(header, 0));
    }

    /** Whatever the header, the outcome is empty, Unsatisfiable, or a range inside the object. */
    @Property
    void resultIsAlwaysInsideTheObject(@ForAll("sizes") long size, @ForAll("anyHeader") String header) {
        Optional<ByteRange> r;
        try {
            r = ByteRange.parse(header, size);
        } catch (ByteRange.Unsatisfiable e) {
            return;
        }
        r.ifPresent(range -> assertWellFormed(range, size));
    }

    @Property
    void reversedRangesAreIgnored(@ForAll("sizes") long size, @ForAll("orderedPairs") long[] pair) {
        Assume.that(pair[0] < pair[1]);
        assertEquals(Optional.empty(), ByteRange.parse("bytes=" + pair[1] + "-" + pair[0], size));
    }

    @Property
    void multipleRangesAreIgnored(@ForAll("sizes") long size, @ForAll("validRanges") String first,
            @ForAll("validRanges") String second) {
        String header = first + "," + second.substring("bytes=".length());
        assertEquals(Optional.empty(), ByteRange.parse(header, size));
    }

    @Property
    void overlongNumbersAreIgnoredNotThrown(@ForAll("sizes") long size,
            @ForAll @StringLength(min = 20, max = 60) @net.jqwik.api.constraints.NumericChars String digits) {
        assertEquals(Optional.empty(), ByteRange.parse("bytes=" + digits + "-", size));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=0-" + digits, size));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=-" + digits, size));
    }

    @Provide
    Arbitrary<String> anyHeader() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("bytes=-0123456789, */").ofMaxLength(30);
        Arbitrary<String> prefixed = noise.map(s -> "bytes=" + s);
        return Arbitraries.oneOf(noise, prefixed, validRanges(), Arbitraries.strings().ofMaxLength(40));
    }

    @Example
    void nullHeaderServesWholeBody() {
        assertEquals(Optional.empty(), ByteRange.parse(null, 10));
        assertEquals(Optional.empty(), ByteRange.parse(null, 0));
    }

    @Example
    void reversedRangeIsInvalidNotUnsatisfiable() {
        assertEquals(Optional.empty(), ByteRange.parse("bytes=5-2", 10));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=50-20", 10));
    }

    @Example
    void multipleRangesServeWholeBody() {
        assertEquals(Optional.empty(), ByteRange.parse("bytes=0-1,5-6", 10));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=0-1, 5-6", 10));
    }

    @Example
    void otherUnitsAreIgnored() {
        assertEquals(Optional.empty(), ByteRange.parse("items=0-1", 10));
        assertEquals(Optional.empty(), ByteRange.parse("Bytes=0-1x", 10));
    }

    @Example
    void garbageIsIgnored() {
        for (String header : new String[] { "", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-2-3",
                "bytes=--1", "bytes=+1-2", "bytes=0x1-2", "bytes=1.5-2", "🙂", "bytes=0-1\u0000" }) {
            assertEquals(Optional.empty(), ByteRange.parse(header, 10), header);
        }
    }

    @Example
    void absurdlyLongNumbersAreIgnored() {
        String twenty = "1".repeat(20);
        assertEquals(Optional.empty(), ByteRange.parse("bytes=" + twenty + "-", 10));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=0-" + twenty, 10));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=-" + twenty, 10));
        // 19 digits but beyond Long.MAX_VALUE: ignored as well, never a NumberFormatException
        assertEquals(Optional.empty(), ByteRange.parse("bytes=9999999999999999999-", 10));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=-9999999999999999999", 10));
    }

    @Example
    void largestLongsStillWork() {
        long max = Long.MAX_VALUE;
        assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=0-" + max, 10).orElseThrow());
        assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=-" + max, 10).orElseThrow());
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=" + max + "-", 10));
    }

    @Example
    void concreteExamples() {
        assertEquals(new ByteRange(0, 0), ByteRange.parse("bytes=0-0", 10).orElseThrow());
        assertEquals(new ByteRange(9, 9), ByteRange.parse("bytes=9-", 10).orElseThrow());
        assertEquals(new ByteRange(7, 9), ByteRange.parse("bytes=-3", 10).orElseThrow());
        assertEquals(new ByteRange(2, 5), ByteRange.parse("bytes = 2 - 5", 10).orElseThrow());
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=10-", 10));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=10-20", 10));
        assertEquals(10, new ByteRange(0, 9).length());
    }
}
