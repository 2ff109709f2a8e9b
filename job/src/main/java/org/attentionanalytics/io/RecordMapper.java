package org.attentionanalytics.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * What one kind of input record brings to a {@link RecordDoor}: its input schema, how a JSON value
 * becomes one, the checks and mapping that make a decoded record an {@link AttentionEvent} (or a dead
 * letter, or a bot marker), and its copy without PII for the dead-letter topic. The door does the
 * rest: framing, limits, decoding, dead letters and the last-resort catch.
 *
 * @param <R> the generated class of the input schema
 */
public interface RecordMapper<R extends SpecificRecordBase> extends Serializable {
    /** @return the generated class values are read into */
    Class<R> type();

    /** Loads what the checks need on the task (bot rules, say); called once by {@link RecordDoor#open}. */
    default void open(DoorSettings settings) {}

    /**
     * A JSON value with the schema's field names as the record ({@code --input-format json}).
     *
     * @param n the parsed value, any JSON ({@link DoorJson#requireObject})
     * @param redact {@code --dlq.redact}: a message may name a field, never quote a value that could be personal
     * @throws DoorJson.MissingFieldException a required field is absent
     * @throws DoorJson.BadShapeException a field of the wrong shape
     */
    R fromJson(JsonNode n, boolean redact) throws DoorJson.MissingFieldException;

    /**
     * Checks a decoded record and maps it.
     *
     * @param in the record at the door: where it was read, and the checks and dead letters of every door
     * @return the event, a dead letter ({@link DoorRecord#dead}) or a bot marker; never null
     */
    SourceRecord map(R record, DoorRecord<R> in);

    /**
     * @param ids the pseudonymizer of the job's key, for ids that could embed a user id
     * @return what a dead letter keeps of a decodable record with {@code --dlq.redact}: the record
     *     without the PII fields of DESIGN.md section 3
     */
    SpecificRecordBase redacted(R record, Pseudonymizer ids);
}
