package org.attentionanalytics.testutil;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.io.AvroRecordSerializer;

/**
 * One input record as a Kafka fetch hands it to the door: key and value bytes (either may be
 * null), the partition ({@link #ANY_PARTITION}: chosen from the key as Kafka's default partitioner
 * does) and the record's CreateTime timestamp (null: the time it is added, as a producer stamps it).
 */
public record RawRecord(int partition, byte[] key, byte[] value, Long timestamp) {
    /** Partition chosen by {@link InputTopics} from the key (murmur2, as Kafka's producer). */
    public static final int ANY_PARTITION = -1;

    /** Key: the raw user id as producers send it (UTF-8); value: Avro single-object encoding. */
    public static RawRecord of(String key, SpecificRecordBase value) {
        return of(ANY_PARTITION, key, value);
    }

    /** As {@link #of(String, SpecificRecordBase)}, in an explicit partition. */
    public static RawRecord of(int partition, String key, SpecificRecordBase value) {
        return bytes(partition, key, AvroRecordSerializer.encode(value));
    }

    /** Any value bytes (bad ones too) under a UTF-8 key. */
    public static RawRecord bytes(int partition, String key, byte[] value) {
        return new RawRecord(partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, null);
    }

    /** The same record with a Kafka timestamp. */
    public RawRecord at(long kafkaTimestamp) {
        return new RawRecord(partition, key, value, kafkaTimestamp);
    }
}
