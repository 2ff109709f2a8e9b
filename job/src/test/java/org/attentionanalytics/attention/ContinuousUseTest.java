package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.attention.AttentionFixtures.state;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import org.attentionanalytics.avro.internal.AttentionState;
import org.junit.jupiter.api.Test;

/** {@link ContinuousUse} without Flink: a break is 5 min or more of uncovered time (the default). */
class ContinuousUseTest {
    private final ContinuousUse use = new ContinuousUse(AttentionSettings.defaults(minutes(30), minutes(5)));

    @Test
    void aGapBelowTheBreakExtendsTheStretchAndAGapOfTheBreakStartsANewOne() {
        AttentionState a = state();
        use.cover(a, view("u", "i", at(0, 0)));
        // one instant covered
        assertThat(ContinuousUse.continuousMs(a)).isZero();
        use.cover(a, view("u", "i", at(4, 0)));
        // 4 min < 5 min: one stretch 0:00 -> 4:00
        assertThat(ContinuousUse.continuousMs(a)).isEqualTo(minutes(4));
        use.cover(a, view("u", "i", at(9, 0)));
        // 9:00 - 4:00 = 5 min, a break: a new stretch of one instant
        assertThat(ContinuousUse.continuousMs(a)).isZero();
        assertThat(a.getPrevStretchStart()).isEqualTo(at(0, 0));
        assertThat(a.getPrevStretchEnd()).isEqualTo(at(4, 0));
    }

    @Test
    void aDwellIntervalThatReachesBackOverTheBreakJoinsTheTwoStretchesAndKeepsTheirAlert() {
        AttentionState a = state();
        use.cover(a, at(0, 0), at(4, 0));
        a.setBreakAlerted(true);
        use.cover(a, at(9, 0), at(9, 0));
        // the new stretch has not alerted yet
        assertThat(a.getBreakAlerted()).isFalse();

        use.cover(a, dwell("u", "i", 120_000, at(9, 30)));
        // the dwell covers 7:30 -> 9:30; 7:30 - 4:00 = 3.5 min < 5 min, so 0:00 -> 9:30 is one stretch
        assertThat(ContinuousUse.continuousMs(a)).isEqualTo(minutes(9) + 30_000);
        assertThat(a.getBreakAlerted()).isTrue();
    }

    @Test
    void aLateIntervalABreakBeforeTheCurrentStretchChangesNothing() {
        AttentionState a = state();
        use.cover(a, at(20, 0), at(21, 0));
        use.cover(a, at(10, 0), at(10, 0));
        // 20:00 - 10:00 = 10 min >= 5 min: not part of the current stretch, which stays 20:00 -> 21:00
        assertThat(a.getStretchStart()).isEqualTo(at(20, 0));
        assertThat(ContinuousUse.continuousMs(a)).isEqualTo(minutes(1));
    }

    @Test
    void noStateIsNoContinuousUse() {
        // no stretch yet
        assertThat(ContinuousUse.continuousMs(null)).isZero();
        assertThat(ContinuousUse.continuousMs(state())).isZero();
    }
}
