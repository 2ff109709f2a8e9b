package org.attentionanalytics.testutil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * One partition of an {@link InputTopics} topic read by {@link MemorySource}, from {@code offset}
 * on (a checkpoint keeps the next offset, as the Kafka source does).
 */
public record MemorySplit(String topic, int partition, long offset) implements SourceSplit {
    @Override
    public String splitId() {
        return topic + "-" + partition;
    }

    /** The reader's mutable state of a split: the next offset to read. */
    static final class Position {
        final MemorySplit split;
        long next;

        Position(MemorySplit split) {
            this.split = split;
            this.next = split.offset();
        }

        MemorySplit toSplit() {
            return new MemorySplit(split.topic(), split.partition(), next);
        }
    }

    /** Serializer of one split (checkpoints of the readers). */
    static final class Serializer implements SimpleVersionedSerializer<MemorySplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(MemorySplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public MemorySplit deserialize(int version, byte[] bytes) throws IOException {
            return read(new DataInputDeserializer(bytes));
        }

        static void write(MemorySplit s, DataOutputSerializer out) throws IOException {
            out.writeUTF(s.topic());
            out.writeInt(s.partition());
            out.writeLong(s.offset());
        }

        static MemorySplit read(DataInputDeserializer in) throws IOException {
            return new MemorySplit(in.readUTF(), in.readInt(), in.readLong());
        }
    }

    /** Serializer of the enumerator's unassigned splits. */
    static final class ListSerializer implements SimpleVersionedSerializer<List<MemorySplit>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<MemorySplit> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeInt(splits.size());
            for (MemorySplit s : splits) {
                Serializer.write(s, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<MemorySplit> deserialize(int version, byte[] bytes) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int n = in.readInt();
            List<MemorySplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(Serializer.read(in));
            }
            return splits;
        }
    }
}
