package org.attentionanalytics.testutil;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;

/**
 * The input topics of one in-memory run ({@link MemorySource}), registered under a run id, since
 * the MiniCluster runs in the test's JVM: per topic a fixed number of partitions, each an
 * append-only list of {@link RawRecord}s whose index is the offset. Records may be added while a
 * live (unbounded) run reads them; {@link #endLive} lets its sources finish.
 */
public final class InputTopics implements AutoCloseable {
    private static final Map<String, InputTopics> RUNS = new ConcurrentHashMap<>();

    private final String run = UUID.randomUUID().toString();
    private final int partitions;
    private final Map<String, List<List<RawRecord>>> topics = new ConcurrentHashMap<>();
    private volatile boolean ended;

    private InputTopics(int partitions) {
        this.partitions = partitions;
    }

    /** New, registered topics of {@code partitions} partitions each (created on first use). */
    public static InputTopics create(int partitions) {
        InputTopics t = new InputTopics(partitions);
        RUNS.put(t.run, t);
        return t;
    }

    /** @throws IllegalStateException when no run of that id is registered */
    static InputTopics lookup(String run) {
        InputTopics t = RUNS.get(run);
        if (t == null) {
            throw new IllegalStateException("no input topics registered for run " + run);
        }
        return t;
    }

    public String run() {
        return run;
    }

    public int partitions() {
        return partitions;
    }

    /** Appends {@code records} to {@code topic} in order (each to its partition). */
    public InputTopics add(String topic, RawRecord... records) {
        for (RawRecord r : records) {
            int p = r.partition() != RawRecord.ANY_PARTITION
                    ? r.partition()
                    : r.key() == null ? 0 : Utils.toPositive(Utils.murmur2(r.key())) % partitions;
            if (p >= partitions) {
                throw new IllegalArgumentException("partition " + p + " of " + topic + ": it has " + partitions);
            }
            long ts = r.timestamp() != null ? r.timestamp() : System.currentTimeMillis();
            List<RawRecord> partition = partition(topic, p);
            synchronized (partition) {
                partition.add(new RawRecord(p, r.key(), r.value(), ts));
            }
        }
        return this;
    }

    /** The records of one partition so far, from {@code offset} on (a copy). */
    List<RawRecord> read(String topic, int partition, long offset) {
        List<RawRecord> records = partition(topic, partition);
        synchronized (records) {
            return offset >= records.size()
                    ? List.of()
                    : new ArrayList<>(records.subList((int) offset, records.size()));
        }
    }

    /** No more records come: a live source finishes each partition once it has read it to the end. */
    public void endLive() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    private List<RawRecord> partition(String topic, int p) {
        return topics.computeIfAbsent(topic, t -> {
                    List<List<RawRecord>> all = new ArrayList<>();
                    for (int i = 0; i < partitions; i++) {
                        all.add(new ArrayList<>());
                    }
                    return all;
                })
                .get(p);
    }

    /** Unregisters the run. */
    @Override
    public void close() {
        RUNS.remove(run);
    }
}
