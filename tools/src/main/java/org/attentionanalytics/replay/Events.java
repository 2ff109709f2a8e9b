package org.attentionanalytics.replay;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;

/**
 * Builds the events of one dataset file. Event ids are {@code <file name>:<row>:<kind>}, where row
 * is the 1-based data row (header not counted) and kind names the event within its row ({@code
 * view}, {@code dwell}, {@code click:<item id>}, ...): a replay run twice gives the same ids, and
 * two identical rows stay two events.
 */
final class Events {
    private final String fileName;
    private final String timeZone;

    Events(String fileName, String timeZone) {
        this.fileName = fileName;
        this.timeZone = timeZone;
    }

    String eventId(long row, String kind) {
        return fileName + ":" + row + ":" + kind;
    }

    /** A ClickEvent with id kind = the type's name in lower case. */
    ReplayEvent click(long row, String userId, Instant time, EventType type, String itemId, List<String> topics) {
        return click(eventId(row, type.name().toLowerCase(Locale.ROOT)), userId, time, type, itemId, topics);
    }

    ReplayEvent click(String eventId, String userId, Instant time, EventType type, String itemId, List<String> topics) {
        return ReplayEvent.of(ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(requireUser(userId))
                .setEventTime(time)
                .setEventType(type)
                .setItemId(itemId)
                .setTopics(topics)
                .setTimeZone(timeZone)
                .build());
    }

    /** A DwellEvent with id kind {@code dwell}; {@code end} is the end of the interval. */
    ReplayEvent dwell(
            long row,
            String userId,
            Instant end,
            String itemId,
            long dwellMs,
            Integer scrollDepthPct,
            List<String> topics) {
        return ReplayEvent.of(DwellEvent.newBuilder()
                .setEventId(eventId(row, "dwell"))
                .setUserId(requireUser(userId))
                .setEventTime(end)
                .setItemId(itemId)
                .setDwellMs(dwellMs)
                .setScrollDepthPct(scrollDepthPct)
                .setTopics(topics)
                .setTimeZone(timeZone)
                .build());
    }

    private static String requireUser(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("empty user_id");
        }
        return userId;
    }

    /** Null for null or blank text, else the text stripped. */
    static String emptyToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /**
     * Seconds (possibly fractional, e.g. {@code 13} or {@code 1.5}) to whole milliseconds, rounded.
     *
     * @throws NumberFormatException when not a number
     */
    static long secondsToMillis(String seconds) {
        return Math.round(Double.parseDouble(seconds.strip()) * 1000);
    }
}
