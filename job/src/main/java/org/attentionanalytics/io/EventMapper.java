package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.instant;
import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.util.function.SerializableFunction;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.BotRules;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The checks of the event doors ({@code clickstream}, {@code dwell-time}; DESIGN.md sections 3
 * and 4), in order: ids, topics and strings above the {@link DoorLimits} ({@code
 * FIELD_TOO_LARGE}); an empty {@code user_id} or {@code event_id} ({@code MISSING_FIELD}); bots
 * ({@link BotRules}: a bot marker, no dead letter); dwell below 0 ({@code NEGATIVE_DWELL}) or above
 * {@link #MAX_DWELL_MS} ({@code DWELL_TOO_LONG}); {@code event_time} ({@link DoorRecord#checkTime});
 * {@code time_zone} ({@link DoorRecord#checkZone}). The event carries the pseudonym of the user id
 * and none of the PII fields. {@link ClickMapper} and {@link DwellMapper} say what each record has.
 *
 * @param <R> ClickEvent or DwellEvent
 */
abstract class EventMapper<R extends SpecificRecordBase> implements RecordMapper<R> {
    private static final long serialVersionUID = 1L;

    /** Longest dwell accepted in one event (DESIGN.md section 3): 4 h. */
    public static final long MAX_DWELL_MS = 4 * 3_600_000L;

    private final Class<R> type;
    private final EventKind kind;
    private final SerializableFunction<R, String> userId;
    private final SerializableFunction<R, String> userAgent;
    private transient BotRules botRules;

    EventMapper(
            Class<R> type,
            EventKind kind,
            SerializableFunction<R, String> userId,
            SerializableFunction<R, String> userAgent) {
        this.type = type;
        this.kind = kind;
        this.userId = userId;
        this.userAgent = userAgent;
    }

    @Override
    public final Class<R> type() {
        return type;
    }

    @Override
    public void open(DoorSettings settings) {
        botRules = BotRules.load(settings.botRulesFile());
    }

    /** @return the detail of the first id, topic or string above its limit, or null */
    abstract String tooLarge(R record, DoorLimits limits);

    /** @return the detail of a required field the record lacks (beyond ids and time), or null */
    String missingField(R record) {
        return null;
    }

    /** Sets the event's fields from the record (none of them PII; not the user); may set the kind. */
    abstract void copy(R record, AttentionEvent.Builder e);

    /** The record of a JSON object whose event id, user id and time are there. */
    abstract R fromJson(JsonNode n, String eventId, String userId, Instant time, List<String> topics)
            throws DoorJson.MissingFieldException;

    @Override
    public R fromJson(JsonNode n, boolean redact) throws DoorJson.MissingFieldException {
        DoorJson.requireObject(n);
        String eventId = text(n, "event_id");
        String userId = text(n, "user_id");
        Instant time = instant(n, "event_time");
        if (eventId == null || userId == null || time == null) {
            throw new DoorJson.MissingFieldException("event_id, user_id and event_time are required");
        }
        return fromJson(n, eventId, userId, time, DoorJson.textList(n, "topics"));
    }

    @Override
    public final SourceRecord map(R record, DoorRecord<R> in) {
        String tooLarge = tooLarge(record, in.limits());
        AttentionEvent.Builder e = in.event(kind);
        copy(record, e);
        String userId = this.userId.apply(record);
        SourceRecord rejected = in.checkUser(userId, tooLarge);
        if (rejected != null) {
            return rejected;
        }
        String user = in.pseudonym(userId);
        if (e.getEventId() == null || e.getEventId().isEmpty()) {
            return in.dead(user, DeadLetterReason.MISSING_FIELD, "event_id is empty");
        }
        String missing = missingField(record);
        if (missing != null) {
            return in.dead(user, DeadLetterReason.MISSING_FIELD, missing);
        }
        if (botRules.isBot(userAgent.apply(record))) {
            return SourceRecord.newBuilder().setBot(true).build();
        }
        if (e.getDwellMs() < 0) {
            return in.dead(user, DeadLetterReason.NEGATIVE_DWELL, "dwell_ms " + e.getDwellMs() + " < 0");
        }
        if (e.getDwellMs() > MAX_DWELL_MS) {
            return in.dead(user, DeadLetterReason.DWELL_TOO_LONG, "dwell_ms " + e.getDwellMs() + " > 4 h");
        }
        rejected = in.checkTime(user, "event_time", Instant.ofEpochMilli(e.getEventTime()));
        if (rejected == null) {
            rejected = in.checkZone(user, e.getTimeZone());
        }
        if (rejected != null) {
            return rejected;
        }
        return in.accept(e.setUser(user)
                .setSessionId(e.getSessionId() == null ? null : in.pseudonym(e.getSessionId()))
                .build());
    }

    /** @return null for a null or blank id ({@code view_id}, {@code session_id}: an empty id names nothing), else the id */
    static String idOrNull(String id) {
        return id == null || id.isBlank() ? null : id;
    }

    /** @return the HMAC of an id under the pseudonym key, as a pseudonym is made; null for null */
    static String hashedId(Pseudonymizer ids, String id) {
        return id == null ? null : ids.pseudonym(id);
    }
}
