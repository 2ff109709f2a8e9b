package org.attentionanalytics.testutil;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A source of one {@link InputTopics} topic for tests, built like the Kafka source on Flink's
 * connector-base: one split per partition (partition {@code p} to subtask {@code p % parallelism}),
 * records decoded in the reader by the job's own {@link KafkaRecordDeserializationSchema} (the
 * door), the Kafka timestamp as the record's timestamp, watermarks per split, the next offset in
 * checkpoints. Bounded, or live: then it reads records added during the run until {@link
 * InputTopics#endLive}.
 */
public final class MemorySource<T> implements Source<T, MemorySplit, List<MemorySplit>>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final String topic;
    private final KafkaRecordDeserializationSchema<T> deserializer;
    private final boolean live;

    /**
     * @param run the {@link InputTopics#run()} to read
     * @param deserializer the job's deserializer (door) of {@code topic}
     * @param live whether to keep reading until {@link InputTopics#endLive} (else to the end of what is there)
     */
    public MemorySource(String run, String topic, KafkaRecordDeserializationSchema<T> deserializer, boolean live) {
        this.run = run;
        this.topic = topic;
        this.deserializer = deserializer;
        this.live = live;
    }

    @Override
    public Boundedness getBoundedness() {
        return live ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    @Override
    public SplitEnumerator<MemorySplit, List<MemorySplit>> createEnumerator(
            SplitEnumeratorContext<MemorySplit> context) {
        List<MemorySplit> all = new ArrayList<>();
        for (int p = 0; p < InputTopics.lookup(run).partitions(); p++) {
            all.add(new MemorySplit(topic, p, 0));
        }
        return new Enumerator(context, all);
    }

    @Override
    public SplitEnumerator<MemorySplit, List<MemorySplit>> restoreEnumerator(
            SplitEnumeratorContext<MemorySplit> context, List<MemorySplit> unassigned) {
        return new Enumerator(context, unassigned);
    }

    @Override
    public SimpleVersionedSerializer<MemorySplit> getSplitSerializer() {
        return new MemorySplit.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<List<MemorySplit>> getEnumeratorCheckpointSerializer() {
        return new MemorySplit.ListSerializer();
    }

    @Override
    public SourceReader<T, MemorySplit> createReader(SourceReaderContext context) throws Exception {
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return context.metricGroup().addGroup("deserializer");
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return context.getUserCodeClassLoader();
            }
        });
        return new Reader<>(run, live, deserializer, context);
    }

    /** The reader: connector-base's single fetcher thread over a {@link MemorySplitReader}. */
    private static final class Reader<T>
            extends SingleThreadMultiplexSourceReaderBase<
                    ConsumerRecord<byte[], byte[]>, T, MemorySplit, MemorySplit.Position> {
        Reader(
                String run,
                boolean live,
                KafkaRecordDeserializationSchema<T> deserializer,
                SourceReaderContext context) {
            super(() -> new MemorySplitReader(run, live), new Emitter<>(deserializer), new Configuration(), context);
        }

        @Override
        protected void onSplitFinished(Map<String, MemorySplit.Position> finished) {}

        @Override
        protected MemorySplit.Position initializedState(MemorySplit split) {
            return new MemorySplit.Position(split);
        }

        @Override
        protected MemorySplit toSplitType(String splitId, MemorySplit.Position state) {
            return state.toSplit();
        }
    }

    /** Decodes at the door and emits with the Kafka timestamp, as the Kafka source's emitter does. */
    private static final class Emitter<T>
            implements org.apache.flink.connector.base.source.reader.RecordEmitter<
                            ConsumerRecord<byte[], byte[]>, T, MemorySplit.Position>,
                    Collector<T> {
        private final KafkaRecordDeserializationSchema<T> deserializer;
        private SourceOutput<T> output;
        private long timestamp;

        Emitter(KafkaRecordDeserializationSchema<T> deserializer) {
            this.deserializer = deserializer;
        }

        @Override
        public void emitRecord(
                ConsumerRecord<byte[], byte[]> record, SourceOutput<T> out, MemorySplit.Position position)
                throws Exception {
            output = out;
            timestamp = record.timestamp();
            deserializer.deserialize(record, this);
            position.next = record.offset() + 1;
        }

        @Override
        public void collect(T element) {
            output.collect(element, timestamp);
        }

        @Override
        public void close() {}
    }

    /** Assigns partition {@code p} to reader {@code p % parallelism} when it registers; no splits come later. */
    private static final class Enumerator implements SplitEnumerator<MemorySplit, List<MemorySplit>> {
        private final SplitEnumeratorContext<MemorySplit> context;
        private final List<MemorySplit> unassigned;

        Enumerator(SplitEnumeratorContext<MemorySplit> context, List<MemorySplit> unassigned) {
            this.context = context;
            this.unassigned = new ArrayList<>(unassigned);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<MemorySplit> splits, int subtaskId) {
            unassigned.addAll(splits);
        }

        @Override
        public void addReader(int subtaskId) {
            int parallelism = context.currentParallelism();
            for (var it = unassigned.iterator(); it.hasNext(); ) {
                MemorySplit s = it.next();
                if (s.partition() % parallelism == subtaskId) {
                    context.assignSplit(s, subtaskId);
                    it.remove();
                }
            }
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public List<MemorySplit> snapshotState(long checkpointId) {
            return new ArrayList<>(unassigned);
        }

        @Override
        public void close() {}
    }
}
