package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.attention.AttentionFixtures.session;
import static org.attentionanalytics.attention.AttentionFixtures.user;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.minutes;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.DayState;
import org.attentionanalytics.avro.internal.UserState;
import org.junit.jupiter.api.Test;

/**
 * {@link DailyReports} without Flink (the operator-level cases are in {@link DailyReportsTest}):
 * zone UTC, gap 30 min, allowed lateness 5 min, so the report of 2025-01-06 (the day of {@code
 * Events.T0}) is due at 2025-01-07T00:35Z.
 */
class DailyReportsUnitTest {
    private static final long DUE = Instant.parse("2025-01-07T00:35:00Z").toEpochMilli();

    private final AttentionSettings settings = AttentionSettings.defaults(minutes(30), minutes(5));
    private final DailyReports reports = new DailyReports(settings, new LocalDays(settings));

    private static UserState politicsAndSports() {
        UserState st = user();
        st.getAttention().getCategories().addAll(List.of("politics", "sports"));
        return st;
    }

    @Test
    void theReportOfADayGoesOutOnceItsEndPlusGapPlusLatenessIsReached() {
        UserState st = politicsAndSports();
        AttentionState a = st.getAttention();
        reports.engaged(a, 0, CategoryClass.NEUTRAL, 0, 40_000, at(0, 0));
        reports.engaged(a, 1, CategoryClass.NEUTRAL, 0, 20_000, at(1, 0));
        reports.sessionStarted(a, at(0, 0));
        reports.sessionStarted(a, at(30, 0));
        reports.sessionSuperseded(a, at(30, 0));
        reports.longest(a, session("s1", at(0, 0), at(25, 0), true));
        st.setSessions(new ArrayList<>(List.of(session("s2", at(60, 0), at(100, 0), false))));
        reports.alertRaised(a, AlertType.TAKE_A_BREAK, at(5, 0));
        reports.alertRaised(a, AlertType.TAKE_A_BREAK, at(50, 0));
        AttentionFixtures.Recorded out = new AttentionFixtures.Recorded();

        // one millisecond early: nothing, the deadline stays
        assertThat(reports.emit(st, "u1", DUE - 1, out)).isFalse();
        assertThat(out.reports).isEmpty();
        assertThat(reports.nextDeadline(a)).isEqualTo(DUE);

        assertThat(reports.emit(st, "u1", DUE, out)).isTrue();
        DailyAttentionReport r = out.reports.get(0);
        assertThat(r.getDate()).isEqualTo(LocalDate.parse("2025-01-06"));
        assertThat(r.getZone()).isEqualTo("UTC");
        assertThat(r.getEngagedMsByCategory()).isEqualTo(Map.of("politics", 40_000L, "sports", 20_000L));
        // 2 started - 1 merged into another
        assertThat(r.getSessions()).isEqualTo(1);
        // max(25 min recorded, 40 min of s2 still in state)
        assertThat(r.getLongestSessionMs()).isEqualTo(minutes(40));
        assertThat(r.getAlerts())
                .containsExactly(
                        Map.entry("INFORMATION_OVERLOAD", 0),
                        Map.entry("TAKE_A_BREAK", 2),
                        Map.entry("TIME_BUDGET_EXCEEDED", 0),
                        Map.entry("DISTRACTED_IN_FOCUS_BLOCK", 0),
                        Map.entry("POMODORO_BREAK", 0),
                        Map.entry("UNUSUAL_USAGE", 0));
        // the 40 s view crossed 30 s, the 20 s one did not: 40 / 60
        assertThat(r.getFocusRatio()).isCloseTo(40 / 60.0, within(1e-12));
        // the day is forgotten; its date is reported
        assertThat(a.getDays()).isEmpty();
        assertThat(a.getLastReportedDate())
                .isEqualTo((int) LocalDate.parse("2025-01-06").toEpochDay());
        assertThat(reports.nextDeadline(a)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aViewThatCrossesThirtySecondsBringsItsEarlierEngagedTimeIntoTheFocusedMs() {
        UserState st = politicsAndSports();
        AttentionState a = st.getAttention();
        reports.engaged(a, 0, CategoryClass.NEUTRAL, 20_000, 15_000, at(0, 0));
        // 20 s before (counted on an earlier day) + 15 s crosses 30 s: 35 s focused, 15 s engaged
        assertThat(a.getDays().get(0).getFocusedMs()).isEqualTo(35_000);
        reports.engaged(a, 0, CategoryClass.NEUTRAL, 35_000, 10_000, at(1, 0));
        // already focused: + 10 s; engaged 15 + 10 s
        assertThat(a.getDays().get(0).getFocusedMs()).isEqualTo(45_000);
        AttentionFixtures.Recorded out = new AttentionFixtures.Recorded();
        reports.emit(st, "u1", DUE, out);
        // 45 s focused / 25 s engaged, clamped to 1
        assertThat(out.reports.get(0).getFocusRatio()).isEqualTo(1.0);
    }

    @Test
    void onlyClosedSessionsWhoseLatenessIsOverLeaveTheirDurationBeforeCleanUp() {
        UserState st = politicsAndSports();
        AttentionState a = st.getAttention();
        reports.sessionStarted(a, at(0, 0));
        st.setSessions(new ArrayList<>(List.of(
                session("done", at(0, 0), at(10, 0), true),
                session("late", at(0, 0), at(11, 0), true),
                session("open", at(0, 0), at(30, 0), false))));

        reports.beforeCleanUp(st, at(45, 0));
        DayState day = a.getDays().get(0);
        // done: 10:00 + 30 + 5 min = 45:00 <= 45:00, 10 min; late: 46:00 > 45:00; open: not closed
        assertThat(day.getLongestSessionMs()).isEqualTo(minutes(10));
    }
}
