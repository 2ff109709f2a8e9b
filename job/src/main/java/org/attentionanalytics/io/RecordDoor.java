package org.attentionanalytics.io;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of one input topic (DESIGN.md section 3) for the record type a {@link RecordMapper}
 * describes: one Kafka record in, exactly one {@link SourceRecord} out (a clean event, a dead
 * letter or a bot marker), never an exception.
 *
 * <p>Before the mapper's own checks: {@code FIELD_TOO_LARGE} for a value above {@code
 * --limits.record-bytes}; {@code UNDECODABLE} for no value; then the {@link RecordReader} ({@code
 * UNDECODABLE}, {@code UNKNOWN_SCHEMA}, {@code MISSING_FIELD}). Anything no check foresaw is an
 * {@code UNDECODABLE} dead letter with the detail {@code unexpected <exception>}. Dead letters
 * before decoding are keyed by the pseudonym of the Kafka key (the raw user id); with {@code
 * --dlq.redact} an undecodable record keeps only hash and length, a decoded one the mapper's copy
 * without PII, encoded as it came.
 *
 * @param <R> the generated class of the input schema
 */
public final class RecordDoor<R extends SpecificRecordBase> implements DoorDecoder {
    private static final long serialVersionUID = 1L;

    /**
     * Earliest time a record may carry, ms since epoch: 1970-01-01T00:00:00Z. No tracker sends
     * earlier times, and times near the smallest long would make event-time arithmetic (watermarks,
     * day boundaries, trend hours) wrap around; earlier ones are {@code TOO_LATE} dead letters.
     */
    public static final long EARLIEST_TIME_MS = 0;

    /** Most distinct valid zone ids a door remembers. */
    private static final int ZONE_CACHE = 10_000;

    private final RecordMapper<R> mapper;
    private final DoorSettings settings;

    private transient Pseudonymizer pseudonymizer;
    private transient RecordReader<R> reader;
    private transient Set<String> validZones;

    public RecordDoor(RecordMapper<R> mapper, DoorSettings settings) {
        this.mapper = mapper;
        this.settings = settings;
    }

    /** Loads the pseudonym key and what the mapper needs. Call once before {@link #decode}. */
    @Override
    public void open() {
        pseudonymizer = new Pseudonymizer(Pseudonymizer.loadKey(settings.keyFile()));
        mapper.open(settings);
        validZones = new HashSet<>();
        reader = new RecordReader<>(
                mapper.type(),
                settings.writerSchemas(),
                RecordReader.Framing.of(settings.format()),
                settings.registry(),
                settings.limits().recordBytes(),
                settings.redact(),
                n -> mapper.fromJson(n, settings.redact()));
    }

    @Override
    public SourceRecord decode(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
        DoorRecord<R> in = new DoorRecord<>(this, topic, partition, offset, key, value, nowMs);
        try {
            return decode(in, value);
        } catch (RuntimeException | StackOverflowError e) {
            return in.unexpected(e); // not expected after the checks; a door must never stop the job
        }
    }

    private SourceRecord decode(DoorRecord<R> in, byte[] value) {
        String tooLarge = settings.limits().recordSize(value);
        if (tooLarge != null) {
            return in.dead(in.keyUser(), DeadLetterReason.FIELD_TOO_LARGE, tooLarge);
        }
        if (value == null) {
            return in.dead(in.keyUser(), DeadLetterReason.UNDECODABLE, "no value");
        }
        R record;
        try {
            record = reader.read(value);
        } catch (RecordReader.Rejected e) {
            return in.dead(in.keyUser(), e.reason(), e.detail());
        }
        in.decoded(record);
        return mapper.map(record, in);
    }

    DoorSettings settings() {
        return settings;
    }

    Pseudonymizer pseudonymizer() {
        return pseudonymizer;
    }

    /** @return whether {@code zone} was found to be an IANA id before */
    boolean knownZone(String zone) {
        return validZones.contains(zone);
    }

    void rememberZone(String zone) {
        if (validZones.size() < ZONE_CACHE) {
            validZones.add(zone);
        }
    }

    /**
     * @param record the decoded record, or null
     * @return what a dead letter keeps as {@code raw_value}: the value as read without {@code
     *     --dlq.redact}; with it, the mapper's copy of a decoded record without PII, else nothing
     */
    ByteBuffer kept(R record, byte[] value) {
        if (!settings.redact()) {
            return value == null ? null : ByteBuffer.wrap(value);
        }
        if (record == null) {
            return null;
        }
        try {
            return reader.encode(mapper.redacted(record, pseudonymizer), value);
        } catch (Exception e) {
            return null;
        }
    }
}
