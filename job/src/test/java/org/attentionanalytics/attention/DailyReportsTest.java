package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.inZone;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * Daily reports (DESIGN.md section 8) in Europe/Berlin across both daylight-saving changes of
 * 2025, and {@code dwell.infer-from-gaps}: values computed by hand below.
 */
class DailyReportsTest {
    private static final String U = "u1";

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static AttentionSettings berlinByDefault() {
        AttentionSettings d = AttentionSettings.defaults(minutes(30), minutes(5));
        return new AttentionSettings(
                d.overloadViews(),
                d.overloadSkimRatio(),
                d.overloadTopicSwitches(),
                d.overloadCooldownMs(),
                d.breakAfterMs(),
                d.breakGapMs(),
                d.viewSettleMs(),
                d.maxAgeMs(),
                "Europe/Berlin",
                d.gapMs(),
                d.latenessMs(),
                d.rules(),
                d.distractionAfterMs(),
                d.maxAlertsPerDay());
    }

    /**
     * 2025-03-30 in Berlin lasts 23 hours: from 2025-03-29T23:00Z to 2025-03-30T22:00Z.
     *
     * <ul>
     *   <li>Session 1, 23:50 -> 00:10 local (22:50Z -> 23:10Z): view a (news.sports: sports), dwell
     *       240 s at 23:54 (29th), 360 s at 00:00:00 (the 30th's first instant) and 600 s at 00:10.
     *   <li>Session 2 on the 30th, 12:00 local: view c (news.world: politics) read 5 s (a skim).
     *   <li>Session 3, 23:40 -> 00:05 local (21:40Z -> 22:05Z, summer time): view b
     *       (news.politics) read 900 s at 23:55 (30th) and 600 s at 00:05 (31st).
     * </ul>
     *
     * Reports: 29th sports 240 s, 1 session of 20 min, focus 1 (a crossed 30 s with its first dwell);
     * 30th sports 960 s, politics 905 s, 2 sessions (c's and b's; session 1 started on the 29th),
     * longest 25 min, focus 1,860/1,865 (c's 5 s unfocused); 31st politics 600 s, no session started,
     * focus 1. Total 2,705 s = all dwell, each counted once. The 30th's report waits for 22:00Z + 30
     * min gap + 5 min lateness.
     */
    @Test
    void twentyThreeHourDayInBerlin() throws Exception {
        try (SessionHarness h = SessionHarness.withAttention(berlinByDefault(), false)) {
            h.send(
                    view(U, "a", utc("2025-03-29T22:50:00Z"), "news.sports"),
                    dwell(U, "a", 240_000, utc("2025-03-29T22:54:00Z")),
                    dwell(U, "a", 360_000, utc("2025-03-29T23:00:00Z")),
                    dwell(U, "a", 600_000, utc("2025-03-29T23:10:00Z")),
                    view(U, "c", utc("2025-03-30T10:00:00Z"), "news.world"),
                    dwell(U, "c", 5_000, utc("2025-03-30T10:00:05Z")),
                    view(U, "b", utc("2025-03-30T21:40:00Z"), "news.politics"),
                    dwell(U, "b", 900_000, utc("2025-03-30T21:55:00Z")),
                    dwell(U, "b", 600_000, utc("2025-03-30T22:05:00Z")));
            h.watermark(utc("2025-03-30T22:34:59.999Z"));
            assertThat(h.reports())
                    .extracting(DailyAttentionReport::getDate)
                    .containsExactly(LocalDate.parse("2025-03-29"));
            h.watermark(utc("2025-03-30T22:35:00Z"));
            assertThat(h.reports())
                    .extracting(DailyAttentionReport::getDate)
                    .containsExactly(LocalDate.parse("2025-03-29"), LocalDate.parse("2025-03-30"));
            h.watermark(utc("2025-04-02T00:00:00Z"));
            List<DailyAttentionReport> r = h.reports();
            assertThat(r).hasSize(3);

            assertThat(r.get(0).getZone()).isEqualTo("Europe/Berlin");
            assertThat(r.get(0).getEngagedMsByCategory()).isEqualTo(Map.of("sports", 240_000L));
            assertThat(r.get(0).getSessions()).isEqualTo(1);
            assertThat(r.get(0).getLongestSessionMs()).isEqualTo(1_200_000L);
            assertThat(r.get(0).getFocusRatio()).isEqualTo(1.0);
            assertThat(r.get(0).getAlerts())
                    .isEqualTo(Map.of(
                            "INFORMATION_OVERLOAD", 0,
                            "TAKE_A_BREAK", 0,
                            "TIME_BUDGET_EXCEEDED", 0,
                            "DISTRACTED_IN_FOCUS_BLOCK", 0,
                            "POMODORO_BREAK", 0,
                            "UNUSUAL_USAGE", 0));

            assertThat(r.get(1).getEngagedMsByCategory()).isEqualTo(Map.of("sports", 960_000L, "politics", 905_000L));
            assertThat(r.get(1).getSessions()).isEqualTo(2);
            assertThat(r.get(1).getLongestSessionMs()).isEqualTo(1_500_000L);
            assertThat(r.get(1).getFocusRatio()).isCloseTo(1_860_000 / 1_865_000.0, within(1e-12));

            assertThat(r.get(2).getDate()).isEqualTo(LocalDate.parse("2025-03-31"));
            assertThat(r.get(2).getEngagedMsByCategory()).isEqualTo(Map.of("politics", 600_000L));
            assertThat(r.get(2).getSessions()).isZero();
            assertThat(r.get(2).getLongestSessionMs()).isZero();

            long reported = r.stream()
                    .flatMap(x -> x.getEngagedMsByCategory().values().stream())
                    .mapToLong(Long::longValue)
                    .sum();
            long sessions = h.summaries(SessionStatus.CLOSED).stream()
                    .mapToLong(SessionSummary::getEngagedMs)
                    .sum();
            assertThat(reported).isEqualTo(2_705_000L).isEqualTo(sessions);
            assertThat(h.state(U).getAttention().getDays())
                    .isEmpty(); // everything reported; the interest vector lives on
            assertThat(h.state(U).getSessions()).isEmpty();
            assertThat(h.eventTimeTimers()).isZero();
        }
    }

    /**
     * 2025-10-26 in Berlin lasts 25 hours: from 2025-10-25T22:00Z to 2025-10-26T23:00Z. The zone
     * comes from the events' time_zone (the default is UTC here). Dwell at 23:59:50 on the 25th (20
     * s), at 00:31, at 02:31 summer time (00:31Z) and at 02:31 winter time (01:31Z) and at 23:31 on
     * the 26th (60 s each), 120 s at 23:50 (26th: 360 s in all), and 120 s at 00:10 on the 27th. Sessions: one on the 25th (20 s), four
     * on the 26th (the 23:30 one lasts 40 min, into the 27th). Focus: the 20-second read is not
     * focused, the others are.
     */
    @Test
    void twentyFiveHourDayInBerlin() throws Exception {
        String berlin = "Europe/Berlin";
        try (SessionHarness h =
                SessionHarness.withAttention(AttentionSettings.defaults(minutes(30), minutes(5)), false)) {
            AttentionEvent[] events = {
                view(U, "v", utc("2025-10-25T21:59:30Z"), "news.sports"),
                        dwell(U, "v", 20_000, utc("2025-10-25T21:59:50Z")),
                view(U, "x", utc("2025-10-25T22:30:00Z"), "news.sports"),
                        dwell(U, "x", 60_000, utc("2025-10-25T22:31:00Z")),
                view(U, "y", utc("2025-10-26T00:30:00Z"), "news.sports"),
                        dwell(U, "y", 60_000, utc("2025-10-26T00:31:00Z")),
                view(U, "z", utc("2025-10-26T01:30:00Z"), "news.sports"),
                        dwell(U, "z", 60_000, utc("2025-10-26T01:31:00Z")),
                view(U, "w", utc("2025-10-26T22:30:00Z"), "news.sports"),
                        dwell(U, "w", 60_000, utc("2025-10-26T22:31:00Z")),
                dwell(U, "w", 120_000, utc("2025-10-26T22:50:00Z")), dwell(U, "w", 120_000, utc("2025-10-26T23:10:00Z"))
            };
            for (AttentionEvent e : events) {
                h.send(inZone(e, berlin));
            }
            h.watermark(utc("2025-10-26T23:34:59.999Z"));
            assertThat(h.reports())
                    .extracting(DailyAttentionReport::getDate)
                    .containsExactly(LocalDate.parse("2025-10-25"));
            h.watermark(utc("2025-10-28T00:00:00Z"));
            List<DailyAttentionReport> r = h.reports();
            assertThat(r)
                    .extracting(DailyAttentionReport::getDate)
                    .containsExactly(
                            LocalDate.parse("2025-10-25"),
                            LocalDate.parse("2025-10-26"),
                            LocalDate.parse("2025-10-27"));
            assertThat(r).extracting(DailyAttentionReport::getZone).containsOnly(berlin);
            assertThat(r)
                    .extracting(DailyAttentionReport::getEngagedMsByCategory)
                    .containsExactly(Map.of("sports", 20_000L), Map.of("sports", 360_000L), Map.of("sports", 120_000L));
            assertThat(r).extracting(DailyAttentionReport::getSessions).containsExactly(1, 4, 0);
            assertThat(r)
                    .extracting(DailyAttentionReport::getLongestSessionMs)
                    .containsExactly(20_000L, 2_400_000L, 0L);
            assertThat(r).extracting(DailyAttentionReport::getFocusRatio).containsExactly(0.0, 1.0, 1.0);
        }
    }

    /** A day with events and no dwell has a report with an empty engaged map. */
    @Test
    void dayWithoutDwellHasAnEmptyReport() throws Exception {
        try (SessionHarness h =
                SessionHarness.withAttention(AttentionSettings.defaults(minutes(30), minutes(5)), false)) {
            h.send(view(U, "a", at(0, 0), "news.sports")).watermark(at(3 * 24 * 60, 0));
            assertThat(h.reports()).singleElement().satisfies(r -> {
                assertThat(r.getDate()).isEqualTo(LocalDate.parse("2025-01-06"));
                assertThat(r.getZone()).isEqualTo("UTC");
                assertThat(r.getEngagedMsByCategory()).isEmpty();
                assertThat(r.getSessions()).isEqualTo(1);
                assertThat(r.getFocusRatio()).isZero();
            });
        }
    }

    /**
     * dwell.infer-from-gaps: views at 0:00, 1:00, 3:00 (one session) and 40:00 (the next). Engaged:
     * 60 s + 120 s, the last view of each session 0.
     */
    @Test
    void inferFromGaps() throws Exception {
        try (SessionHarness h =
                SessionHarness.withAttention(AttentionSettings.defaults(minutes(30), minutes(5)), true)) {
            h.send(view(U, "a", at(0, 0)), view(U, "b", at(1, 0)), view(U, "c", at(3, 0)), view(U, "d", at(40, 0)))
                    .watermark(at(3 * 24 * 60, 0));
            List<SessionSummary> closed = h.summaries(SessionStatus.CLOSED);
            assertThat(closed).extracting(SessionSummary::getEngagedMs).containsExactly(180_000L, 0L);
            assertThat(closed).extracting(SessionSummary::getEngagedInferred).containsExactly(true, true);
            assertThat(h.reports())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getEngagedMsByCategory()).isEqualTo(Map.of("other", 180_000L)));
        }
    }
}
