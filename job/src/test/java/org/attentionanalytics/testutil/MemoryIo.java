package org.attentionanalytics.testutil;

import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.util.function.SerializableFunction;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.job.JobIo;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaSources;

/**
 * The tests' in-memory {@link JobIo}: every source a {@link MemorySource} of the run's {@link
 * InputTopics} behind the job's own doors ({@link KafkaSources}), bounded with {@code --bounded}
 * and live otherwise; every sink a {@link CollectingSink} into the run's {@link OutputTopics};
 * {@code beforeKeyBy} as given (e.g. a spy).
 */
public final class MemoryIo implements JobIo {
    private final String run;
    private final UnaryOperator<DataStream<AttentionEvent>> beforeKeyBy;

    /** @param run the id of the registered {@link InputTopics} and {@link OutputTopics} */
    public MemoryIo(String run, UnaryOperator<DataStream<AttentionEvent>> beforeKeyBy) {
        this.run = run;
        this.beforeKeyBy = beforeKeyBy;
    }

    @Override
    public Source<SourceRecord, ?, ?> eventSource(JobOptions options, String topic, EventKind kind) {
        return new MemorySource<>(run, topic, KafkaSources.eventDeserializer(options, kind), !options.bounded);
    }

    @Override
    public Source<SourceRecord, ?, ?> snowplowSource(JobOptions options) {
        return new MemorySource<>(
                run, options.snowplowTopic, KafkaSources.snowplowDeserializer(options), !options.bounded);
    }

    @Override
    public Source<SourceRecord, ?, ?> controlSource(JobOptions options, String topic, EventKind kind) {
        return new MemorySource<>(run, topic, KafkaSources.controlDeserializer(options, kind), !options.bounded);
    }

    @Override
    public Source<CatalogUpdate, ?, ?> catalogSource(JobOptions options) {
        return new MemorySource<>(
                run, options.catalogTopic, KafkaSources.catalogDeserializer(options), !options.bounded);
    }

    @Override
    public <T> DataStreamSink<T> sink(
            DataStream<T> stream,
            JobOptions options,
            String topic,
            String name,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            Class<? extends SpecificRecordBase> valueType) {
        return stream.sinkTo(new CollectingSink<>(run, topic, keyOf, valueOf));
    }

    @Override
    public DataStream<AttentionEvent> beforeKeyBy(DataStream<AttentionEvent> events) {
        return beforeKeyBy.apply(events);
    }
}
