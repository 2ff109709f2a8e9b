package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.attention.AttentionFixtures.user;
import static org.attentionanalytics.testutil.Events.budget;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.internal.BudgetEntry;
import org.attentionanalytics.avro.internal.UserState;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link AttentionTracker} that connect its engines, without Flink or the session
 * tracker (its callbacks are called directly): a late budget re-checks the unreported days, and
 * a reported day lets the budgets only it needed go. Defaults: zone UTC, gap 30 min, lateness 5 min.
 */
class AttentionTrackerTest {
    private static final String U = "u1";

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    /** 2 min of politics at 2025-01-06T09:00Z, then a 1-minute budget updated the day before. */
    private static List<AttentionAlert> lateBudget(
            AttentionTracker tracker, UserState st, AttentionFixtures.Recorded out) {
        long t = utc("2025-01-06T09:00:00Z");
        tracker.beginEvent(st, U, view(U, "i", t, "news.politics"));
        tracker.engaged(st, U, List.of(0), List.of(), 0, minutes(2), t, out);
        tracker.applyBudget(st, U, budget(U, utc("2025-01-05T12:00:00Z"), null, true, Map.of("politics", 1L)), t, out);
        return out.alerts;
    }

    @Test
    void aLateBudgetRechecksTheUnreportedDayFromTheDaysStart() {
        UserState st = user("news.politics");
        List<AttentionAlert> alerts = lateBudget(
                new AttentionTracker(AttentionSettings.defaults(minutes(30), minutes(5))),
                st,
                new AttentionFixtures.Recorded());
        // 2 min >= 1 min on 2025-01-06; the alert at max(updated_at 01-05 12:00, start of the day 01-06 00:00)
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.TIME_BUDGET_EXCEEDED);
            assertThat(a.getEventTime()).isEqualTo(Instant.parse("2025-01-06T00:00:00Z"));
            assertThat(a.getSessionId()).isNull();
        });
    }

    @Test
    void aReportedDayLetsTheBudgetsOnlyItNeededGo() {
        AttentionTracker tracker = new AttentionTracker(AttentionSettings.defaults(minutes(30), minutes(5)));
        UserState st = user("news.politics");
        AttentionFixtures.Recorded out = new AttentionFixtures.Recorded();
        lateBudget(tracker, st, out);
        tracker.applyBudget(
                st,
                U,
                budget(U, utc("2025-01-06T12:00:00Z"), null, true, Map.of("politics", 5L)),
                utc("2025-01-06T12:00:00Z"),
                out);
        // the 2025-01-06 report is due at 01-07 00:00 + 30 + 5 min
        assertThat(tracker.nextDeadline(st)).isEqualTo(utc("2025-01-07T00:35:00Z"));

        tracker.emitReports(st, U, utc("2025-01-07T00:35:00Z"), out);
        // horizon 00:35 - 5 min lateness = 00:30 on 01-07, no day left: the 01-06 12:00 entry is in effect there
        assertThat(out.reports).hasSize(1);
        assertThat(st.getAttention().getBudgets())
                .extracting(BudgetEntry::getFrom)
                .containsExactly(utc("2025-01-06T12:00:00Z"));
        // a budget is left, so the state stays
        assertThat(AttentionTracker.isEmpty(st)).isFalse();
    }

    @Test
    void aTrackerShippedByJavaSerializationComputesTheSame() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(new AttentionTracker(AttentionSettings.defaults(minutes(30), minutes(5))));
        }
        AttentionTracker shipped;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (AttentionTracker) in.readObject();
        }
        // the zone cache is transient: rebuilt on first use; same alert as
        // aLateBudgetRechecksTheUnreportedDayFromTheDaysStart
        assertThat(lateBudget(shipped, user("news.politics"), new AttentionFixtures.Recorded()))
                .extracting(AttentionAlert::getEventTime)
                .containsExactly(Instant.parse("2025-01-06T00:00:00Z"));
    }
}
