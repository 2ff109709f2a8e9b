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
 */
public record ReplayTopics(
        String clickstream, String dwell, String catalog, String budgets, String privacyRequests, String snowplow) {
    /** The job's default Snowplow topic ({@code --topic.snowplow}). */
    public static final String DEFAULT_SNOWPLOW = "snowplow-enriched";

    /** The job's default topic names. */
    public static final ReplayTopics DEFAULTS = new ReplayTopics(
            "clickstream", "dwell-time", "content-catalog", "attention-budgets", "privacy-requests", DEFAULT_SNOWPLOW);

    /** Topics with the default Snowplow topic. */
    public ReplayTopics(String clickstream, String dwell, String catalog, String budgets, String privacyRequests) {
        this(clickstream, dwell, catalog, budgets, privacyRequests, DEFAULT_SNOWPLOW);
    }
}
