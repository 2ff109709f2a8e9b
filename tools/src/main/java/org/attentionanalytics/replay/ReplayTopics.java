package org.attentionanalytics.replay;

/**
 * Where a replay publishes, by record type (the job's {@code --topic.*} options).
 *
 * @param clickstream ClickEvents
 * @param dwell DwellEvents
 * @param catalog ContentProfiles ({@code --catalog})
 * @param budgets AttentionBudgets ({@code --budgets})
 * @param privacyRequests ErasureRequests ({@code --erasures})
 */
public record ReplayTopics(String clickstream, String dwell, String catalog, String budgets, String privacyRequests) {
    /** The job's default topic names. */
    public static final ReplayTopics DEFAULTS =
            new ReplayTopics("clickstream", "dwell-time", "content-catalog", "attention-budgets", "privacy-requests");
}
