package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.Test;

/** Topic retention of DESIGN.md section 9, as {@code create-topics} asks the broker for it. */
class TopicRetentionTest {
    static Map<String, Map<String, String>> configs(JobOptions options) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (NewTopic t : Topics.all(options, 1)) {
            out.put(t.name(), new TreeMap<>(t.configs()));
        }
        return out;
    }

    @Test
    void perUserOutputsKeepRecordsAsLongAsTheStateTtl() {
        Map<String, Map<String, String>> c = configs(TestJobs.defaults());
        String thirtyDays = "2592000000"; // 30 * 86,400,000 ms
        assertThat(c.get("interest-vectors"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("cleanup.policy", "compact,delete", "retention.ms", thirtyDays));
        assertThat(c.get("attention-sessions")).containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", thirtyDays));
        // upsert by view_id but keyed by the pseudonym, like attention-sessions: not compacted
        assertThat(c.get("attention-page-views"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", thirtyDays));
        assertThat(c.get("attention-alerts")).containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", thirtyDays));
        assertThat(c.get("attention-reports")).containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", thirtyDays));
        assertThat(c.get("focus-block-reports")).containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", thirtyDays));
        assertThat(c.get("attention-dlq"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", "604800000")); // 7 d
        assertThat(c.get("content-catalog")).containsExactlyInAnyOrderEntriesOf(Map.of("cleanup.policy", "compact"));
        for (String brokerDefault : new String[] {
            "clickstream",
            "dwell-time",
            "privacy-requests",
            "attention-budgets",
            "focus-blocks",
            "topic-trends",
            "privacy-audit"
        }) {
            assertThat(c.get(brokerDefault)).as(brokerDefault).isEmpty();
        }
    }

    @Test
    void theSnowplowTopicIsCreatedWithSnowplowOnlyWithBrokerDefaults() {
        assertThat(configs(TestJobs.defaults())).doesNotContainKey("snowplow-enriched");
        JobOptions snowplow = TestJobs.defaults();
        snowplow.snowplow = true;
        assertThat(configs(snowplow).get("snowplow-enriched")).isEmpty();
        assertThat(Topics.all(snowplow, 3))
                .filteredOn(t -> t.name().equals("snowplow-enriched"))
                .singleElement()
                .satisfies(t -> assertThat(t.numPartitions()).isEqualTo(3));
        assertThat(Topics.inputs(snowplow)).endsWith("content-catalog", "snowplow-enriched");
        assertThat(Topics.inputs(TestJobs.defaults())).doesNotContain("snowplow-enriched");
    }

    @Test
    void retentionFollowsStateTtlAndZeroKeepsVectorsCompactedOnly() {
        JobOptions week = TestJobs.defaults();
        week.stateTtl = Duration.ofDays(7);
        assertThat(configs(week).get("interest-vectors")).containsEntry("retention.ms", "604800000");
        assertThat(configs(week).get("attention-sessions")).containsEntry("retention.ms", "604800000");
        assertThat(configs(week).get("attention-page-views")).containsEntry("retention.ms", "604800000");
        assertThat(configs(week).get("focus-block-reports")).containsEntry("retention.ms", "604800000");

        JobOptions forever = TestJobs.defaults();
        forever.stateTtl = Duration.ZERO;
        assertThat(configs(forever).get("interest-vectors"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cleanup.policy", "compact"));
        assertThat(configs(forever).get("attention-sessions")).isEmpty();
        assertThat(configs(forever).get("attention-page-views")).isEmpty();
        assertThat(configs(forever).get("focus-block-reports")).isEmpty();
    }
}
