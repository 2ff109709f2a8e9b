package org.attentionanalytics.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.attentionanalytics.avro.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes output records to one Kafka topic: key = the record's pseudonym (UTF-8) as given by
 * {@code keyOf}, value encoded by the {@link OutputEncoder} of {@code --output-format} (Avro
 * single-object encoding by default; DESIGN.md section 2). A null value from
 * {@code valueOf} writes a tombstone. The Kafka record timestamp is the time of writing, not the
 * event time, so topic retention counts from the write.
 *
 * <p>No record may exceed what Kafka accepts ({@link RecordSizeLimit}): a producer that meets one
 * fails the sink on every restart. A {@link DeadLetter} that would be too large is written
 * without its {@code raw_value}, its detail saying so (metric {@value #DEAD_LETTERS_CUT}); any
 * other record that would be too large is not written, counted ({@value #RECORDS_TOO_LARGE}) and
 * logged. The door's {@link DoorLimits} keep the job's own records far below the limit.
 *
 * @param <T> the stream element type
 */
public final class AvroRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(AvroRecordSerializer.class);

    /** Metric of the sink: dead letters written without their raw value because they were too large. */
    public static final String DEAD_LETTERS_CUT = "deadLettersCut";
    /** Metric of the sink: records not written because they were larger than Kafka accepts. */
    public static final String RECORDS_TOO_LARGE = "recordsTooLarge";

    private final String topic;
    private final SerializableFunction<T, String> keyOf;
    private final SerializableFunction<T, ? extends SpecificRecordBase> valueOf;
    private final Properties topicCheck;
    private final OutputEncoder encoder;
    private int maxRecordBytes;

    private transient Counter cut;
    private transient Counter tooLarge;

    /**
     * A serializer without a size limit (for tests and tools).
     *
     * @param topic the output topic
     * @param keyOf the record key (a pseudonym), or null for none
     * @param valueOf the Avro record to write, or null for a tombstone
     */
    public AvroRecordSerializer(
            String topic,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf) {
        this(topic, keyOf, valueOf, OutputEncoder.AVRO, Integer.MAX_VALUE, null);
    }

    /** A serializer of Avro single-object encoding within {@code maxRecordBytes} (for tests and tools). */
    public AvroRecordSerializer(
            String topic,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            int maxRecordBytes,
            Properties topicCheck) {
        this(topic, keyOf, valueOf, OutputEncoder.AVRO, maxRecordBytes, topicCheck);
    }

    /**
     * @param encoder the value encoding ({@code --output-format})
     * @param maxRecordBytes the producer's {@code max.request.size} ({@link RecordSizeLimit#producerLimit})
     * @param topicCheck client properties (with {@code bootstrap.servers}) to read the topic's {@code
     *     max.message.bytes} with when the sink opens, or null to trust the producer limit alone
     */
    public AvroRecordSerializer(
            String topic,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            OutputEncoder encoder,
            int maxRecordBytes,
            Properties topicCheck) {
        this.topic = topic;
        this.encoder = encoder;
        this.keyOf = keyOf;
        this.valueOf = valueOf;
        this.maxRecordBytes = maxRecordBytes;
        this.topicCheck = topicCheck;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        cut = context.getMetricGroup().counter(DEAD_LETTERS_CUT);
        tooLarge = context.getMetricGroup().counter(RECORDS_TOO_LARGE);
        if (topicCheck != null) {
            maxRecordBytes = RecordSizeLimit.checkTopic(topicCheck, topic, maxRecordBytes);
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String key = keyOf.apply(element);
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        SpecificRecordBase value = valueOf.apply(element);
        byte[] valueBytes = value == null ? null : encoder.encode(value);
        int room = RecordSizeLimit.valueRoom(maxRecordBytes, keyBytes);
        if (valueBytes != null && valueBytes.length > room) {
            if (value instanceof DeadLetter dl) {
                DeadLetter smaller = DeadLetters.withoutRawValue(dl, room);
                valueBytes = encoder.encode(smaller);
                if (valueBytes.length > room) { // a topic limit of a few KB: the detail must shrink too
                    int over = valueBytes.length - room;
                    String detail = smaller.getDetail();
                    // cutting k characters saves at least k bytes; the ellipsis takes 3
                    valueBytes = detail.length() > over + 4
                            ? encoder.encode(DeadLetter.newBuilder(smaller)
                                    .setDetail(detail.substring(0, detail.length() - over - 4) + "…")
                                    .build())
                            : valueBytes;
                }
                if (cut != null) {
                    cut.inc();
                }
            }
            if (valueBytes.length > room) {
                if (tooLarge != null) {
                    tooLarge.inc();
                }
                LOG.error(
                        "Not written to {}: a {} of {} bytes is above the {} bytes Kafka accepts (key {})",
                        topic,
                        value.getClass().getSimpleName(),
                        valueBytes.length,
                        room,
                        key);
                return null; // KafkaWriter skips a null record
            }
        }
        // No record timestamp: the producer stamps the write time. With event time (the element's
        // timestamp) a replay of last year's data would be rolled into segments that topic retention
        // deletes within minutes; retention counts from when a record was written (DESIGN.md 9).
        return new ProducerRecord<>(topic, null, null, keyBytes, valueBytes);
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
