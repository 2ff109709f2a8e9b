package org.attentionanalytics.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pre-generated Kafka-like topics held in memory, for the benchmark's {@link MemorySource}: per
 * topic and partition the record keys and values (already encoded bytes, as a Kafka fetch would
 * hand them to the deserializer), in append order.
 *
 * <p>Registered in a static registry by name, because the benchmark's MiniCluster runs in this
 * JVM and the sources must not serialize hundreds of megabytes into the job graph: a source names
 * its data set and looks it up on the task. This works only in-process (a MiniCluster), which is
 * what the benchmark runs.
 */
public final class MemoryTopics {
    private static final Map<String, MemoryTopics> REGISTRY = new ConcurrentHashMap<>();

    /** One partition: values packed into one array, keys likewise. */
    public static final class Partition {
        private byte[] values = new byte[1 << 16];
        private int[] valueEnds = new int[1024];
        private byte[] keys = new byte[1 << 12];
        private int[] keyEnds = new int[1024];
        private int count;
        private int valueBytes;
        private int keyBytes;

        /** Appends one record (key may be null: stored as empty). */
        public void append(byte[] key, byte[] value) {
            if (count == valueEnds.length) {
                valueEnds = Arrays.copyOf(valueEnds, count * 2);
                keyEnds = Arrays.copyOf(keyEnds, count * 2);
            }
            values = put(values, valueBytes, value);
            valueBytes += value.length;
            byte[] k = key == null ? new byte[0] : key;
            keys = put(keys, keyBytes, k);
            keyBytes += k.length;
            valueEnds[count] = valueBytes;
            keyEnds[count] = keyBytes;
            count++;
        }

        private static byte[] put(byte[] into, int at, byte[] bytes) {
            if (at + bytes.length > into.length) {
                long grown = Math.max((long) into.length * 3 / 2, (long) at + bytes.length);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException(
                            "a memory partition holds at most 2 GB: use more partitions or fewer events");
                }
                into = Arrays.copyOf(into, (int) grown);
            }
            System.arraycopy(bytes, 0, into, at, bytes.length);
            return into;
        }

        /** @return records in this partition */
        public int size() {
            return count;
        }

        /** @return a fresh copy of the value at {@code offset} (as a Kafka fetch allocates one per record) */
        public byte[] value(int offset) {
            int from = offset == 0 ? 0 : valueEnds[offset - 1];
            return Arrays.copyOfRange(values, from, valueEnds[offset]);
        }

        /** @return a fresh copy of the key at {@code offset} */
        public byte[] key(int offset) {
            int from = offset == 0 ? 0 : keyEnds[offset - 1];
            return Arrays.copyOfRange(keys, from, keyEnds[offset]);
        }

        /** @return bytes held (values and keys) */
        public long bytes() {
            return (long) valueBytes + keyBytes;
        }

        void trim() {
            values = Arrays.copyOf(values, valueBytes);
            keys = Arrays.copyOf(keys, keyBytes);
            valueEnds = Arrays.copyOf(valueEnds, count);
            keyEnds = Arrays.copyOf(keyEnds, count);
        }
    }

    private final Map<String, Partition[]> topics = new ConcurrentHashMap<>();
    private final int partitions;

    /** @param partitions partitions of every topic */
    public MemoryTopics(int partitions) {
        this.partitions = partitions;
    }

    /** @return the partitions of {@code topic}, created empty on first use */
    public Partition[] topic(String topic) {
        return topics.computeIfAbsent(topic, t -> {
            Partition[] p = new Partition[partitions];
            for (int i = 0; i < partitions; i++) {
                p[i] = new Partition();
            }
            return p;
        });
    }

    /** Appends to the partition Kafka's default partitioner picks for the key (murmur2 of the key bytes). */
    public void append(String topic, String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        topic(topic)[partitionOf(k, partitions)].append(k, value);
    }

    /** Kafka's default partitioner for keyed records: {@code toPositive(murmur2(key)) % partitions}. */
    public static int partitionOf(byte[] key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key))
                % partitions;
    }

    /** @return records in {@code topic} over all partitions */
    public long records(String topic) {
        long n = 0;
        for (Partition p : topic(topic)) {
            n += p.size();
        }
        return n;
    }

    /** @return bytes held over all topics */
    public long bytes() {
        long n = 0;
        for (Partition[] ps : topics.values()) {
            for (Partition p : ps) {
                n += p.bytes();
            }
        }
        return n;
    }

    /** @return partitions of every topic */
    public int partitions() {
        return partitions;
    }

    /** Shrinks the buffers to their contents. */
    public void trim() {
        topics.values().forEach(ps -> Arrays.stream(ps).forEach(Partition::trim));
    }

    /** Registers under {@code name} for {@link #lookup}. */
    public void register(String name) {
        REGISTRY.put(name, this);
    }

    /** Removes {@code name} from the registry. */
    public static void unregister(String name) {
        REGISTRY.remove(name);
    }

    /** @throws IllegalStateException when nothing is registered under {@code name} (not in this JVM) */
    public static MemoryTopics lookup(String name) {
        MemoryTopics t = REGISTRY.get(name);
        if (t == null) {
            throw new IllegalStateException("no in-memory topics '" + name
                    + "' in this JVM: the benchmark's sources work only on its own MiniCluster");
        }
        return t;
    }
}
