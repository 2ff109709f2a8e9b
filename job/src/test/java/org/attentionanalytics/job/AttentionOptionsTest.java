package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.attention.CategoryRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attention options: defaults of DESIGN.md section 7 and the checks of bad values. */
class AttentionOptionsTest {
    @Test
    void defaultsFromTheCommandLine() {
        AttentionSettings s = AttentionOptions.settings(JobOptions.defaults());
        assertDefaultThresholds(s);
        assertThat(s.gapMs()).isEqualTo(1_800_000L);
        assertThat(s.latenessMs()).isEqualTo(300_000L);
        assertThat(s.rules().categoryOf("news.sports.football")).isEqualTo("sports");
    }

    @Test
    void theTestDefaultsAreTheOptionsDefaultsWithTheirOwnSessionTimings() {
        AttentionSettings s = AttentionSettings.defaults(600_000L, 60_000L);
        assertDefaultThresholds(s);
        assertThat(s.gapMs()).isEqualTo(600_000L);
        assertThat(s.latenessMs()).isEqualTo(60_000L);
        assertThat(s.rules().categories()).isEqualTo(CategoryRules.defaults().categories());
        JobOptions o = JobOptions.defaults();
        o.inactivityGap = Duration.ofMinutes(10);
        o.allowedLateness = Duration.ofMinutes(1);
        assertThat(s).usingRecursiveComparison().isEqualTo(AttentionOptions.settings(o));
    }

    /** Thresholds, cooldowns, settle time, max age and zone of DESIGN.md sections 4, 5 and 7. */
    private static void assertDefaultThresholds(AttentionSettings s) {
        assertThat(s.overloadViews()).isEqualTo(30);
        assertThat(s.overloadSkimRatio()).isEqualTo(0.6);
        assertThat(s.overloadTopicSwitches()).isEqualTo(10);
        assertThat(s.overloadCooldownMs()).isEqualTo(1_800_000L);
        assertThat(s.breakAfterMs()).isEqualTo(3_000_000L);
        assertThat(s.breakGapMs()).isEqualTo(300_000L);
        assertThat(s.viewSettleMs()).isEqualTo(30_000L); // the out-of-orderness bound
        assertThat(s.maxAgeMs()).isEqualTo(3_600_000L);
        assertThat(s.defaultZone()).isEqualTo("UTC");
    }

    @Test
    void badValuesAreRejectedWithTheOptionName(@TempDir Path dir) throws Exception {
        JobOptions o = JobOptions.defaults();
        o.overloadSkimRatio = 1.5;
        assertThatThrownBy(() -> AttentionJob.validate(o)).hasMessageContaining("--alerts.overload.skim-ratio");
        JobOptions z = JobOptions.defaults();
        z.defaultTimeZone = "Mars/Olympus";
        assertThatThrownBy(() -> AttentionJob.validate(z)).hasMessageContaining("--default-time-zone");
        JobOptions a = JobOptions.defaults();
        a.alertsMaxAge = Duration.ofMinutes(-1);
        assertThatThrownBy(() -> AttentionJob.validate(a)).hasMessageContaining("--alerts.max-age");
        JobOptions b = JobOptions.defaults();
        b.breakAfter = Duration.ZERO;
        assertThatThrownBy(() -> AttentionJob.validate(b)).hasMessageContaining("--alerts.break.after");
        JobOptions m = JobOptions.defaults();
        m.trendsMinUsers = -1;
        assertThatThrownBy(() -> AttentionJob.validate(m)).hasMessage("--trends.min-users must be 0 or more, not -1");
        JobOptions e = JobOptions.defaults();
        e.trendsEpsilon = 0;
        assertThatThrownBy(() -> AttentionJob.validate(e)).hasMessageContaining("--trends.epsilon must be positive");
        JobOptions r = JobOptions.defaults();
        Path rules = dir.resolve("rules.txt");
        Files.writeString(rules, "news prefix:news\nbad!name prefix:x\n");
        r.categoryRulesFile = rules.toString();
        assertThatThrownBy(() -> AttentionJob.validate(r))
                .hasMessageContaining("rules.txt")
                .hasMessageContaining("line 2");
    }
}
