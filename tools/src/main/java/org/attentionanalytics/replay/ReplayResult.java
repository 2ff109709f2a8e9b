package org.attentionanalytics.replay;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a replay read and published.
 *
 * @param clicks ClickEvents sent to the clickstream topic
 * @param dwells DwellEvents sent to the dwell-time topic
 * @param skippedRows dataset rows that gave no event (within {@code --max-skipped})
 * @param catalogItems ContentProfiles sent to the catalog topic ({@code --catalog}), one per item
 * @param catalogSkippedRows malformed catalog rows that gave no topic
 * @param budgets AttentionBudgets sent to the budgets topic ({@code --budgets}), one per user
 * @param erasures ErasureRequests sent to the privacy-requests topic ({@code --erasures})
 * @param rows dataset rows read (header not counted), skipped ones included
 * @param skippedByReason the skipped rows per reason, every reason (zeros included)
 * @param snowplowLines Snowplow enriched lines sent to the Snowplow topic (dataset kind {@code snowplow})
 * @param focusBlocks FocusBlocks records sent to the focus-blocks topic ({@code --focus-blocks}), one per user
 */
public record ReplayResult(
        long clicks,
        long dwells,
        long skippedRows,
        long catalogItems,
        long catalogSkippedRows,
        long budgets,
        long erasures,
        long rows,
        Map<SkipReason, Long> skippedByReason,
        long snowplowLines,
        long focusBlocks) {

    /** Copies the map and adds missing reasons as zero. */
    public ReplayResult {
        Map<SkipReason, Long> all = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            all.put(r, skippedByReason.getOrDefault(r, 0L));
        }
        skippedByReason = Collections.unmodifiableMap(all);
    }

    /** A result without focus blocks. */
    public ReplayResult(
            long clicks,
            long dwells,
            long skippedRows,
            long catalogItems,
            long catalogSkippedRows,
            long budgets,
            long erasures,
            long rows,
            Map<SkipReason, Long> skippedByReason,
            long snowplowLines) {
        this(
                clicks,
                dwells,
                skippedRows,
                catalogItems,
                catalogSkippedRows,
                budgets,
                erasures,
                rows,
                skippedByReason,
                snowplowLines,
                0);
    }

    /** A result without Snowplow lines and focus blocks. */
    public ReplayResult(
            long clicks,
            long dwells,
            long skippedRows,
            long catalogItems,
            long catalogSkippedRows,
            long budgets,
            long erasures,
            long rows,
            Map<SkipReason, Long> skippedByReason) {
        this(
                clicks,
                dwells,
                skippedRows,
                catalogItems,
                catalogSkippedRows,
                budgets,
                erasures,
                rows,
                skippedByReason,
                0);
    }

    /** A replay without catalog, budgets and erasures, whose skipped rows have no reason given (INVALID). */
    public ReplayResult(long clicks, long dwells, long skippedRows) {
        this(clicks, dwells, skippedRows, 0, 0);
    }

    /** A replay without budgets and erasures, whose skipped rows have no reason given (INVALID). */
    public ReplayResult(long clicks, long dwells, long skippedRows, long catalogItems, long catalogSkippedRows) {
        this(
                clicks,
                dwells,
                skippedRows,
                catalogItems,
                catalogSkippedRows,
                0,
                0,
                0,
                skippedRows == 0 ? Map.of() : Map.of(SkipReason.INVALID, skippedRows));
    }

    /** Events published: clicks, dwells and Snowplow lines. */
    public long events() {
        return clicks + dwells + snowplowLines;
    }

    /** The non-zero reasons, e.g. {@code no_user 1, bad_time 2}; empty when none was skipped. */
    public String describeSkipped() {
        return skippedByReason.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().label() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
