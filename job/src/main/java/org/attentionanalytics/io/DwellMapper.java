package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of {@code dwell-time}: a {@link DwellEvent} becomes a DWELL event, or a HEARTBEAT event
 * for {@code kind} HEARTBEAT ({@link EventMapper} has the checks and their dead-letter reasons). A
 * DWELL without {@code dwell_ms} is {@code MISSING_FIELD}; a HEARTBEAT's {@code dwell_ms} is
 * ignored. In JSON, {@code dwell_ms} is a whole number, {@code scroll_depth_pct} an int, {@code
 * kind} {@code DWELL} (the default) or {@code HEARTBEAT}.
 */
final class DwellMapper extends EventMapper<DwellEvent> {
    private static final long serialVersionUID = 1L;

    DwellMapper() {
        super(DwellEvent.class, EventKind.DWELL, DwellEvent::getUserId, DwellEvent::getUserAgent);
    }

    @Override
    String tooLarge(DwellEvent d, DoorLimits limits) {
        return DoorLimits.first(
                limits.id("event_id", d.getEventId()),
                limits.id("user_id", d.getUserId()),
                limits.id("item_id", d.getItemId()),
                limits.topics("topics", d.getTopics()),
                limits.string("user_agent", d.getUserAgent()),
                limits.string("time_zone", d.getTimeZone()),
                limits.id("view_id", d.getViewId()),
                limits.id("session_id", d.getSessionId()));
    }

    @Override
    String missingField(DwellEvent d) {
        return d.getKind() != DwellKind.HEARTBEAT && d.getDwellMs() == null ? "dwell_ms is required for a DWELL" : null;
    }

    @Override
    void copy(DwellEvent d, AttentionEvent.Builder e) {
        boolean heartbeat = d.getKind() == DwellKind.HEARTBEAT;
        e.setKind(heartbeat ? EventKind.HEARTBEAT : EventKind.DWELL)
                .setEventId(d.getEventId())
                .setEventTime(d.getEventTime().toEpochMilli())
                .setEventType(EventType.OTHER)
                .setItemId(d.getItemId())
                .setTopics(d.getTopics())
                .setDwellMs(heartbeat || d.getDwellMs() == null ? 0L : d.getDwellMs())
                .setScrollDepthPct(d.getScrollDepthPct())
                .setVisible(d.getVisible())
                .setTimeZone(d.getTimeZone())
                .setViewId(idOrNull(d.getViewId()))
                .setSessionId(idOrNull(d.getSessionId()));
    }

    @Override
    DwellEvent fromJson(JsonNode n, String eventId, String userId, Instant time, List<String> topics)
            throws DoorJson.MissingFieldException {
        DwellKind kind = kind(text(n, "kind"));
        JsonNode dwell = n.get("dwell_ms");
        boolean absent = dwell == null || dwell.isNull();
        if (absent && kind == DwellKind.DWELL) {
            throw new DoorJson.MissingFieldException("dwell_ms is required for a DWELL");
        }
        if (!absent && (!dwell.isIntegralNumber() || !dwell.canConvertToLong())) {
            throw new DoorJson.BadShapeException("dwell_ms is not a whole number of milliseconds");
        }
        Long scroll = DoorJson.wholeNumber(n, "scroll_depth_pct");
        if (scroll != null && (scroll < Integer.MIN_VALUE || scroll > Integer.MAX_VALUE)) {
            throw new DoorJson.BadShapeException("scroll_depth_pct is not an int");
        }
        return DwellEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setEventTime(time)
                .setItemId(text(n, "item_id"))
                .setKind(kind)
                .setDwellMs(absent ? null : dwell.asLong())
                .setTopics(topics)
                .setScrollDepthPct(scroll == null ? null : scroll.intValue())
                .setVisible(DoorJson.bool(n, "visible"))
                .setTimeZone(text(n, "time_zone"))
                .setUserAgent(text(n, "user_agent"))
                .setViewId(text(n, "view_id"))
                .setSessionId(text(n, "session_id"))
                .build();
    }

    /** DWELL when absent; a kind the job does not know is refused (it says how to count the record). */
    private static DwellKind kind(String s) {
        if (s == null) {
            return DwellKind.DWELL;
        }
        try {
            return DwellKind.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new DoorJson.BadShapeException("kind is neither DWELL nor HEARTBEAT");
        }
    }

    /** Without user_id and user_agent, event_id as its HMAC. */
    @Override
    public DwellEvent redacted(DwellEvent d, Pseudonymizer ids) {
        return DwellEvent.newBuilder(d)
                .setEventId(hashedId(ids, d.getEventId()))
                .setTimeZone(DeadLetters.safeOrNull(d.getTimeZone()))
                .setUserId("")
                .setUserAgent(null)
                .build();
    }
}
