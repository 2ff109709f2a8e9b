package org.attentionanalytics.local;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;

/**
 * Follows the {@code interest-vectors} topic, or {@code interest-vectors-live} with {@code
 * --live.enabled} ({@link TopicFollower}), and keeps each user's latest
 * vector, so the local run can show the top topics of the most active users live. Undecodable
 * records and tombstones are skipped.
 */
final class InterestVectorWatcher implements AutoCloseable {
    private final Map<String, InterestVector> latest = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    /** @param registry the schema registry of {@code avro-registry} values, or null */
    InterestVectorWatcher(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            org.attentionanalytics.io.SchemaRegistrySettings registry) {
        follower = new TopicFollower(
                bootstrapServers,
                kafkaProperties,
                topic,
                RecordType.INTEREST_VECTOR,
                registry,
                "attention-vector-watcher",
                record -> latest.put(((InterestVector) record).getUser(), (InterestVector) record));
    }

    /**
     * One line per user for the {@code n} users with the most counted events, of those with at least
     * {@code minEvents}: pseudonym prefix and top topics; empty while nobody has that many.
     */
    List<String> mostActive(int n, int topics, long minEvents) {
        return lines(latest.values(), n, topics, minEvents);
    }

    static List<String> lines(java.util.Collection<InterestVector> vectors, int n, int topics, long minEvents) {
        return vectors.stream()
                .filter(v -> v.getEventsCounted() >= minEvents)
                .sorted(Comparator.comparingLong(InterestVector::getEventsCounted)
                        .reversed())
                .limit(n)
                .map(v -> String.format(
                        Locale.ROOT,
                        "  %s… (%d event%s): %s",
                        v.getUser().substring(0, 8),
                        v.getEventsCounted(),
                        v.getEventsCounted() == 1 ? "" : "s",
                        v.getTop().stream()
                                .limit(topics)
                                .map((TopicWeight t) ->
                                        String.format(Locale.ROOT, "%s %.2f", t.getTopic(), t.getWeight()))
                                .collect(Collectors.joining(", "))))
                .toList();
    }

    @Override
    public void close() {
        follower.close();
    }
}
