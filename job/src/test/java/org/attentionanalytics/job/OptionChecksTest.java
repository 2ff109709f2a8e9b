package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The job's topic options: each names its own, non-empty topic, refused before anything starts. */
class OptionChecksTest {
    @Test
    void theDefaultTopicsAreAllDistinct() {
        assertThatCode(() -> AttentionJob.validate(JobOptions.defaults())).doesNotThrowAnyException();
    }

    @Test
    void anInputTopicReadTwiceIsRefused() {
        JobOptions o = JobOptions.defaults();
        o.clickstreamTopic = "dwell-time"; // every dwell record would also be read as a click: twice counted
        assertThatThrownBy(() -> AttentionJob.validate(o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--topic.clickstream and --topic.dwell-time are both 'dwell-time': every topic of the job must be its own");
    }

    @Test
    void anOutputTopicThatIsAnInputIsRefused() {
        JobOptions o = JobOptions.defaults();
        o.sessionsTopic = "clickstream"; // the job would read its own session summaries back
        assertThatThrownBy(() -> AttentionJob.validate(o))
                .hasMessage(
                        "--topic.clickstream and --topic.sessions are both 'clickstream': every topic of the job must be its own");
    }

    @Test
    void pageViewsNeedATopicOfTheirOwn() {
        JobOptions o = JobOptions.defaults();
        o.pageViewsTopic = "attention-sessions"; // two record types in one topic
        assertThatThrownBy(() -> AttentionJob.validate(o))
                .hasMessage(
                        "--topic.sessions and --topic.page-views are both 'attention-sessions': every topic of the job must be its own");
    }

    @Test
    void anEmptyTopicIsRefused() {
        JobOptions o = JobOptions.defaults();
        o.dlqTopic = "";
        assertThatThrownBy(() -> AttentionJob.validate(o)).hasMessage("--topic.dlq must name a topic, not be empty");
    }

    /** From the break-it review: sizes whose tables overflow an int, weights whose sums overflow a double. */
    @Test
    void recommendationSizesAndWeightsAreBounded() {
        JobOptions big = JobOptions.defaults();
        big.recsSize = Integer.MAX_VALUE;
        assertThatThrownBy(() -> AttentionJob.validate(big))
                .hasMessage("--recs.size must be at most 1000 (items per list), not 2147483647");
        JobOptions heavy = JobOptions.defaults();
        heavy.recsWeightMatchesInterests = 1e308;
        assertThatThrownBy(() -> AttentionJob.validate(heavy))
                .hasMessage(
                        "--recs.weight.matches-interests must be 0 or a number from 1.0E-6 to 1000000, not 1.0E308");
        JobOptions tiny = JobOptions.defaults();
        tiny.recsWeightSimilarUsers = 1e-320; // every score would be subnormal and the lists lose their order
        assertThatThrownBy(() -> AttentionJob.validate(tiny))
                .hasMessage("--recs.weight.similar-users must be 0 or a number from 1.0E-6 to 1000000, not 1.0E-320");
        JobOptions none = JobOptions.defaults();
        none.recsWeightSimilarToRecent = 0;
        none.recsWeightMatchesInterests = 0;
        none.recsWeightSimilarUsers = 0;
        assertThatThrownBy(() -> AttentionJob.validate(none))
                .hasMessage("--recs.weight.*: at least one source needs a weight above 0");
        JobOptions support = JobOptions.defaults();
        support.recsMinSimilarUsers = 21; // more than the 20 neighbours a list looks at
        assertThatThrownBy(() -> AttentionJob.validate(support))
                .hasMessage("--recs.min-similar-users must be at most 20 (the neighbours a list looks at), not 21");
        support.recsMinSimilarUsers = 0;
        assertThatThrownBy(() -> AttentionJob.validate(support)).hasMessageContaining("--recs.min-similar-users");
        JobOptions edge = JobOptions.defaults();
        edge.recsSize = 1000;
        edge.recsWeightSimilarToRecent = 1_000_000;
        assertThatCode(() -> AttentionJob.validate(edge)).doesNotThrowAnyException();
    }
}
