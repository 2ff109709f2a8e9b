package org.attentionanalytics.job;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.util.function.SerializableFunction;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;

/**
 * The sources and sinks of {@link AttentionJob#defineWorkflow}: every source and every sink of the
 * graph is made here, the operators between them are always the job's own. {@link #KAFKA} is the
 * job ({@link KafkaIo}); the benchmark ({@code org.attentionanalytics.bench}) reads pre-generated
 * bytes from memory through the same doors and discards the outputs (or probes them), and tests
 * insert failure injection or throttling at {@link #beforeKeyBy}, so both run the very same graph.
 *
 * <p>A source or sink added to the graph must go through this interface, or the benchmark would
 * try to reach Kafka; the benchmark checks the graph and refuses to run if one does not.
 */
public interface JobIo {
    /** The dead-letter sink's {@code name} in {@link #sink}. */
    String DLQ_SINK = "dlq";

    /** The job's I/O: Kafka sources ({@code read_committed}) and exactly-once Kafka sinks. */
    JobIo KAFKA = new KafkaIo();

    /**
     * The source of an input event topic ({@code clickstream}, {@code dwell-time}). Records must be
     * decoded at the door by {@link KafkaSources#eventDeserializer(JobOptions, EventKind)}.
     */
    Source<SourceRecord, ?, ?> eventSource(JobOptions options, String topic, EventKind kind);

    /**
     * The source of Snowplow enriched events ({@code --snowplow}, {@code --topic.snowplow}), decoded
     * at the door by {@link KafkaSources#snowplowDeserializer(JobOptions)}. The default refuses: an
     * I/O without it (the benchmark's) runs the job without {@code --snowplow} only.
     */
    default Source<SourceRecord, ?, ?> snowplowSource(JobOptions options) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no Snowplow source");
    }

    /**
     * The source of a control topic ({@code attention-budgets} with kind BUDGET, {@code
     * privacy-requests} with kind ERASURE). Records must be decoded at the door by {@link
     * KafkaSources#controlDeserializer(JobOptions, EventKind)}. Its records are not the events a
     * measurement counts: the benchmark reads these topics empty.
     */
    Source<SourceRecord, ?, ?> controlSource(JobOptions options, String topic, EventKind kind);

    /**
     * Whether the event sources of a run with {@code options} may be paused for watermark alignment
     * ({@code --max-watermark-drift}). Yes by default; {@link KafkaIo} says no for a bounded run.
     */
    default boolean alignsEventSources(JobOptions options) {
        return true;
    }

    /** The source of the content catalog ({@code --topic.catalog}), decoded by {@code CatalogDeserializer}. */
    Source<CatalogUpdate, ?, ?> catalogSource(JobOptions options);

    /**
     * Writes {@code stream} to the output topic {@code topic}; the caller sets uid and name on the
     * returned sink.
     *
     * @param name the sink's constant suffix of the transactional id (e.g. {@code sessions}; {@link #DLQ_SINK})
     * @param keyOf the Kafka key (pseudonym)
     * @param valueOf the Avro value
     * @param valueType the generated class of the values (its schema is registered for {@code avro-registry})
     */
    <T> DataStreamSink<T> sink(
            DataStream<T> stream,
            JobOptions options,
            String topic,
            String name,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            Class<? extends SpecificRecordBase> valueType);

    /**
     * Writes {@code stream} to a live output topic ({@code interest-vectors-live}, DESIGN.md section
     * 6): at least once, without transactions, so that consumers see each record as soon as it is
     * written; the caller sets uid and name. The default is {@link #sink} (an I/O that discards or
     * probes its outputs treats both alike).
     */
    default <T> DataStreamSink<T> liveSink(
            DataStream<T> stream,
            JobOptions options,
            String topic,
            SerializableFunction<T, String> keyOf,
            SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
            Class<? extends SpecificRecordBase> valueType) {
        return sink(stream, options, topic, topic, keyOf, valueOf, valueType);
    }

    /**
     * The clean events (catalog-joined, with the control records) right before {@code
     * keyBy(pseudonym)} and the per-user operator: the job passes them on as they are.
     */
    default DataStream<AttentionEvent> beforeKeyBy(DataStream<AttentionEvent> events) {
        return events;
    }
}
