package org.attentionanalytics.io;

import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.attentionanalytics.avro.internal.SourceRecord;

/**
 * Kafka deserializer of the event and control sources: wraps a {@link DoorDecoder} ({@link
 * Doors}) so that decoding happens in
 * the source reader (watermarks then see only valid event times) and never throws, whatever the
 * bytes: every record becomes exactly one {@link SourceRecord}.
 *
 * <p>Counts per door, in the source operator's metrics (the Kafka connector's {@code deserializer}
 * group, so the web UI shows them per topic): {@value #EVENTS} (records the door took: events or
 * control records), {@value #DEAD_LETTERS} (records it refused) and {@value #BOTS}; and the
 * TaskManager's retried schema registry lookups ({@value RegistrySchemas#RETRIES_METRIC}).
 */
public final class EventDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;

    /** Counter of the records the door took. */
    public static final String EVENTS = "doorEvents";
    /** Counter of the records the door refused (dead letters). */
    public static final String DEAD_LETTERS = "doorDeadLetters";
    /** Counter of the records the door dropped as bots. */
    public static final String BOTS = "doorBots";

    private final DoorDecoder decoder;
    private transient Counter events;
    private transient Counter deadLetters;
    private transient Counter bots;

    /** @param decoder configured decoder; opened by {@link #open} on the task */
    public EventDeserializer(DoorDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder.open();
        MetricGroup metrics = context.getMetricGroup();
        events = metrics.counter(EVENTS);
        deadLetters = metrics.counter(DEAD_LETTERS);
        bots = metrics.counter(BOTS);
        metrics.gauge(RegistrySchemas.RETRIES_METRIC, RegistrySchemas.RETRIES::get);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) throws IOException {
        SourceRecord r = decoder.decode(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                System.currentTimeMillis());
        (r.getEvent() != null ? events : r.getDeadLetter() != null ? deadLetters : bots).inc();
        out.collect(r);
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return new AvroTypeInfo<>(SourceRecord.class);
    }
}
