package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.io.JsonMapping.Field;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of {@code clickstream}: a {@link ClickEvent} becomes a CLICK event ({@link EventMapper}
 * has the checks and their dead-letter reasons). In JSON, an {@code event_type} the job does not
 * know reads as OTHER, as the Avro enum's default does. With a {@link JsonMapping} ({@code --json.*})
 * the fields are read from its paths; a required one (event id, user id, time) at a path that gives
 * nothing is {@code MISSING_FIELD} naming the path, no id is derived.
 */
final class ClickMapper extends EventMapper<ClickEvent> {
    private static final long serialVersionUID = 1L;

    /** The paths of {@code --json.*}, compiled on the task; null: the job's own field names. */
    private transient JsonMapping.Compiled json;

    ClickMapper() {
        super(ClickEvent.class, EventKind.CLICK, ClickEvent::getUserId, ClickEvent::getUserAgent);
    }

    @Override
    public void open(DoorSettings settings) {
        super.open(settings);
        json = settings.json().isNone() ? null : settings.json().compile();
    }

    @Override
    public ClickEvent fromJson(JsonNode n, boolean redact) throws DoorJson.MissingFieldException {
        if (json == null) {
            return super.fromJson(n, redact);
        }
        DoorJson.requireObject(n);
        String eventId = mapped(n, Field.EVENT_ID);
        String userId = mapped(n, Field.USER_ID);
        Instant time = DoorJson.instantOf(json.at(n, Field.EVENT_TIME), json.label(Field.EVENT_TIME));
        List<String> missing = new ArrayList<>();
        if (eventId == null) {
            missing.add(json.label(Field.EVENT_ID));
        }
        if (userId == null) {
            missing.add(json.label(Field.USER_ID));
        }
        if (time == null) {
            missing.add(json.label(Field.EVENT_TIME));
        }
        if (!missing.isEmpty()) {
            throw new DoorJson.MissingFieldException(
                    "nothing at " + String.join(", ", missing) + ": event_id, user_id and event_time are required");
        }
        JsonNode topics = json.at(n, Field.TOPICS);
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setEventTime(time)
                .setEventType(json.eventType(mapped(n, Field.EVENT_TYPE)))
                .setItemId(mapped(n, Field.ITEM_ID))
                .setTopics(
                        topics != null && (topics.isTextual() || topics.isNumber())
                                ? List.of(topics.asText()) // one category, as Segment's properties.category
                                : DoorJson.textListOf(topics, json.label(Field.TOPICS)))
                .setUrl(mapped(n, Field.URL))
                .setReferrer(mapped(n, Field.REFERRER))
                .setSearchQuery(mapped(n, Field.SEARCH_QUERY))
                .setDeviceId(mapped(n, Field.DEVICE_ID))
                .setUserAgent(mapped(n, Field.USER_AGENT))
                .setIp(mapped(n, Field.IP))
                .setTimeZone(mapped(n, Field.TIME_ZONE))
                .setViewId(mapped(n, Field.VIEW_ID))
                .setSessionId(mapped(n, Field.SESSION_ID))
                .build();
    }

    private String mapped(JsonNode n, Field f) {
        return DoorJson.textOf(json.at(n, f), json.label(f));
    }

    @Override
    String tooLarge(ClickEvent c, DoorLimits limits) {
        return DoorLimits.first(
                limits.id("event_id", c.getEventId()),
                limits.id("user_id", c.getUserId()),
                limits.id("item_id", c.getItemId()),
                limits.topics("topics", c.getTopics()),
                limits.string("url", c.getUrl()),
                limits.string("referrer", c.getReferrer()),
                limits.string("search_query", c.getSearchQuery()),
                limits.string("device_id", c.getDeviceId()),
                limits.string("user_agent", c.getUserAgent()),
                limits.string("ip", c.getIp()),
                limits.string("time_zone", c.getTimeZone()),
                limits.id("view_id", c.getViewId()),
                limits.id("session_id", c.getSessionId()));
    }

    @Override
    void copy(ClickEvent c, AttentionEvent.Builder e) {
        e.setEventId(c.getEventId())
                .setEventTime(c.getEventTime().toEpochMilli())
                .setEventType(c.getEventType())
                .setItemId(c.getItemId())
                .setTopics(c.getTopics())
                .setTimeZone(c.getTimeZone())
                .setViewId(idOrNull(c.getViewId()))
                .setSessionId(idOrNull(c.getSessionId()));
    }

    @Override
    ClickEvent fromJson(JsonNode n, String eventId, String userId, Instant time, List<String> topics) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setEventTime(time)
                .setEventType(eventType(text(n, "event_type")))
                .setItemId(text(n, "item_id"))
                .setTopics(topics)
                .setUrl(text(n, "url"))
                .setReferrer(text(n, "referrer"))
                .setSearchQuery(text(n, "search_query"))
                .setDeviceId(text(n, "device_id"))
                .setUserAgent(text(n, "user_agent"))
                .setIp(text(n, "ip"))
                .setTimeZone(text(n, "time_zone"))
                .setViewId(text(n, "view_id"))
                .setSessionId(text(n, "session_id"))
                .build();
    }

    /** Without the PII fields, query strings cut from url and referrer, event_id as its HMAC. */
    @Override
    public ClickEvent redacted(ClickEvent c, Pseudonymizer ids) {
        return ClickEvent.newBuilder(c)
                .setEventId(hashedId(ids, c.getEventId()))
                .setTimeZone(DeadLetters.safeOrNull(c.getTimeZone()))
                .setUserId("")
                .setIp(null)
                .setUserAgent(null)
                .setSearchQuery(null)
                .setDeviceId(null)
                .setUrl(cutQuery(c.getUrl()))
                .setReferrer(cutQuery(c.getReferrer()))
                .build();
    }

    /** @return {@code url} without its query string and fragment */
    static String cutQuery(String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        int h = url.indexOf('#');
        int cut = q < 0 ? h : h < 0 ? q : Math.min(q, h);
        return cut < 0 ? url : url.substring(0, cut);
    }

    private static EventType eventType(String s) {
        if (s == null) {
            return EventType.OTHER;
        }
        try {
            return EventType.valueOf(s);
        } catch (IllegalArgumentException e) {
            return EventType.OTHER; // forward compatibility, as the Avro enum default
        }
    }
}
