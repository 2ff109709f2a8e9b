package org.attentionanalytics.local;

import java.util.List;
import java.util.Properties;
import org.attentionanalytics.job.JobOptions;

/**
 * Publishes datasets into the job's input topics for {@code bin/attention local --dataset}: the
 * seam between the local runner and the dataset replay tool ({@code
 * org.attentionanalytics.replay.DatasetReplay}), bound in {@link LocalCommand#LocalCommand()}.
 */
@FunctionalInterface
public interface DatasetPublisher {
  /** The binding used until the replay tool is wired in: refuses with a clear message. */
  DatasetPublisher UNWIRED = (datasets, speedup, producerProperties, options, showProgress) -> {
    throw new UnsupportedOperationException("--dataset is not available in this build (the dataset replay is not wired in)");
  };

  /**
   * Replays the datasets to completion and returns when everything is written and flushed.
   *
   * @param datasets the {@code --dataset} values, each {@code KIND:PATH} (kind as the replay tool
   *     names it, e.g. {@code ebnerd:/data/ebnerd_small}), in the order given
   * @param speedup event-time pacing factor ({@code --speedup}); null: as fast as possible
   * @param producerProperties {@code bootstrap.servers} of the embedded broker plus every {@code
   *     --kafka.*} property
   * @param options topic names ({@code clickstreamTopic}, {@code dwellTopic}, {@code catalogTopic})
   *     and input format
   * @param showProgress whether to draw a progress bar on the terminal
   * @return what was published
   * @throws Exception when a dataset cannot be read or published; the run then stops
   */
  Published publish(List<String> datasets, Double speedup, Properties producerProperties, JobOptions options,
      boolean showProgress) throws Exception;

  /**
   * Counts of a replay (the replay tool's {@code ReplayResult}).
   *
   * @param clicks ClickEvents written
   * @param dwells DwellEvents written
   * @param skippedRows dataset rows that could not be turned into events
   */
  record Published(long clicks, long dwells, long skippedRows) {}
}
