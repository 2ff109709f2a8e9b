package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations of the options, as Flink's TimeUtils reads them, with the examples of README and BENCHMARKS.md. */
class DurationOptionsTest {
    @Test
    void theDocumentedExamplesAreRead() {
        assertThat(JobOptions.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(JobOptions.parseDuration("30 s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(JobOptions.parseDuration("5 s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(JobOptions.parseDuration("0s")).isEqualTo(Duration.ZERO);
        assertThat(JobOptions.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(JobOptions.parseDuration("250 ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(JobOptions.parseDuration("1500")).as("a bare number is ms").isEqualTo(Duration.ofMillis(1500));
        assertThat(JobOptions.parseDuration("20min")).isEqualTo(Duration.ofMinutes(20));
        assertThat(JobOptions.parseDuration("10 min")).isEqualTo(Duration.ofMinutes(10));
        assertThat(JobOptions.parseDuration("5 m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(JobOptions.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(JobOptions.parseDuration("12 h")).isEqualTo(Duration.ofHours(12));
        assertThat(JobOptions.parseDuration("14d")).isEqualTo(Duration.ofDays(14));
        assertThat(JobOptions.parseDuration("7 d")).isEqualTo(Duration.ofDays(7));
        assertThat(JobOptions.parseDuration("3 days")).isEqualTo(Duration.ofDays(3));
        assertThat(JobOptions.parseDuration("PT30M")).isEqualTo(Duration.ofMinutes(30));
        assertThat(JobOptions.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aMinusMakesANegativeDurationThatTheChecksRefuseByName() {
        assertThat(JobOptions.parseDuration("-5 min")).isEqualTo(Duration.ofMinutes(-5));
        assertThat(JobOptions.parseDuration("-1 ms")).isEqualTo(Duration.ofMillis(-1));
    }

    @Test
    void anythingElseIsNotADuration() {
        // "mins" was read by the project's own parser before TimeUtils; TimeUtils knows min, m, minute(s)
        for (String bad : new String[] {"foo", "", "5 mins", "5 fortnights", "- 5 s", "99999999999999999999 d"}) {
            assertThatThrownBy(() -> JobOptions.parseDuration(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a duration: '" + bad + "' (examples: 30 s, 5 min, 12 h, PT30M)");
        }
    }
}
