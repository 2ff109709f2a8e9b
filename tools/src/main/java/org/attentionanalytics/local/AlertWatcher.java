package org.attentionanalytics.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.attentionanalytics.avro.AttentionAlert;

/**
 * Follows the {@code attention-alerts} topic ({@link TopicFollower}) so the local run can print
 * each alert as a consumer sees it (committed), e.g. {@code ALERT TAKE_A_BREAK for
 * demo-marathon-reader (5f2c9a01…) at 2026-11-29T10:52:13Z: You have been reading for 50 minutes
 * ...}. Users are shown by pseudonym prefix; the demo's personas also by name, because the local
 * run holds the pseudonym key and can compute theirs. With names given (the demo), only the named
 * users' alerts are printed: the demo's ordinary skimmers raise dozens, which the status line
 * counts.
 */
final class AlertWatcher implements AutoCloseable {
    private final ConcurrentLinkedQueue<AttentionAlert> unseen = new ConcurrentLinkedQueue<>();
    private final Map<String, String> names;
    private final TopicFollower follower;

    /**
     * @param names display names by pseudonym (e.g. of the demo personas); others show as a prefix
     * @param registry the schema registry of {@code avro-registry} values, or null
     */
    AlertWatcher(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            Map<String, String> names,
            org.attentionanalytics.io.SchemaRegistrySettings registry) {
        this.names = Map.copyOf(names);
        follower = new TopicFollower(
                bootstrapServers,
                kafkaProperties,
                topic,
                RecordType.ATTENTION_ALERT,
                registry,
                "attention-alert-watcher",
                record -> unseen.add((AttentionAlert) record));
    }

    /** @return one line per alert read since the previous call (only named users' when names were given), in the order read */
    List<String> newAlerts() {
        List<String> lines = new ArrayList<>();
        for (AttentionAlert a; (a = unseen.poll()) != null; ) {
            if (names.isEmpty() || names.containsKey(a.getUser())) {
                lines.add(line(a, names));
            }
        }
        return lines;
    }

    /** The line printed for one alert. */
    static String line(AttentionAlert a, Map<String, String> names) {
        return String.format(
                Locale.ROOT,
                "ALERT %s for %s at %s: %s",
                a.getType(),
                who(a.getUser(), names),
                a.getEventTime(),
                a.getMessage());
    }

    /** @return how a line names {@code user}: the first 8 characters of the pseudonym, after the name if it has one */
    static String who(String user, Map<String, String> names) {
        String prefix = user.substring(0, Math.min(8, user.length())) + "…";
        return names.containsKey(user) ? names.get(user) + " (" + prefix + ")" : prefix;
    }

    @Override
    public void close() {
        follower.close();
    }
}
