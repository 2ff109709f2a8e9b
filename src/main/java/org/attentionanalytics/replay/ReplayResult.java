package org.attentionanalytics.replay;

/**
 * What a replay published.
 *
 * @param clicks ClickEvents sent to the clickstream topic
 * @param dwells DwellEvents sent to the dwell-time topic
 * @param skippedRows malformed dataset rows that gave no event
 * @param catalogItems ContentProfiles sent to the catalog topic ({@code --catalog}), one per item
 * @param catalogSkippedRows malformed catalog rows that gave no topic
 */
public record ReplayResult(long clicks, long dwells, long skippedRows, long catalogItems, long catalogSkippedRows) {
  /** A replay without catalog. */
  public ReplayResult(long clicks, long dwells, long skippedRows) {
    this(clicks, dwells, skippedRows, 0, 0);
  }
}
