package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.attentionanalytics.session.SessionRules;
import org.junit.jupiter.api.Test;

/** {@code --heartbeat} and {@code --min-visit}: Snowplow's defaults, carried into the session rules, checked. */
class HeartbeatOptionsTest {
    @Test
    void defaultsAreSnowplowsTenAndFiveSeconds() {
        SessionRules r = JobOptions.defaults().sessionRules(Duration.ofMinutes(5));
        assertThat(r.heartbeatMs()).isEqualTo(10_000L);
        assertThat(r.minVisitMs()).isEqualTo(5_000L);
        assertThat(r.gapMs()).isEqualTo(1_800_000L);
        assertThat(r.maxDurationMs()).isEqualTo(43_200_000L);
        assertThat(r.latenessMs()).isEqualTo(300_000L);
        assertThat(r.engaged()).isEqualTo(SessionRules.EngagedRule.GA4);
    }

    @Test
    void givenValuesReachTheRulesAndBadOnesNameTheOption() {
        JobOptions o = JobOptions.defaults();
        o.heartbeat = Duration.ofSeconds(30);
        o.minVisit = Duration.ZERO;
        SessionRules r = o.sessionRules(o.allowedLateness);
        assertThat(r.heartbeatMs()).isEqualTo(30_000L);
        assertThat(r.minVisitMs()).isZero();
        AttentionJob.validate(o);

        JobOptions zero = JobOptions.defaults();
        zero.heartbeat = Duration.ZERO;
        assertThatThrownBy(() -> AttentionJob.validate(zero)).hasMessageContaining("--heartbeat");
        JobOptions negative = JobOptions.defaults();
        negative.minVisit = Duration.ofSeconds(-1);
        assertThatThrownBy(() -> AttentionJob.validate(negative)).hasMessageContaining("--min-visit");
    }
}
