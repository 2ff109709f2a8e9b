package org.attentionanalytics.replay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Parses one timestamp column to an {@link Instant}. Formats: {@code ISO-8601}, {@code
 * epoch-seconds}, {@code epoch-millis} or a {@link DateTimeFormatter} pattern. Text with a zone or
 * offset keeps it; naive text is a local time in the given zone. Throws {@link
 * java.time.DateTimeException} or {@link NumberFormatException} for text that does not parse.
 */
final class TimeParser {
    static final String ISO = "ISO-8601";

    private final ZoneId zone;
    private final DateTimeFormatter formatter; // null for epoch formats
    private final long epochUnitMillis;

    private TimeParser(ZoneId zone, DateTimeFormatter formatter, long epochUnitMillis) {
        this.zone = zone;
        this.formatter = formatter;
        this.epochUnitMillis = epochUnitMillis;
    }

    /** @throws IllegalArgumentException for an invalid pattern */
    static TimeParser of(String format, ZoneId zone) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "iso-8601", "iso" -> new TimeParser(zone, DateTimeFormatter.ISO_DATE_TIME, 0);
            case "epoch-seconds" -> new TimeParser(zone, null, 1000);
            case "epoch-millis" -> new TimeParser(zone, null, 1);
            default -> new TimeParser(zone, DateTimeFormatter.ofPattern(format, Locale.ROOT), 0);
        };
    }

    Instant parse(String text) {
        String t = text.strip();
        if (formatter == null) {
            return Instant.ofEpochMilli(Math.multiplyExact(Long.parseLong(t), epochUnitMillis));
        }
        TemporalAccessor parsed = formatter.parseBest(t, ZonedDateTime::from, LocalDateTime::from);
        return parsed instanceof ZonedDateTime z
                ? z.toInstant()
                : ((LocalDateTime) parsed).atZone(zone).toInstant();
    }
}
