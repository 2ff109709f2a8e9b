package org.attentionanalytics.io;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;

/**
 * One Kafka record at a {@link RecordDoor}, as its {@link RecordMapper} sees it: where it was read,
 * the pseudonyms, the dead letters, and the checks several doors make, each returning its dead
 * letter or null when the record passes: the user id ({@code FIELD_TOO_LARGE}, {@code
 * MISSING_FIELD}), a time ({@code FUTURE_TIMESTAMP}, {@code TOO_LATE}) and a zone ({@code
 * INVALID_TIME_ZONE}). Details name fields and sizes, never a value that could be personal.
 *
 * @param <R> the generated class of the input schema
 */
public final class DoorRecord<R extends SpecificRecordBase> {
    private final RecordDoor<R> door;
    private final String topic;
    private final int partition;
    private final long offset;
    private final byte[] key;
    private final byte[] value;
    private final long nowMs;
    private R record;

    DoorRecord(RecordDoor<R> door, String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
        this.door = door;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
        this.nowMs = nowMs;
    }

    /** From here on, a dead letter keeps the mapper's copy of {@code decoded} without PII ({@code --dlq.redact}). */
    void decoded(R decoded) {
        this.record = decoded;
    }

    /** @return the door's {@code --limits.*} */
    public DoorLimits limits() {
        return door.settings().limits();
    }

    /** @return {@code --dlq.redact} */
    public boolean redact() {
        return door.settings().redact();
    }

    /** @return the pseudonym of {@code id}: the HMAC under the job's key (DESIGN.md section 9) */
    public String pseudonym(String id) {
        return door.pseudonymizer().pseudonym(id);
    }

    /** @return the pseudonym of the Kafka key (the raw user id), or null when there is none */
    public String keyUser() {
        return key == null || key.length == 0 ? null : pseudonym(new String(key, StandardCharsets.UTF_8));
    }

    /** @return a builder of an event of {@code kind}, with where it was read ({@code source_*}) set */
    public AttentionEvent.Builder event(EventKind kind) {
        return AttentionEvent.newBuilder()
                .setKind(kind)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset);
    }

    /** @return the clean event as the door's output */
    public SourceRecord accept(AttentionEvent e) {
        return SourceRecord.newBuilder().setEvent(e).build();
    }

    /**
     * @param user the pseudonym the dead letter is keyed by, or null
     * @return a dead letter of this record ({@link RecordDoor#kept} says what it keeps of the value)
     */
    public SourceRecord dead(String user, DeadLetterReason reason, String detail) {
        return DeadLetters.atDoor(
                topic, partition, offset, user, value, door.kept(record, value), reason, detail, nowMs);
    }

    /** The dead letter of a failure no check foresaw: as an undecodable record, keyed by the Kafka key. */
    SourceRecord unexpected(Throwable e) {
        record = null;
        return dead(
                keyUser(),
                DeadLetterReason.UNDECODABLE,
                "unexpected " + e.getClass().getSimpleName());
    }

    /**
     * @param userId the record's raw user id
     * @param tooLarge the detail of the first field above a limit, or null
     * @return {@code FIELD_TOO_LARGE} (keyed by the user id, else the Kafka key), {@code
     *     MISSING_FIELD} for an empty user id, or null
     */
    public SourceRecord checkUser(String userId, String tooLarge) {
        boolean noUser = userId == null || userId.isEmpty();
        if (tooLarge != null) {
            return dead(noUser ? keyUser() : pseudonym(userId), DeadLetterReason.FIELD_TOO_LARGE, tooLarge);
        }
        return noUser ? dead(keyUser(), DeadLetterReason.MISSING_FIELD, "user_id is empty") : null;
    }

    /**
     * @param field the name of the time in details, e.g. {@code event_time}
     * @param at the time, as the detail of {@code FUTURE_TIMESTAMP} shows it
     * @return {@code FUTURE_TIMESTAMP} more than {@code --max-future} ahead of the processing clock,
     *     {@code TOO_LATE} before {@link RecordDoor#EARLIEST_TIME_MS}, or null
     */
    public SourceRecord checkTime(String user, String field, Instant at) {
        EventTimeCheck refused =
                EventTimeCheck.refusal(field, at, nowMs, door.settings().maxFutureMs());
        return refused == null ? null : dead(user, refused.reason(), refused.detail());
    }

    /** @return {@code INVALID_TIME_ZONE} for a {@code time_zone} that is no IANA zone id ({@link TimeZones}), or null */
    public SourceRecord checkZone(String user, String zone) {
        if (zone == null || door.knownZone(zone)) {
            return null;
        }
        if (!TimeZones.isIana(zone)) {
            return dead(
                    user,
                    DeadLetterReason.INVALID_TIME_ZONE,
                    "time_zone " + DeadLetters.quoted(zone, redact()) + " is not an IANA zone id");
        }
        door.rememberZone(zone);
        return null;
    }
}
