package org.attentionanalytics.io;

import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.attentionanalytics.avro.internal.SourceRecord;

/**
 * Kafka deserializer of the event and control sources: wraps a {@link DoorDecoder} ({@link
 * Doors}) so that decoding happens in
 * the source reader (watermarks then see only valid event times) and never throws, whatever the
 * bytes: every record becomes exactly one {@link SourceRecord}.
 */
public final class EventDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;

    private final DoorDecoder decoder;

    /** @param decoder configured decoder; opened by {@link #open} on the task */
    public EventDeserializer(DoorDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder.open();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) throws IOException {
        out.collect(decoder.decode(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return new AvroTypeInfo<>(SourceRecord.class);
    }
}
