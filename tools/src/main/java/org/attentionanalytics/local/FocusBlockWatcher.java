package org.attentionanalytics.local;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.attentionanalytics.avro.FocusBlockReport;

/**
 * Follows the {@code focus-block-reports} topic ({@link TopicFollower}) so the local run can print
 * one line per block report, e.g. {@code FOCUS BLOCK deep-work of demo-focus-worker (ab12cd34…)
 * 09:00-09:30Z: focus 62%, 3 switches, longest focus 8 min, 2 interruptions}. Users show as in
 * {@link AlertWatcher}; with names given (the demo), only the named users' reports are printed.
 */
final class FocusBlockWatcher implements AutoCloseable {
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final ConcurrentLinkedQueue<FocusBlockReport> unseen = new ConcurrentLinkedQueue<>();
    private final Map<String, String> names;
    private final TopicFollower follower;

    /**
     * @param names display names by pseudonym (e.g. of the demo personas); others show as a prefix
     * @param registry the schema registry of {@code avro-registry} values, or null
     */
    FocusBlockWatcher(
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
                RecordType.FOCUS_BLOCK_REPORT,
                registry,
                "focus-block-report-watcher",
                record -> unseen.add((FocusBlockReport) record));
    }

    /** @return one line per report read since the previous call (only named users' when names were given) */
    List<String> newReports() {
        List<String> lines = new ArrayList<>();
        for (FocusBlockReport r; (r = unseen.poll()) != null; ) {
            if (names.isEmpty() || names.containsKey(r.getUser())) {
                lines.add(line(r, names));
            }
        }
        return lines;
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

    @Override
    public void close() {
        follower.close();
    }
}
