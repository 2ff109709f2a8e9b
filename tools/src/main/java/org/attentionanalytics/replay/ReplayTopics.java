package org.attentionanalytics.replay;

/**
 * Where a replay publishes, by record type (the job's {@code --topic.*} options).
 *
 * @param clickstream ClickEvents
 * @param dwell DwellEvents
 * @param catalog ContentProfiles ({@code --catalog})
 * @param budgets AttentionBudgets ({@code --budgets})
 * @param privacyRequests ErasureRequests ({@code --erasures})
 * @param snowplow Snowplow enriched lines (dataset kind {@code snowplow})
 * @param focusBlocks FocusBlocks ({@code --focus-blocks})
 */
public record ReplayTopics(
        String clickstream,
        String dwell,
        String catalog,
        String budgets,
        String privacyRequests,
        String snowplow,
        String focusBlocks) {
    /** The job's default Snowplow topic ({@code --topic.snowplow}). */
    public static final String DEFAULT_SNOWPLOW = "snowplow-enriched";

    /** The job's default focus-blocks topic ({@code --topic.focus-blocks}). */
    public static final String DEFAULT_FOCUS_BLOCKS = "focus-blocks";

    /** The job's default topic names. */
    public static final ReplayTopics DEFAULTS = new ReplayTopics(
            "clickstream",
            "dwell-time",
            "content-catalog",
            "attention-budgets",
            "privacy-requests",
            DEFAULT_SNOWPLOW,
            DEFAULT_FOCUS_BLOCKS);

    /** Topics with the default focus-blocks topic. */
    public ReplayTopics(
            String clickstream, String dwell, String catalog, String budgets, String privacyRequests, String snowplow) {
        this(clickstream, dwell, catalog, budgets, privacyRequests, snowplow, DEFAULT_FOCUS_BLOCKS);
    }

    /** Topics with the default Snowplow and focus-blocks topics. */
    public ReplayTopics(String clickstream, String dwell, String catalog, String budgets, String privacyRequests) {
        this(clickstream, dwell, catalog, budgets, privacyRequests, DEFAULT_SNOWPLOW);
    }
}
