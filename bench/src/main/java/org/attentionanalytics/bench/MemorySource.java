package org.attentionanalytics.bench;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A bounded source of one {@link MemoryTopics} topic: each partition is a split (partition {@code
 * p} goes to subtask {@code p % parallelism}, as Kafka assigns them), and each record goes through
 * the job's own {@link KafkaRecordDeserializationSchema} as a {@link ConsumerRecord} with freshly
 * copied key and value arrays, so decoding at the door costs what it costs behind Kafka, without
 * the network and the broker. Watermarks are generated per split, as the Kafka source does per
 * partition.
 *
 * <p>With a {@link RunControl} registered under {@code run} and {@code measured} set, the reader
 * reports its first and last record and, once out of records, waits for {@link
 * RunControl#release()} before it ends. No fault tolerance: a restored split starts again from
 * its beginning (the benchmark runs without restarts).
 */
public final class MemorySource<T>
        implements Source<T, MemorySource.Split, List<MemorySource.Split>>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final String topicsName;
    private final String topic;
    private final KafkaRecordDeserializationSchema<T> deserializer;
    private final String run;
    private final boolean measured;

    /**
     * @param topicsName the registered {@link MemoryTopics}
     * @param topic the topic to read
     * @param deserializer the job's deserializer of that topic
     * @param run the {@link RunControl} name
     * @param measured whether this source's records are the ones the run counts
     */
    public MemorySource(
            String topicsName,
            String topic,
            KafkaRecordDeserializationSchema<T> deserializer,
            String run,
            boolean measured) {
        this.topicsName = topicsName;
        this.topic = topic;
        this.deserializer = deserializer;
        this.run = run;
        this.measured = measured;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    @Override
    public SplitEnumerator<Split, List<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        List<Split> all = new ArrayList<>();
        int partitions = MemoryTopics.lookup(topicsName).partitions();
        for (int p = 0; p < partitions; p++) {
            all.add(new Split(p));
        }
        return new Enumerator(context, all);
    }

    @Override
    public SplitEnumerator<Split, List<Split>> restoreEnumerator(
            SplitEnumeratorContext<Split> context, List<Split> checkpoint) {
        return new Enumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<Split>> getEnumeratorCheckpointSerializer() {
        return new ListSerializer();
    }

    @Override
    public SourceReader<T, Split> createReader(SourceReaderContext context) {
        return new Reader(context);
    }

    /** One partition of the topic. */
    public static final class Split implements SourceSplit {
        final int partition;

        Split(int partition) {
            this.partition = partition;
        }

        @Override
        public String splitId() {
            return "p" + partition;
        }
    }

    private static final class Enumerator implements SplitEnumerator<Split, List<Split>> {
        private final SplitEnumeratorContext<Split> context;
        private final List<Split> unassigned;

        Enumerator(SplitEnumeratorContext<Split> context, List<Split> splits) {
            this.context = context;
            this.unassigned = new ArrayList<>(splits);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<Split> splits, int subtaskId) {
            unassigned.addAll(splits);
        }

        @Override
        public void addReader(int subtaskId) {
            int parallelism = context.currentParallelism();
            for (var it = unassigned.iterator(); it.hasNext(); ) {
                Split s = it.next();
                if (s.partition % parallelism == subtaskId) {
                    context.assignSplit(s, subtaskId);
                    it.remove();
                }
            }
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(unassigned);
        }

        @Override
        public void close() {}
    }

    private final class Reader implements SourceReader<T, Split>, Collector<T> {
        private final SourceReaderContext context;
        private final ArrayDeque<Split> splits = new ArrayDeque<>();
        private CompletableFuture<Void> available = new CompletableFuture<>();
        private boolean noMoreSplits;
        private RunControl control;
        private MemoryTopics.Partition current;
        private Split currentSplit;
        private SourceOutput<T> output;
        private int offset;
        private boolean started;
        /** Splits paused by watermark alignment; the reader reads its splits one after the other. */
        private final Set<String> paused = new HashSet<>();
        /** Completed when the current split is resumed. */
        private CompletableFuture<Void> resumed = CompletableFuture.completedFuture(null);

        Reader(SourceReaderContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            control = run == null ? null : RunControl.get(run);
            try {
                deserializer.open(new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return context.metricGroup();
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return context.getUserCodeClassLoader();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("could not open the deserializer of " + topic, e);
            }
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> readerOutput) throws IOException {
            if (current != null && paused.contains(currentSplit.splitId())) {
                resumed = new CompletableFuture<>();
                available = resumed;
                return InputStatus.NOTHING_AVAILABLE;
            }
            if (current == null) {
                currentSplit = splits.poll();
                if (currentSplit == null) {
                    if (!noMoreSplits) {
                        available = new CompletableFuture<>();
                        return InputStatus.NOTHING_AVAILABLE;
                    }
                    if (control == null || !measured || control.released().isDone()) {
                        return InputStatus.END_OF_INPUT;
                    }
                    available = control.released();
                    return InputStatus.NOTHING_AVAILABLE;
                }
                current = MemoryTopics.lookup(topicsName).topic(topic)[currentSplit.partition];
                output = readerOutput.createOutputForSplit(currentSplit.splitId());
                offset = 0;
            }
            if (offset < current.size()) {
                if (!started && measured && control != null) {
                    started = true;
                    control.firstRecord(System.nanoTime());
                }
                int at = offset++;
                deserializer.deserialize(
                        new ConsumerRecord<>(topic, currentSplit.partition, at, current.key(at), current.value(at)),
                        this);
            }
            if (offset >= current.size()) {
                if (measured && control != null) {
                    control.splitExhausted(System.nanoTime(), current.size());
                }
                // The split's output stays: its watermark generator still emits the split's last
                // watermark, and watermark alignment goes on seeing it, as for a Kafka partition
                // that has been read to its end (a released output would leave the aligned sources
                // waiting for a watermark that never comes).
                current = null;
            }
            return InputStatus.MORE_AVAILABLE;
        }

        @Override
        public void collect(T record) {
            output.collect(record);
        }

        @Override
        public void close() {}

        @Override
        public List<Split> snapshotState(long checkpointId) {
            List<Split> state = new ArrayList<>(splits);
            if (currentSplit != null && current != null) {
                state.add(currentSplit);
            }
            return state;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<Split> newSplits) {
            splits.addAll(newSplits);
            available.complete(null);
        }

        /**
         * Watermark alignment: a paused split is not read until it is resumed. Splits are read one
         * after the other, so a paused split holds back the reader's later ones too; in the benchmark
         * every reader has one split (as many partitions as subtasks).
         */
        @Override
        public void pauseOrResumeSplits(Collection<String> toPause, Collection<String> toResume) {
            paused.addAll(toPause);
            if (paused.removeAll(toResume)) {
                resumed.complete(null);
            }
        }

        @Override
        public void notifyNoMoreSplits() {
            noMoreSplits = true;
            available.complete(null);
        }
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split split) {
            return new byte[] {
                (byte) (split.partition >>> 24),
                (byte) (split.partition >>> 16),
                (byte) (split.partition >>> 8),
                (byte) split.partition
            };
        }

        @Override
        public Split deserialize(int version, byte[] b) {
            return new Split(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }
    }

    private static final class ListSerializer implements SimpleVersionedSerializer<List<Split>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<Split> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(4 + 4 * splits.size());
            out.writeInt(splits.size());
            for (Split s : splits) {
                out.writeInt(s.partition);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<Split> deserialize(int version, byte[] bytes) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int n = in.readInt();
            List<Split> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(new Split(in.readInt()));
            }
            return splits;
        }
    }
}
