package org.attentionanalytics.job;

import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.attentionanalytics.avro.TopicTrend;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.pipeline.StepNames;
import org.attentionanalytics.pipeline.Uids;
import org.attentionanalytics.privacy.TopicTrendAggregator;
import org.attentionanalytics.privacy.TopicTrendNoise;

/**
 * The step of the graph that makes the differentially private topic trends (DESIGN.md section 9):
 * the per-user operator's bounded {@link TrendContribution}s in, {@link TopicTrend} records out
 * (to {@code --topic.trends}), and the checks of its options. See {@link TopicTrendAggregator} for
 * the mechanism and its guarantees.
 */
public final class TopicTrends {
    private TopicTrends() {}

    /** Keys every contribution to {@link TopicTrendAggregator#KEY}. */
    private static final class OneKey implements KeySelector<TrendContribution, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TrendContribution value) {
            return TopicTrendAggregator.KEY;
        }
    }

    /**
     * Checks the trend options.
     *
     * @throws IllegalArgumentException when {@code --trends.epsilon} is not positive and finite, or
     *     {@code --trends.min-users} is negative
     */
    public static void validate(JobOptions options) {
        if (options.trendsMinUsers < 0) {
            throw new IllegalArgumentException("--trends.min-users must be 0 or more, not " + options.trendsMinUsers);
        }
        try {
            TopicTrendNoise.splitEpsilon(options.trendsEpsilon);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--trends.epsilon must be positive and finite, not " + options.trendsEpsilon, e);
        }
    }

    /**
     * The aggregator (uid {@value Uids#TOPIC_TRENDS}) on {@code contributions}, with {@code
     * --trends.epsilon}, {@code --trends.min-users} and {@code --allowed-lateness} (which must be
     * the per-user operator's, since the release timer relies on it).
     *
     * @param contributions the per-user operator's side output of bounded contributions, emitted once
     *     the watermark passes each window's end plus the allowed lateness
     * @param categories the fixed category set, {@code CategoryRules.categories()}, the same rules the
     *     per-user operator uses
     * @throws IllegalArgumentException on invalid trend options or an empty category set
     */
    public static SingleOutputStreamOperator<TopicTrend> attach(
            DataStream<TrendContribution> contributions, JobOptions options, List<String> categories) {
        validate(options);
        return contributions
                .keyBy(new OneKey())
                .process(new TopicTrendAggregator(
                        categories, options.trendsEpsilon, options.trendsMinUsers, options.allowedLateness.toMillis()))
                .uid(Uids.TOPIC_TRENDS)
                .name(StepNames.TOPIC_TRENDS);
    }
}
