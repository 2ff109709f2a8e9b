package org.attentionanalytics.replay;

/**
 * What a replay published.
 *
 * @param clicks ClickEvents sent to the clickstream topic
 * @param dwells DwellEvents sent to the dwell-time topic
 * @param skippedRows malformed dataset rows that gave no event
 * @param catalogItems ContentProfiles sent to the catalog topic ({@code --catalog}), one per item
 * @param catalogSkippedRows malformed catalog rows that gave no topic
 * @param budgets AttentionBudgets sent to the budgets topic ({@code --budgets}), one per user
 * @param erasures ErasureRequests sent to the privacy-requests topic ({@code --erasures})
 */
public record ReplayResult(
        long clicks,
        long dwells,
        long skippedRows,
        long catalogItems,
        long catalogSkippedRows,
        long budgets,
        long erasures) {
    /** A replay without catalog, budgets and erasures. */
    public ReplayResult(long clicks, long dwells, long skippedRows) {
        this(clicks, dwells, skippedRows, 0, 0);
    }

    /** A replay without budgets and erasures. */
    public ReplayResult(long clicks, long dwells, long skippedRows, long catalogItems, long catalogSkippedRows) {
        this(clicks, dwells, skippedRows, catalogItems, catalogSkippedRows, 0, 0);
    }
}
