package org.attentionanalytics.replay;

/**
 * What a replay published.
 *
 * @param clicks ClickEvents sent to the clickstream topic
 * @param dwells DwellEvents sent to the dwell-time topic
 * @param skippedRows malformed dataset rows that gave no event
 */
public record ReplayResult(long clicks, long dwells, long skippedRows) {}
