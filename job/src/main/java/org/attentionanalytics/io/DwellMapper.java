package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of {@code dwell-time}: a {@link DwellEvent} becomes a DWELL event ({@link EventMapper}
 * has the checks and their dead-letter reasons). In JSON, {@code dwell_ms} is required and a whole
 * number; {@code scroll_depth_pct} an int.
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
                limits.string("time_zone", d.getTimeZone()));
    }

    @Override
    void copy(DwellEvent d, AttentionEvent.Builder e) {
        e.setEventId(d.getEventId())
                .setEventTime(d.getEventTime().toEpochMilli())
                .setEventType(EventType.OTHER)
                .setItemId(d.getItemId())
                .setTopics(d.getTopics())
                .setDwellMs(d.getDwellMs())
                .setScrollDepthPct(d.getScrollDepthPct())
                .setVisible(d.getVisible())
                .setTimeZone(d.getTimeZone());
    }

    @Override
    DwellEvent fromJson(JsonNode n, String eventId, String userId, Instant time, List<String> topics)
            throws DoorJson.MissingFieldException {
        JsonNode dwell = n.get("dwell_ms");
        if (dwell == null || dwell.isNull()) {
            throw new DoorJson.MissingFieldException("dwell_ms is required");
        }
        if (!dwell.isIntegralNumber() || !dwell.canConvertToLong()) {
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
                .setDwellMs(dwell.asLong())
                .setTopics(topics)
                .setScrollDepthPct(scroll == null ? null : scroll.intValue())
                .setVisible(DoorJson.bool(n, "visible"))
                .setTimeZone(text(n, "time_zone"))
                .setUserAgent(text(n, "user_agent"))
                .build();
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
