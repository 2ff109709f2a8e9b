package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.attentionanalytics.avro.RecommendationMode;
import org.junit.jupiter.api.Test;

/**
 * {@link RecommendationModes} at the default thresholds (DESIGN.md section 7): at least 30 views
 * started, a skim ratio of at least 0.6 and at least 10 topic switches in the 10-minute window.
 */
class RecommendationModesTest {
    static final AttentionSettings DEFAULTS = AttentionSettings.defaults(
            Duration.ofMinutes(30).toMillis(), Duration.ofMinutes(5).toMillis());

    static RecommendationMode mode(int views, int ended, int skims, int switches, boolean breakAlert) {
        return RecommendationModes.mode(
                new RollingWindow.Window(views, ended, skims, switches, 0), breakAlert, DEFAULTS);
    }

    @Test
    void focusedAtTwoOfTheThreeMeasuresEachAtItsThreshold() {
        // views 30 >= 30 and skims 12 / 20 ended = 0.6 >= 0.6; switches 9 < 10: two of three
        assertThat(mode(30, 20, 12, 9, false)).isEqualTo(RecommendationMode.FOCUSED);
        // one view fewer: only the skim ratio is at its threshold
        assertThat(mode(29, 20, 12, 9, false)).isEqualTo(RecommendationMode.NORMAL);
        // 11 / 20 = 0.55 skimmed: only the views
        assertThat(mode(30, 20, 11, 9, false)).isEqualTo(RecommendationMode.NORMAL);
        // skim ratio 6 / 10 and 10 switches, few views
        assertThat(mode(10, 10, 6, 10, false)).isEqualTo(RecommendationMode.FOCUSED);
        // views and switches, half skimmed
        assertThat(mode(31, 10, 5, 12, false)).isEqualTo(RecommendationMode.FOCUSED);
        // no view ended: the skim ratio is 0, so views and switches must both be there
        assertThat(mode(30, 0, 0, 9, false)).isEqualTo(RecommendationMode.NORMAL);
        assertThat(mode(30, 0, 0, 10, false)).isEqualTo(RecommendationMode.FOCUSED);
    }

    @Test
    void quietWhileABreakAlertIsInForceOverloadedOrNot() {
        assertThat(mode(0, 0, 0, 0, true)).isEqualTo(RecommendationMode.QUIET);
        assertThat(mode(30, 20, 12, 10, true)).isEqualTo(RecommendationMode.QUIET);
        assertThat(mode(0, 0, 0, 0, false)).isEqualTo(RecommendationMode.NORMAL);
    }

    @Test
    void countsTheMeasuresAtTheirThresholds() {
        assertThat(RecommendationModes.overloadMeasuresAtThreshold(
                        new RollingWindow.Window(30, 20, 12, 10, 0), DEFAULTS))
                .isEqualTo(3);
        assertThat(RecommendationModes.overloadMeasuresAtThreshold(
                        new RollingWindow.Window(29, 20, 11, 9, 0), DEFAULTS))
                .isZero();
    }
}
