package org.attentionanalytics.local;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.io.SchemaRegistrySettings;

/**
 * The local run's lines for {@code focus-block-reports} ({@link UserLineWatcher}), e.g. {@code FOCUS
 * BLOCK deep-work of demo-focus-worker (ab12cd34…) 09:00-09:30Z: focus 62%, 3 switches, longest
 * focus 8 min, 2 interruptions}. Users show as in {@link AlertWatcher}; with names given (the demo),
 * only the named users' reports are printed.
 */
final class FocusBlockWatcher {
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private FocusBlockWatcher() {}

    /**
     * @param names display names by pseudonym (e.g. of the demo personas); others show as a prefix
     * @param registry the schema registry of {@code avro-registry} values, or null
     */
    static UserLineWatcher<FocusBlockReport> watch(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            Map<String, String> names,
            SchemaRegistrySettings registry) {
        return new UserLineWatcher<>(
                bootstrapServers,
                kafkaProperties,
                topic,
                RecordType.FOCUS_BLOCK_REPORT,
                registry,
                names,
                FocusBlockReport::getUser,
                FocusBlockWatcher::line);
    }

    /** The line printed for one report (times in UTC, the share and the longest run rounded). */
    static String line(FocusBlockReport r, Map<String, String> names) {
        return String.format(
                Locale.ROOT,
                "FOCUS BLOCK %s of %s %s-%sZ: focus %d%%, %d switches, longest focus %d min, %d interruptions",
                r.getName(),
                AlertWatcher.who(r.getUser(), names),
                HH_MM.format(r.getStart()),
                HH_MM.format(r.getEnd()),
                Math.round(r.getFocusShare() * 100),
                r.getContextSwitches(),
                Math.round(r.getLongestFocusMs() / 60_000.0),
                r.getInterruptions());
    }
}
