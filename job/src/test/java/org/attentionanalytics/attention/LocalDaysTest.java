package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.attention.AttentionFixtures.state;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.budget;
import static org.attentionanalytics.testutil.Events.minutes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.DayState;
import org.junit.jupiter.api.Test;

/** {@link LocalDays} without Flink: the zone in effect and the day records, default zone UTC. */
class LocalDaysTest {
    private final LocalDays days = new LocalDays(AttentionSettings.defaults(minutes(30), minutes(5)));

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void theZoneIsTheBudgetsElseTheLatestEventsElseTheDefault() {
        AttentionState a = state();
        // neither budget nor event zone: the default
        assertThat(days.zoneAt(a, T0)).isEqualTo(ZoneId.of("UTC"));
        a.setEventZone("America/New_York");
        assertThat(days.zoneAt(a, T0)).isEqualTo(ZoneId.of("America/New_York"));
        Budgets.add(a, budget("u", T0, "Asia/Kolkata", true, Map.of()));
        // the budget is in effect from T0 on, not before
        assertThat(days.zoneAt(a, T0)).isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(days.zoneAt(a, T0 - 1)).isEqualTo(ZoneId.of("America/New_York"));
        Budgets.add(a, budget("u", T0 + 1, null, true, Map.of()));
        // a budget without a zone leaves the event zone
        assertThat(days.zoneAt(a, T0 + 1)).isEqualTo(ZoneId.of("America/New_York"));
    }

    @Test
    void theDayOfTheSpringChangeInBerlinLastsTwentyThreeHours() {
        AttentionState a = state();
        a.setEventZone("Europe/Berlin");
        DayState day = days.dayFor(a, utc("2025-03-29T23:30:00Z"), true);
        // 23:30Z on the 29th is 00:30 CET on the 30th
        assertThat(day.getDate()).isEqualTo((int) LocalDate.parse("2025-03-30").toEpochDay());
        // the 30th starts at 00:00 CET = 23:00Z and ends at 00:00 CEST on the 31st = 22:00Z: 23 hours
        assertThat(days.start(a, day)).isEqualTo(utc("2025-03-29T23:00:00Z"));
        assertThat(day.getEnd()).isEqualTo(utc("2025-03-30T22:00:00Z"));
    }

    @Test
    void daysAreCreatedWhenAskedKeptInDateOrderAndGoneOnceReported() {
        AttentionState a = state();
        long monday = T0;
        long sunday = T0 - minutes(24 * 60);
        // not created when not asked
        assertThat(days.dayFor(a, monday, false)).isNull();
        DayState mon = days.dayFor(a, monday, true);
        DayState sun = days.dayFor(a, sunday, true);
        // the same record for another time of the same date; Sunday goes before Monday
        assertThat(days.dayFor(a, monday + minutes(60), false)).isSameAs(mon);
        assertThat(a.getDays()).containsExactly(sun, mon);
        a.setLastReportedDate(sun.getDate());
        // a reported date has no record, not even when asked
        assertThat(days.dayFor(a, sunday, true)).isNull();
    }
}
