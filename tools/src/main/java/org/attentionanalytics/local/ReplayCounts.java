package org.attentionanalytics.local;

import org.attentionanalytics.replay.ReplayResult;

/** How a bounded local run words what the replay published, for its summary line. */
final class ReplayCounts {
    private ReplayCounts() {}

    /** {@code N clicks and M dwell events}, or {@code N Snowplow events} for a dataset of kind snowplow. */
    static String events(ReplayResult published) {
        return published.snowplowLines() > 0
                ? String.format("%,d Snowplow events", published.snowplowLines())
                : String.format("%,d clicks and %,d dwell events", published.clicks(), published.dwells());
    }

    /** {@code ": no_user 2"} when the replay skipped rows, else empty. */
    static String skipReasons(ReplayResult published) {
        return published.skippedRows() == 0 ? "" : ": " + published.describeSkipped();
    }

    /**
     * {@code ", 3 budgets, focus blocks of 2 users, 1 erasure requests"} when the replay published
     * any, else empty.
     */
    static String controls(ReplayResult published) {
        return (published.budgets() > 0 ? String.format(", %,d budgets", published.budgets()) : "")
                + (published.focusBlocks() > 0
                        ? String.format(", focus blocks of %,d users", published.focusBlocks())
                        : "")
                + (published.erasures() > 0 ? String.format(", %,d erasure requests", published.erasures()) : "");
    }
}
