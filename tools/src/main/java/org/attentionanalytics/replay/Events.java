package org.attentionanalytics.replay;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
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

    /** {@code <file name>:<row>}: the base of a row's ids. */
    String rowId(long row) {
        return fileName + ":" + row;
    }

    /** {@code <file name>:<row>:<kind>}. */
    String eventId(long row, String kind) {
        return rowId(row) + ":" + kind;
    }

    /** A ClickEvent with id kind = the type's name in lower case. */
    ReplayEvent click(long row, String userId, Instant time, EventType type, String itemId, List<String> topics) {
        return click(eventId(row, type.name().toLowerCase(Locale.ROOT)), userId, time, type, itemId, topics);
    }

    ReplayEvent click(String eventId, String userId, Instant time, EventType type, String itemId, List<String> topics) {
        return click(eventId, userId, time, type, itemId, topics, Tracking.NONE);
    }

    /** A ClickEvent with the tracker's ids. */
    ReplayEvent click(
            String eventId,
            String userId,
            Instant time,
            EventType type,
            String itemId,
            List<String> topics,
            Tracking tracking) {
        return ReplayEvent.of(ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(requireUser(userId))
                .setEventTime(time)
                .setEventType(type)
                .setItemId(itemId)
                .setTopics(topics)
                .setTimeZone(timeZone)
                .setSessionId(tracking.sessionId())
                .setViewId(tracking.viewId())
                .setUserAgent(tracking.userAgent())
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
        return dwell(eventId(row, "dwell"), userId, end, itemId, dwellMs, scrollDepthPct, topics, Tracking.NONE);
    }

    /** A DwellEvent of kind DWELL with the tracker's ids; {@code end} is the end of the interval. */
    ReplayEvent dwell(
            String eventId,
            String userId,
            Instant end,
            String itemId,
            long dwellMs,
            Integer scrollDepthPct,
            List<String> topics,
            Tracking tracking) {
        return ReplayEvent.of(dwellBuilder(eventId, userId, end, itemId, topics, tracking)
                .setKind(DwellKind.DWELL)
                .setDwellMs(dwellMs)
                .setScrollDepthPct(scrollDepthPct)
                .build());
    }

    /** A DwellEvent of kind HEARTBEAT (a page ping at {@code time}, no dwell_ms). */
    ReplayEvent heartbeat(
            String eventId, String userId, Instant time, String itemId, List<String> topics, Tracking tracking) {
        return ReplayEvent.of(dwellBuilder(eventId, userId, time, itemId, topics, tracking)
                .setKind(DwellKind.HEARTBEAT)
                .setDwellMs(null)
                .build());
    }

    private DwellEvent.Builder dwellBuilder(
            String eventId, String userId, Instant time, String itemId, List<String> topics, Tracking tracking) {
        return DwellEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(requireUser(userId))
                .setEventTime(time)
                .setItemId(itemId)
                .setTopics(topics)
                .setTimeZone(timeZone)
                .setSessionId(tracking.sessionId())
                .setViewId(tracking.viewId())
                .setUserAgent(tracking.userAgent());
    }

    private static String requireUser(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new RowSkipped(SkipReason.NO_USER, "no user_id");
        }
        return userId;
    }

    /**
     * The tracker's ids of a row, copied into its events (null: absent).
     *
     * @param sessionId the tracker's session id
     * @param viewId the page view id
     * @param userAgent the browser's user agent
     */
    record Tracking(String sessionId, String viewId, String userAgent) {
        static final Tracking NONE = new Tracking(null, null, null);
    }

    /** Null for null or blank text, else the text stripped. */
    static String emptyToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /**
     * Seconds (possibly fractional, e.g. {@code 13} or {@code 1.5}) to whole milliseconds, rounded;
     * strict, see {@link CsvNumber}.
     *
     * @param field the field's name, for the message
     * @throws RowSkipped ({@link SkipReason#BAD_NUMBER}) when not a plain decimal number or out of range
     */
    static long secondsToMillis(String field, String seconds) {
        return CsvNumber.parse(field, seconds, 1000, true);
    }
}
