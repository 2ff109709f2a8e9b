package org.attentionanalytics.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes output records to one Kafka topic: key = the record's pseudonym (UTF-8) as given by
 * {@code keyOf}, value = Avro single-object encoding (DESIGN.md section 2). A null value from
 * {@code valueOf} writes a tombstone. The Kafka record timestamp is the time of writing, not the
 * event time, so topic retention counts from the write.
 *
 * @param <T> the stream element type
 */
public final class AvroRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SerializableFunction<T, String> keyOf;
  private final SerializableFunction<T, ? extends SpecificRecordBase> valueOf;

  /**
   * @param topic the output topic
   * @param keyOf the record key (a pseudonym), or null for none
   * @param valueOf the Avro record to write, or null for a tombstone
   */
  public AvroRecordSerializer(String topic, SerializableFunction<T, String> keyOf,
      SerializableFunction<T, ? extends SpecificRecordBase> valueOf) {
    this.topic = topic;
    this.keyOf = keyOf;
    this.valueOf = valueOf;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    String key = keyOf.apply(element);
    SpecificRecordBase value = valueOf.apply(element);
    // No record timestamp: the producer stamps the write time. With event time (the element's
    // timestamp) a replay of last year's data would be rolled into segments that topic retention
    // deletes within minutes; retention counts from when a record was written (DESIGN.md 9).
    return new ProducerRecord<>(topic, null, null,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value == null ? null : encode(value));
  }

  private static final ClassValue<BinaryMessageEncoder<SpecificRecordBase>> ENCODERS = new ClassValue<>() {
    @Override
    protected BinaryMessageEncoder<SpecificRecordBase> computeValue(Class<?> type) {
      SpecificData model = SpecificData.getForClass(type);
      return new BinaryMessageEncoder<>(model, model.getSchema(type));
    }
  };

  /** @return the Avro single-object encoding of {@code record} */
  public static byte[] encode(SpecificRecordBase record) {
    try {
      ByteBuffer buf = ENCODERS.get(record.getClass()).encode(record);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
