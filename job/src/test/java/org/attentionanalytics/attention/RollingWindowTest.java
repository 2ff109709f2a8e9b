package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.attention.AttentionFixtures.session;
import static org.attentionanalytics.attention.AttentionFixtures.state;
import static org.attentionanalytics.attention.AttentionFixtures.view;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.minutes;

import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.SessionState;
import org.junit.jupiter.api.Test;

/** {@link RollingWindow} without Flink: gap 30 min, views settle 30 s after their end, skims below 10 s. */
class RollingWindowTest {
    private final RollingWindow window = new RollingWindow(AttentionSettings.defaults(minutes(30), minutes(5)));

    private void viewAt(AttentionState a, long t, String mainTopic) {
        RollingWindow.advance(a, t);
        window.viewStarted(a, t, mainTopic);
    }

    @Test
    void viewsCountWhereTheyStartAndASwitchNeedsAPreviousViewWithTopics() {
        AttentionState a = state();
        viewAt(a, at(0, 0), "news.a");
        viewAt(a, at(0, 20), "news.b");
        viewAt(a, at(0, 40), null);
        // 3 views started; one switch (a -> b); the view without topics is not a switch
        assertThat(RollingWindow.metrics(a)).isEqualTo(new RollingWindow.Window(3, 0, 0, 1, 0));

        viewAt(a, at(40, 0), "news.a");
        // minutes 0..9 left the window (40 - 0 >= 10); 40:00 is >= 30 min after b: no previous, no switch
        assertThat(RollingWindow.metrics(a)).isEqualTo(new RollingWindow.Window(1, 0, 0, 0, 0));
    }

    @Test
    void aViewBeforeTheLatestViewWithTopicsIsNoSwitch() {
        AttentionState a = state();
        viewAt(a, at(0, 30), "news.a");
        viewAt(a, at(0, 10), "news.b");
        viewAt(a, at(0, 50), "news.a");
        // b (0:10) comes before a (0:30): counted as a view, not compared; the 0:50 a follows a: no switch
        assertThat(RollingWindow.metrics(a)).isEqualTo(new RollingWindow.Window(3, 0, 0, 0, 0));
    }

    @Test
    void aViewIsClassifiedThirtySecondsAfterTheNextViewStarts() {
        AttentionState a = state();
        SessionState s = session(
                "s", at(0, 0), at(0, 40), false, view(at(0, 0), 5_000), view(at(0, 20), 15_000), view(at(0, 40), 0));

        RollingWindow.advance(a, at(0, 49));
        window.classifySettled(a, s, at(0, 49));
        // the first view ends at 0:20 and settles at 0:20 + 30 s = 0:50 > 0:49: nothing yet
        assertThat(RollingWindow.metrics(a).ended()).isZero();

        RollingWindow.advance(a, at(1, 10));
        window.classifySettled(a, s, at(1, 10));
        // 0:20 + 30 s <= 1:10 and 0:40 + 30 s <= 1:10: two ended, the 5 s one a skim; 5 s + 15 s engaged
        RollingWindow.Window w = RollingWindow.metrics(a);
        assertThat(w).isEqualTo(new RollingWindow.Window(0, 2, 1, 0, 20_000));
        // 1 skim / 2 ended; 20,000 ms / 2 ended
        assertThat(w.skimRatio()).isEqualTo(0.5);
        assertThat(w.meanEngagedMs()).isEqualTo(10_000.0);
        // the last view has no end before the session closes
        assertThat(s.getViews().get(2).getClassified()).isFalse();
    }

    @Test
    void atSessionCloseTheLastViewEndsAtTheSessionEndAndClassificationIsFinal() {
        AttentionState a = state();
        SessionState s = session("s", at(0, 0), at(5, 0), true, view(at(0, 0), 12_000), view(at(4, 0), 3_000));
        RollingWindow.advance(a, at(5, 0));

        RollingWindow.classifyAll(a, s);
        RollingWindow.classifyAll(a, s);
        // ends at 4:00 and 5:00 (the session's end), counted once: 2 ended, 1 skim (3 s), 12 s + 3 s engaged
        assertThat(RollingWindow.metrics(a)).isEqualTo(new RollingWindow.Window(0, 2, 1, 0, 15_000));
    }

    @Test
    void aSlotOfAnOlderMinuteIsResetAndTimesOutsideTheWindowCountNowhere() {
        AttentionState a = state();
        viewAt(a, at(0, 0), null);
        viewAt(a, at(10, 0), null);
        // minute 10 takes the slot of minute 0 (10 % 10 = 0 % 10), which is reset first
        assertThat(RollingWindow.metrics(a).views()).isEqualTo(1);
        window.viewStarted(a, at(0, 30), null);
        // minute 0 is 10 minutes before the latest (10): outside the window, not counted
        assertThat(RollingWindow.metrics(a).views()).isEqualTo(1);
        // no state, or no event applied yet: all 0
        assertThat(RollingWindow.metrics(null)).isEqualTo(new RollingWindow.Window(0, 0, 0, 0, 0));
        assertThat(RollingWindow.metrics(state())).isEqualTo(new RollingWindow.Window(0, 0, 0, 0, 0));
    }
}
