package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;
import org.junit.jupiter.api.Test;

/**
 * UNUSUAL_USAGE (DESIGN.md section 13): a category's engaged time today against the 90th
 * percentile, nearest rank, of the user's last 30 local days with activity, with at least 7 of
 * them. Day k (k = 0, 1, ...) is 2025-01-06 + k days in UTC; on it the user reads technology for
 * k + 1 minutes from 09:00.
 */
class UsageBaselineScenarioTest {
    private static final String U = "u1";
    private static final long DAY = minutes(24 * 60);

    private static List<AttentionEvent> history(int days) {
        List<AttentionEvent> events = new ArrayList<>();
        for (int k = 0; k < days; k++) {
            events.add(view(U, "a" + k, at(0, 0) + k * DAY, "news.technology"));
            events.add(dwell(U, "a" + k, minutes(k + 1), at(k + 1, 0) + k * DAY));
        }
        return events;
    }

    private static List<AttentionAlert> unusual(List<AttentionEvent> events, long watermark) {
        UserActivityProcessor p = new UserActivityProcessor(
                SessionRules.defaults(minutes(30), minutes(720), minutes(5)),
                minutes(60),
                minutes(7 * 24 * 60),
                AttentionSettings.defaults(minutes(30), minutes(5)));
        UserState st = UserState.newBuilder().build();
        events.forEach(e -> EventOrder.insert(st.getPending(), e));
        UserActivityProcessorTest.Recorded out = new UserActivityProcessorTest.Recorded();
        p.catchUp(st, U, watermark, out);
        return FocusBlocksScenarioTest.ofType(out.alerts, AlertType.UNUSUAL_USAGE);
    }

    @Test
    void sixDaysOfHistoryAreNoBaseline() {
        // days 0 to 5 (1 to 6 minutes), then 30 minutes on day 6: six days before it, one short of seven
        List<AttentionEvent> events = history(6);
        events.add(view(U, "x", at(0, 0) + 6 * DAY, "news.technology"));
        events.add(dwell(U, "x", minutes(30), at(30, 0) + 6 * DAY));
        assertThat(unusual(events, at(60, 0) + 6 * DAY)).isEmpty();
    }

    @Test
    void belowAtAndAboveTheNinetiethPercentileOfSevenDays() {
        // days 0 to 6: 1 to 7 minutes. Nearest rank of P90 over 7 values: ceil(0.9 * 7) = 7th = 7 minutes.
        // Day 7: 6 minutes (below, no alert), +1 minute at 09:07 (at: the alert), +1 at 09:08 (above: once a day)
        long day7 = 7 * DAY;
        List<AttentionEvent> events = history(7);
        events.add(view(U, "y", at(0, 0) + day7, "news.technology"));
        events.add(dwell(U, "y", minutes(6), at(6, 0) + day7));
        events.add(dwell(U, "y", minutes(1), at(7, 0) + day7));
        events.add(dwell(U, "y", minutes(1), at(8, 0) + day7));
        List<AttentionAlert> alerts = unusual(events, at(60, 0) + day7);
        assertThat(alerts).hasSize(1);
        AttentionAlert a = alerts.get(0);
        assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(at(7, 0) + day7));
        assertThat(a.getCategory()).isEqualTo("technology");
        assertThat(a.getMetrics()).containsEntry("engaged_ms", (double) minutes(7));
        assertThat(a.getThresholds())
                .containsEntry("engaged_ms", (double) minutes(7))
                .containsEntry("percentile", 90.0)
                .containsEntry("days", 7.0);
        assertThat(a.getMessage())
                .isEqualTo("7 minutes on technology today: more than on 9 in 10 of your last 7 days with activity "
                        + "(7 minutes).");
    }

    @Test
    void theThresholdIsAtLeastAMinute() {
        // seven days of 10 s each: P90 = 10 s, raised to the 1-minute floor; 50 s the next day is not unusual
        List<AttentionEvent> events = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            events.add(view(U, "s" + k, at(0, 0) + k * DAY, "news.technology"));
            events.add(dwell(U, "s" + k, k < 7 ? 10_000 : 50_000, at(1, 0) + k * DAY));
        }
        assertThat(unusual(events, at(60, 0) + 7 * DAY)).isEmpty();
        events.add(dwell(U, "s7", 10_000, at(2, 0) + 7 * DAY)); // 60 s: at the floor
        assertThat(unusual(events, at(60, 0) + 7 * DAY))
                .extracting(x -> x.getThresholds().get("engaged_ms"))
                .containsExactly(60_000.0);
    }
}
