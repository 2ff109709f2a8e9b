package org.attentionanalytics.local;

import java.util.Locale;
import java.util.Map;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.io.SchemaRegistrySettings;

/**
 * The local run's lines for {@code attention-alerts} ({@link UserLineWatcher}), e.g. {@code ALERT
 * TAKE_A_BREAK for demo-marathon-reader (5f2c9a01…) at 2026-11-29T10:52:13Z: You have been reading
 * for 50 minutes ...}. Users are shown by pseudonym prefix; the demo's personas also by name,
 * because the local run holds the pseudonym key and can compute theirs. With names given (the
 * demo), only the named users' alerts are printed: the demo's ordinary skimmers raise dozens, which
 * the status line counts.
 */
final class AlertWatcher {
    private AlertWatcher() {}

    /**
     * @param names display names by pseudonym (e.g. of the demo personas); others show as a prefix
     * @param registry the schema registry of {@code avro-registry} values, or null
     */
    static UserLineWatcher<AttentionAlert> watch(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            Map<String, String> names,
            SchemaRegistrySettings registry) {
        return new UserLineWatcher<>(
                bootstrapServers,
                kafkaProperties,
                topic,
                RecordType.ATTENTION_ALERT,
                registry,
                names,
                AttentionAlert::getUser,
                AlertWatcher::line);
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
}
