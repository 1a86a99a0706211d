package io.valv.portal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.valv.web.ProblemException;

/**
 * Reading the fields of a page's form or query the one way every page does: text stripped (absent is empty), and
 * an empty optional field is "not given". A value that does not read is a 400 {@code validation} problem whose
 * detail the page supplies in its reader's words.
 */
public final class FormValues {

    private FormValues() {
    }

    /** The field stripped of surrounding blanks; an absent field is empty. */
    public static String trimmed(String value) {
        return value == null ? "" : value.strip();
    }

    /** A page number from 0 to {@code max}; empty is the first page. */
    public static int pageNumber(String value, int max, String refusal) {
        String v = trimmed(value);
        if (v.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(refusal);
    }

    /** An id, or null when the field is empty. */
    public static UUID optionalId(String value, String refusal) {
        String v = trimmed(value);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            throw invalid(refusal);
        }
    }

    /**
     * A time as a browser's {@code datetime-local} input sends it ({@code 2026-05-01T09:30}), read as UTC, or an
     * ISO instant with its offset; null when the field is empty.
     */
    public static Instant optionalTime(String value, String refusal) {
        String v = trimmed(value);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$") ? Instant.parse(v)
                    : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw invalid(refusal);
        }
    }

    static ProblemException invalid(String detail) {
        return ProblemException.badRequest("validation", detail);
    }
}
