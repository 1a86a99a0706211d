package io.valv.material;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One RFC 9110 byte range resolved against a representation length. Multiple ranges and malformed
 * headers are ignored (the full body is served), as RFC 9110 §14.2 permits.
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("(?i)bytes=(\\d{0,19})-(\\d{0,19})");
    /** A single range needs at most 46 characters; a longer header is ignored unread (RFC 9110 §14.2 allows it). */
    static final int MAX_HEADER = 128;

    long length() {
        return last - first + 1;
    }

    /** Empty: serve the whole body. Throws {@link Unsatisfiable} for a well-formed range outside it. */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null || header.length() > MAX_HEADER) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.replace(" ", ""));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                return Optional.empty(); // invalid, not unsatisfiable: RFC 9110 says ignore
            }
            if (first >= size) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static final class Unsatisfiable extends RuntimeException {

        Unsatisfiable() {
            super("range not satisfiable", null, false, false);
        }
    }
}
