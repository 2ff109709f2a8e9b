package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's three personas do what their alerts need, with the default thresholds of DESIGN.md
 * section 7, computed here from the records themselves (not from the job).
 */
class PersonaTest {
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final long MINUTE = 60_000;

    /** 50 users and the personas for 75 minutes, polled every second. */
    private static List<DemoRecord> withPersonas;

    @BeforeAll
    static void simulate() {
        withPersonas = run(true, Duration.ofMinutes(75));
    }

    @Test
    void theBudgetGoesOutFirstAndGovernsFromTheStart() throws Exception {
        DemoRecord first = withPersonas.get(0);
        assertThat(first.topic()).isEqualTo(DemoRecord.ATTENTION_BUDGETS);
        assertThat(first.key()).isEqualTo("demo-over-budget");
        AttentionBudget budget = AttentionBudget.getDecoder().decode(first.value());
        assertThat(budget.getBudgets()).isEqualTo(Map.of("sports", 10L));
        assertThat(budget.getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(budget.getAlertsEnabled()).isTrue();
        assertThat(budget.getUpdatedAt()).isEqualTo(START);
        assertThat(withPersonas.stream().filter(r -> r.topic().equals(DemoRecord.ATTENTION_BUDGETS)))
                .hasSize(1);
    }

    @Test
    void theOverloaderSkimsThirtyViewsAcrossTenTopicsWithinTenMinutes() throws Exception {
        List<ClickEvent> views = clicks("demo-overloader");
        List<DwellEvent> dwell = dwell("demo-overloader");
        // every view is read under 10 s: one dwell record per view, 3-7 s
        assertThat(dwell)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.getDwellMs()).isBetween(3_000L, 7_000L));
        // the first 30 views take less than 10 minutes and switch topic every time
        assertThat(views).hasSizeGreaterThanOrEqualTo(30);
        long span = views.get(29).getEventTime().toEpochMilli()
                - views.get(0).getEventTime().toEpochMilli();
        assertThat(span).isLessThan(10 * MINUTE);
        for (int i = 1; i < 30; i++) {
            assertThat(views.get(i).getTopics().get(0))
                    .isNotEqualTo(views.get(i - 1).getTopics().get(0));
        }
    }

    @Test
    void theMarathonReaderGoesFiftyMinutesWithoutAFiveMinuteBreak() throws Exception {
        List<long[]> covered = new ArrayList<>();
        clicks("demo-marathon-reader").forEach(c -> covered.add(new long[] {t(c.getEventTime()), t(c.getEventTime())}));
        dwell("demo-marathon-reader")
                .forEach(d -> covered.add(new long[] {t(d.getEventTime()) - d.getDwellMs(), t(d.getEventTime())}));
        covered.sort((a, b) -> Long.compare(a[0], b[0]));
        long stretchStart = covered.get(0)[0];
        long stretchEnd = covered.get(0)[1];
        long longest = 0;
        for (long[] c : covered) {
            if (c[0] - stretchEnd >= 5 * MINUTE) {
                stretchStart = c[0];
            }
            stretchEnd = Math.max(stretchEnd, c[1]);
            longest = Math.max(longest, stretchEnd - stretchStart);
        }
        assertThat(longest).isGreaterThanOrEqualTo(50 * MINUTE);
    }

    @Test
    void theOverBudgetUserReadsMoreSportsThanTheBudgetInTheFirstSession() throws Exception {
        List<DwellEvent> dwell = dwell("demo-over-budget");
        assertThat(dwell).allSatisfy(d -> assertThat(d.getTopics().get(0)).startsWith("news.sports."));
        long firstSessionEngaged = dwell.stream()
                .filter(d -> t(d.getEventTime()) < START.toEpochMilli() + 27 * MINUTE)
                .mapToLong(DwellEvent::getDwellMs)
                .sum();
        assertThat(firstSessionEngaged).isGreaterThan(Persona.SPORTS_BUDGET_MINUTES * MINUTE);
    }

    @Test
    void addingThePersonasLeavesTheOtherUsersTrafficUnchanged() {
        List<DemoRecord> others =
                withPersonas.stream().filter(r -> !r.key().startsWith("demo-")).toList();
        assertThat(others).isEqualTo(run(false, Duration.ofMinutes(75)));
    }

    private static List<ClickEvent> clicks(String user) throws Exception {
        List<ClickEvent> out = new ArrayList<>();
        for (DemoRecord r : withPersonas) {
            if (r.key().equals(user) && r.topic().equals(DemoRecord.CLICKSTREAM)) {
                ClickEvent c = ClickEvent.getDecoder().decode(r.value());
                assertThat(c.getEventType()).isEqualTo(EventType.VIEW);
                out.add(c);
            }
        }
        out.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
        return out;
    }

    private static List<DwellEvent> dwell(String user) throws Exception {
        List<DwellEvent> out = new ArrayList<>();
        for (DemoRecord r : withPersonas) {
            if (r.key().equals(user) && r.topic().equals(DemoRecord.DWELL_TIME)) {
                out.add(DwellEvent.getDecoder().decode(r.value()));
            }
        }
        out.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
        return out;
    }

    private static long t(Instant i) {
        return i.toEpochMilli();
    }

    private static List<DemoRecord> run(boolean personas, Duration length) {
        FakeClock clock = new FakeClock(START);
        DemoTraffic demo = new DemoTraffic(5, 50, clock, 0, personas);
        List<DemoRecord> out = new ArrayList<>();
        for (long s = length.toSeconds(); s > 0; s--) {
            clock.advance(Duration.ofSeconds(1));
            out.addAll(demo.nextBatch());
        }
        return out;
    }
}
