package org.attentionanalytics.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.replay.ReplayResult;

/**
 * What a bounded local run produced: records per output topic, dead letters per reason, and the
 * duplicates (repeated event ids, repeated page views) and bots the job dropped. Rendered as {@code summary.json} ({@link #toJson()}) and as
 * a table for the terminal ({@link #toTable()}).
 *
 * @param records records per output topic, in output order (every output topic, zeros included)
 * @param deadLetters dead letters per reason (every {@link DeadLetterReason}, zeros included)
 * @param duplicates events dropped as duplicates (a repeated event id)
 * @param duplicateViews VIEW events dropped because their view_id repeats a page view already held
 * @param bots events dropped as bot traffic
 * @param input what the replay read and published (rows read, skipped per reason, events), or null
 *     when unknown
 */
public record RunSummary(
        Map<String, Long> records,
        Map<DeadLetterReason, Long> deadLetters,
        long duplicates,
        long duplicateViews,
        long bots,
        ReplayResult input) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A summary without the replay's input counts. */
    public RunSummary(
            Map<String, Long> records,
            Map<DeadLetterReason, Long> deadLetters,
            long duplicates,
            long duplicateViews,
            long bots) {
        this(records, deadLetters, duplicates, duplicateViews, bots, null);
    }

    /** Copies the maps (keeping their order) and adds missing reasons as zero. */
    public RunSummary {
        records = Collections.unmodifiableMap(new LinkedHashMap<>(records));
        Map<DeadLetterReason, Long> reasons = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            reasons.put(reason, deadLetters.getOrDefault(reason, 0L));
        }
        deadLetters = Collections.unmodifiableMap(reasons);
    }

    /**
     * {@code summary.json}: {@code {"records": {topic: n, ...}, "dead_letters": {REASON: n, ...},
     * "duplicates": n, "duplicate_views": n, "bots": n, "input": {...}}}, keys in output-topic and reason-declaration order,
     * pretty-printed with two-space indentation, {@code "key": value}, and a final newline. {@code
     * input} (only with the replay's counts) is {@code {"rows_read": n, "rows_skipped": n,
     * "skipped": {reason: n, ...}, "published": {"clicks": n, "dwells": n}}} (plus {@code "snowplow_events": n} for a
     * {@code snowplow} dataset), every skip reason included.
     */
    public String toJson() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        ObjectNode recordNode = root.putObject("records");
        records.forEach(recordNode::put);
        ObjectNode dlq = root.putObject("dead_letters");
        deadLetters.forEach((reason, n) -> dlq.put(reason.name(), n));
        root.put("duplicates", duplicates);
        root.put("duplicate_views", duplicateViews);
        root.put("bots", bots);
        if (input != null) {
            ObjectNode in = root.putObject("input");
            in.put("rows_read", input.rows());
            in.put("rows_skipped", input.skippedRows());
            ObjectNode skipped = in.putObject("skipped");
            input.skippedByReason().forEach((reason, n) -> skipped.put(reason.label(), n));
            ObjectNode published = in.putObject("published");
            published.put("clicks", input.clicks());
            published.put("dwells", input.dwells());
            if (input.snowplowLines() > 0) { // a snowplow dataset: enriched lines to --topic.snowplow
                published.put("snowplow_events", input.snowplowLines());
            }
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return MAPPER.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same numbers as a two-column table for the terminal, one line per value. */
    public String toTable() {
        Map<String, Long> rows = new LinkedHashMap<>();
        records.forEach((topic, n) -> rows.put("records  " + topic, n));
        deadLetters.forEach((reason, n) -> rows.put("dead letters  " + reason.name(), n));
        rows.put("duplicates", duplicates);
        rows.put("duplicate views", duplicateViews);
        rows.put("bots", bots);
        if (input != null) {
            rows.put("input rows read", input.rows());
            input.skippedByReason().forEach((reason, n) -> {
                if (n > 0) {
                    rows.put("input rows skipped  " + reason.label(), n);
                }
            });
        }
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        rows.forEach((label, n) -> out.append(String.format(Locale.ROOT, "  %-" + width + "s  %,12d\n", label, n)));
        return out.toString();
    }
}
