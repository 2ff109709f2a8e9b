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
}
