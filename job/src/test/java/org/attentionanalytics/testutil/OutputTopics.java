package org.attentionanalytics.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the {@link CollectingSink}s of one run wrote, registered under the run id (the MiniCluster
 * runs in the test's JVM): per topic every record in the order the sinks wrote it, key and value
 * bytes exactly as the job's Kafka serializer makes them, readable while a live run goes on.
 */
public final class OutputTopics implements AutoCloseable {
    private static final Map<String, OutputTopics> RUNS = new ConcurrentHashMap<>();

    /** A written record: the key (UTF-8, may be null) and the value (null for a tombstone). */
    public record Keyed<V>(String key, V value) {}

    private final String run;
    private final Map<String, List<Keyed<byte[]>>> topics = new ConcurrentHashMap<>();

    private OutputTopics(String run) {
        this.run = run;
    }

    /** New, registered, empty outputs of run {@code run}. */
    public static OutputTopics create(String run) {
        OutputTopics t = new OutputTopics(run);
        RUNS.put(run, t);
        return t;
    }

    /** @throws IllegalStateException when no run of that id is registered */
    static OutputTopics lookup(String run) {
        OutputTopics t = RUNS.get(run);
        if (t == null) {
            throw new IllegalStateException("no output topics registered for run " + run);
        }
        return t;
    }

    void add(String topic, Keyed<byte[]> record) {
        List<Keyed<byte[]>> records = topics.computeIfAbsent(topic, t -> new ArrayList<>());
        synchronized (records) {
            records.add(record);
        }
    }

    /** The topics written to so far. */
    public Set<String> topics() {
        return new TreeSet<>(topics.keySet());
    }

    /** The records of {@code topic} so far, as written (a copy; empty when none). */
    public List<Keyed<byte[]>> raw(String topic) {
        List<Keyed<byte[]>> records = topics.get(topic);
        if (records == null) {
            return List.of();
        }
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /** The records of {@code topic} so far, values decoded as {@code type} (single-object encoding; tombstones null). */
    public <V extends SpecificRecord> List<Keyed<V>> decoded(String topic, Class<V> type) {
        SpecificData model = SpecificData.getForClass(type);
        BinaryMessageDecoder<V> decoder = new BinaryMessageDecoder<>(model, model.getSchema(type));
        List<Keyed<V>> out = new ArrayList<>();
        for (Keyed<byte[]> r : raw(topic)) {
            try {
                out.add(new Keyed<>(r.key(), r.value() == null ? null : decoder.decode(r.value())));
            } catch (IOException e) {
                throw new UncheckedIOException("a record of " + topic + " is no " + type.getSimpleName(), e);
            }
        }
        return out;
    }

    /** The decoded values of {@code topic} so far, without keys and tombstones. */
    public <V extends SpecificRecord> List<V> values(String topic, Class<V> type) {
        return decoded(topic, type).stream()
                .map(Keyed::value)
                .filter(v -> v != null)
                .toList();
    }

    /** Unregisters the run. */
    @Override
    public void close() {
        RUNS.remove(run);
    }
}
