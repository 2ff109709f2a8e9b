package org.attentionanalytics.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendedItem;

/**
 * Follows the {@code recommendations} topic, or {@code recommendations-live} with live topics on
 * ({@link TopicFollower}), and keeps each user's latest
 * list, so the local run can show what the job proposes to the demo's personas (or to the users the
 * caller names) live. Tombstones and undecodable records are skipped (an erased user's last list stays shown).
 */
final class RecommendationWatcher implements AutoCloseable {
    private final Map<String, Recommendation> latest = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    /** @param registry the schema registry of {@code avro-registry} values, or null */
    RecommendationWatcher(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            org.attentionanalytics.io.SchemaRegistrySettings registry) {
        follower = new TopicFollower(
                bootstrapServers,
                kafkaProperties,
                topic,
                RecordType.RECOMMENDATION,
                registry,
                "attention-recs-watcher",
                record -> latest.put(((Recommendation) record).getUser(), (Recommendation) record));
    }

    /**
     * @param names display name by pseudonym, in the order to show
     * @param items most items shown per list
     * @return one line per named user with a list: name, the mode when not NORMAL, as_of and the
     *     first items with their scores ({@code *} marks a match of the user's interests, {@code ~} a popular fill)
     */
    List<String> lines(Map<String, String> names, int items) {
        List<String> out = new ArrayList<>();
        names.forEach((pseudonym, name) -> {
            Recommendation r = latest.get(pseudonym);
            if (r != null) {
                out.add(line(name, r, items));
            }
        });
        return out;
    }

    static String line(String name, Recommendation r, int items) {
        if (r.getMode() == RecommendationMode.QUIET) {
            return String.format(
                    Locale.ROOT, "  %s, QUIET (since %s): nothing until the next break", name, r.getAsOf());
        }
        String list = r.getItems().isEmpty()
                ? "(nothing yet)"
                : r.getItems().stream()
                        .limit(items)
                        .map(RecommendationWatcher::item)
                        .collect(Collectors.joining(", "));
        String mode = r.getMode() == RecommendationMode.FOCUSED ? ", FOCUSED on its top topics" : "";
        return String.format(Locale.ROOT, "  %s%s (as of %s): %s", name, mode, r.getAsOf(), list);
    }

    private static String item(RecommendedItem i) {
        return switch (i.getReason()) {
            case POPULAR -> String.format(Locale.ROOT, "~%s", i.getItemId());
            case MATCHES_INTERESTS -> String.format(Locale.ROOT, "*%s %.2f", i.getItemId(), i.getScore());
            case SIMILAR_USERS -> String.format(Locale.ROOT, "+%s %.2f", i.getItemId(), i.getScore());
            default -> String.format(Locale.ROOT, "%s %.2f", i.getItemId(), i.getScore());
        };
    }

    @Override
    public void close() {
        follower.close();
    }
}
