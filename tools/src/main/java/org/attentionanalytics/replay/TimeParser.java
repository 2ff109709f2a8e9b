package org.attentionanalytics.replay;

import java.time.DateTimeException;
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
 * offset keeps it; naive text is a local time in the given zone. Text that does not parse is a
 * {@link RowSkipped} of reason {@link SkipReason#BAD_TIME} that quotes the text and the format.
 */
final class TimeParser {
    static final String ISO = "ISO-8601";

    private final String format;
    private final ZoneId zone;
    private final DateTimeFormatter formatter; // null for epoch formats
    private final long epochUnitMillis;

    private TimeParser(String format, ZoneId zone, DateTimeFormatter formatter, long epochUnitMillis) {
        this.format = format;
        this.zone = zone;
        this.formatter = formatter;
        this.epochUnitMillis = epochUnitMillis;
    }

    /** @throws IllegalArgumentException for an invalid pattern */
    static TimeParser of(String format, ZoneId zone) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "iso-8601", "iso" -> new TimeParser(format, zone, DateTimeFormatter.ISO_DATE_TIME, 0);
            case "epoch-seconds" -> new TimeParser(format, zone, null, 1000);
            case "epoch-millis" -> new TimeParser(format, zone, null, 1);
            default -> new TimeParser(format, zone, pattern(format), 0);
        };
    }

    /** @throws IllegalArgumentException naming {@code --time-format} and the pattern */
    private static DateTimeFormatter pattern(String format) {
        try {
            return DateTimeFormatter.ofPattern(format, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--time-format '" + format + "' is not a valid pattern: " + e.getMessage()
                            + " (quote literal letters, e.g. yyyy-MM-dd'T'HH:mm:ss; or ISO-8601, epoch-seconds, "
                            + "epoch-millis)",
                    e);
        }
    }

    /**
     * The instant of a timestamp.
     *
     * @throws RowSkipped ({@link SkipReason#BAD_TIME}) for null, blank or text not in the format
     */
    Instant parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RowSkipped(SkipReason.BAD_TIME, "no event time");
        }
        String t = text.strip();
        try {
            if (formatter == null) {
                return Instant.ofEpochMilli(Math.multiplyExact(Long.parseLong(t), epochUnitMillis));
            }
            TemporalAccessor parsed = formatter.parseBest(t, ZonedDateTime::from, LocalDateTime::from);
            Instant at = parsed instanceof ZonedDateTime z
                    ? z.toInstant()
                    : ((LocalDateTime) parsed).atZone(zone).toInstant();
            return inMillisRange(t, at);
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new RowSkipped(SkipReason.BAD_TIME, "time '" + t + "' is not " + format, e);
        }
    }

    /** The instant, or BAD_TIME when epoch milliseconds in a long (an event's time) cannot hold it. */
    private static Instant inMillisRange(String text, Instant at) {
        try {
            at.toEpochMilli();
            return at;
        } catch (ArithmeticException e) {
            throw new RowSkipped(SkipReason.BAD_TIME, "time '" + text + "' is beyond the range of event times", e);
        }
    }
}
