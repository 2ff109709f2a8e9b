package org.attentionanalytics.io;

import java.io.Serializable;
import org.attentionanalytics.avro.internal.SourceRecord;

/**
 * The door of one input topic (DESIGN.md sections 2-4): turns one Kafka record into exactly one
 * {@link SourceRecord} (a clean event, a dead letter, or a bot marker) and never throws. {@link
 * RecordDoor} is the one implementation, {@link Doors} makes it for each topic; {@link
 * EventDeserializer} runs it in the Kafka source reader.
 */
public interface DoorDecoder extends Serializable {
    /** Loads what decoding needs (pseudonym key, rules). Called once on the task before {@link #decode}. */
    void open();

    /**
     * Decodes and validates one record.
     *
     * @param key the Kafka key (raw user id, UTF-8), may be null
     * @param value the Kafka value, may be null
     * @param nowMs the processing clock, ms since epoch, UTC
     * @return never null
     */
    SourceRecord decode(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs);
}
