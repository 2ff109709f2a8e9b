package org.attentionanalytics.testutil;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.testutil.OutputTopics.Keyed;

/**
 * A sink for tests that keeps every record in {@link OutputTopics} of its run, serialized by the
 * job's own {@link AvroRecordSerializer} (key: the pseudonym in UTF-8; value: single-object
 * encoding or a tombstone), as the Kafka sink would write it; without the Kafka size limit.
 * Records are kept when written, not on a checkpoint's commit: use it without restarts.
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final String topic;
    private final AvroRecordSerializer<T> serializer;

    public CollectingSink(
            String run,
            String topic,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf) {
        this.run = run;
        this.topic = topic;
        this.serializer = new AvroRecordSerializer<>(topic, keyOf, valueOf);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        OutputTopics outputs = OutputTopics.lookup(run);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                ProducerRecord<byte[], byte[]> r = serializer.serialize(element, null, null);
                outputs.add(
                        topic,
                        new Keyed<>(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value()));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
