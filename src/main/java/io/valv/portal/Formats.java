package io.valv.portal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** Display formats for the templates: times in UTC to the minute, sizes in binary units. */
@TemplateExtension
final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String[] UNITS = { "B", "KiB", "MiB", "GiB", "TiB" };

    private Formats() {
    }

    static String display(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    static String bytes(Long size) {
        if (size == null) {
            return "";
        }
        double value = size;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? size + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
