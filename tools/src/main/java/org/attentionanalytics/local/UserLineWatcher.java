package org.attentionanalytics.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.attentionanalytics.io.SchemaRegistrySettings;

/**
 * Follows an output topic of per-user records ({@link TopicFollower}) so the local run can print one
 * line per record as a consumer sees it (committed): alerts ({@link AlertWatcher}), focus-block
 * reports ({@link FocusBlockWatcher}). Users show by pseudonym prefix, the demo's personas also by
 * name ({@link AlertWatcher#who}); with names given (the demo), only the named users' records are
 * printed.
 *
 * @param <T> the record type of the topic
 */
final class UserLineWatcher<T> implements AutoCloseable {
    private final ConcurrentLinkedQueue<T> unseen = new ConcurrentLinkedQueue<>();
    private final Map<String, String> names;
    private final Function<T, String> user;
    private final BiFunction<T, Map<String, String>, String> line;
    private final TopicFollower follower;

    /**
     * @param names display names by pseudonym (e.g. of the demo personas); others show as a prefix
     * @param registry the schema registry of {@code avro-registry} values, or null
     * @param user the record's pseudonym
     * @param line the printed line of a record, given the names
     */
    UserLineWatcher(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            RecordType type,
            SchemaRegistrySettings registry,
            Map<String, String> names,
            Function<T, String> user,
            BiFunction<T, Map<String, String>, String> line) {
        this.names = Map.copyOf(names);
        this.user = user;
        this.line = line;
        follower = new TopicFollower(
                bootstrapServers, kafkaProperties, topic, type, registry, topic + "-watcher", record -> {
                    @SuppressWarnings("unchecked") // the follower decodes the topic's own type
                    T value = (T) record;
                    unseen.add(value);
                });
    }

    /** @return one line per record read since the previous call (only named users' when names were given), in the order read */
    List<String> newLines() {
        List<String> lines = new ArrayList<>();
        for (T r; (r = unseen.poll()) != null; ) {
            if (names.isEmpty() || names.containsKey(user.apply(r))) {
                lines.add(line.apply(r, names));
            }
        }
        return lines;
    }

    @Override
    public void close() {
        follower.close();
    }
}
