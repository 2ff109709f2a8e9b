package org.attentionanalytics.local;

import java.util.Properties;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.replay.DatasetReplay;
import org.attentionanalytics.replay.ReplayOptions;
import org.attentionanalytics.replay.ReplayResult;
import org.attentionanalytics.replay.ReplayTopics;

/**
 * Publishes a dataset into the job's input topics for {@code bin/attention local --dataset}: the
 * seam between the local runner and the dataset replay ({@link #KAFKA_REPLAY}), so that tests can
 * put their own records in its place.
 */
@FunctionalInterface
public interface DatasetPublisher {
    /**
     * The replay tool: the content catalog ({@code --catalog}, if given) to the catalog topic, the
     * budgets ({@code --budgets}) to the budgets topic, the focus blocks ({@code --focus-blocks}) to
     * the focus-blocks topic, then the dataset's events in event-time order
     * to the clickstream and dwell-time topics with the erasure requests ({@code --erasures}) among
     * them on the privacy-requests topic; a {@code snowplow} dataset's enriched lines to the
     * Snowplow topic ({@code --topic.snowplow}).
     */
    DatasetPublisher KAFKA_REPLAY = (replay, producerProperties, options, showProgress) -> DatasetReplay.replay(
            replay,
            producerProperties,
            new ReplayTopics(
                    options.clickstreamTopic,
                    options.dwellTopic,
                    options.catalogTopic,
                    options.budgetsTopic,
                    options.privacyRequestsTopic,
                    options.snowplowTopic,
                    options.focusBlocksTopic),
            showProgress);

    /**
     * Replays the dataset to completion and returns when everything is written and flushed.
     *
     * @param replay the replay options ({@code --dataset KIND:PATH}, {@code --speedup}, ...)
     * @param producerProperties {@code bootstrap.servers} of the embedded broker plus every {@code
     *     --kafka.*} property
     * @param options topic names
     * @param showProgress whether to draw a progress bar on the terminal
     * @return what was published
     * @throws Exception when the dataset cannot be read or published; the run then stops
     */
    ReplayResult publish(ReplayOptions replay, Properties producerProperties, JobOptions options, boolean showProgress)
            throws Exception;
}
