package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.BlockSpec;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.junit.jupiter.api.Test;

/**
 * Focus blocks through the per-user engines (DESIGN.md section 13), plain Java: events wait in
 * {@code pending} and the watermark applies them in event-time order. Default category rules:
 * {@code news.technology} is technology (focus), {@code news.health} lifestyle (neutral), {@code
 * news.sports} sports (distraction). T0 = Monday 2025-01-06 09:00 UTC.
 */
class FocusBlocksScenarioTest {
    private static final String U = "u1";
    private static final String TECH = "news.technology";
    private static final String HEALTH = "news.health";
    private static final String SPORTS = "news.sports";

    private static UserActivityProcessor processor(int maxAlertsPerDay) {
        AttentionSettings d = AttentionSettings.defaults(minutes(30), minutes(5));
        AttentionSettings s = new AttentionSettings(
                d.overloadViews(),
                d.overloadSkimRatio(),
                d.overloadTopicSwitches(),
                d.overloadCooldownMs(),
                d.breakAfterMs(),
                d.breakGapMs(),
                d.viewSettleMs(),
                d.maxAgeMs(),
                d.defaultZone(),
                d.gapMs(),
                d.latenessMs(),
                d.rules(),
                d.distractionAfterMs(),
                maxAlertsPerDay);
        return new UserActivityProcessor(
                SessionRules.defaults(minutes(30), minutes(720), minutes(5)), minutes(60), minutes(7 * 24 * 60), s);
    }

    static BlockSpec oneOff(String name, long start, long end) {
        return BlockSpec.newBuilder().setName(name).setStart(start).setEnd(end).build();
    }

    static AttentionEvent blocks(long updatedAt, BlockSpec... specs) {
        return AttentionEvent.newBuilder()
                .setKind(EventKind.FOCUS_BLOCKS)
                .setEventId("fb" + updatedAt)
                .setUser(U)
                .setEventTime(updatedAt)
                .setFocusBlocks(List.of(specs))
                .build();
    }

    /** Runs {@code events} (in any order) through the processor up to {@code watermark}. */
    private static UserActivityProcessorTest.Recorded run(
            UserActivityProcessor p, long watermark, List<AttentionEvent> events) {
        UserState st = UserState.newBuilder().build();
        for (AttentionEvent e : events) {
            EventOrder.insert(st.getPending(), e);
        }
        UserActivityProcessorTest.Recorded out = new UserActivityProcessorTest.Recorded();
        p.catchUp(st, U, watermark, out);
        return out;
    }

    /** The one-off block 09:00 to 10:00 and what the user does in it. */
    private static List<AttentionEvent> deepWorkMorning() {
        return List.of(
                blocks(at(-60, 0), oneOff("deep-work", at(0, 0), at(60, 0))),
                view(U, "a", at(0, 0), TECH),
                dwell(U, "a", 120_000, at(2, 0)),
                view(U, "b", at(2, 0), TECH),
                dwell(U, "b", 60_000, at(3, 0)),
                view(U, "c", at(3, 0), HEALTH),
                dwell(U, "c", 60_000, at(4, 0)),
                view(U, "d", at(4, 0), SPORTS),
                dwell(U, "d", 360_000, at(10, 0)),
                view(U, "e", at(10, 0), TECH),
                dwell(U, "e", 300_000, at(15, 0)),
                view(U, "f", at(15, 0), TECH));
    }

    @Test
    void aBlockReportCountsClassesSwitchesRunsAndInterruptions() {
        UserActivityProcessorTest.Recorded out = run(processor(10), at(65, 0), deepWorkMorning());

        assertThat(out.blockReports).hasSize(1); // due at the end 10:00 + 5 min lateness = watermark 10:05
        FocusBlockReport r = out.blockReports.get(0);
        assertThat(r.getName()).isEqualTo("deep-work");
        assertThat(r.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 0)));
        assertThat(r.getEnd()).isEqualTo(Instant.ofEpochMilli(at(60, 0)));
        assertThat(r.getZone()).isEqualTo("UTC");
        // technology 120 + 60 + 300 s, lifestyle 60 s, sports 360 s
        assertThat(r.getEngagedMsByCategory())
                .isEqualTo(Map.of("technology", 480_000L, "lifestyle", 60_000L, "sports", 360_000L));
        assertThat(r.getFocusMs()).isEqualTo(480_000);
        assertThat(r.getNeutralMs()).isEqualTo(60_000);
        assertThat(r.getDistractionMs()).isEqualTo(360_000);
        assertThat(r.getFocusShare()).isCloseTo(480 / 900.0, within(1e-12));
        assertThat(r.getViews()).isEqualTo(6);
        // tech, tech | health | sports | tech, tech: three changes of category
        assertThat(r.getContextSwitches()).isEqualTo(3);
        assertThat(r.getInterruptions()).isEqualTo(1);
        assertThat(r.getMeanAttentionSpanMs()).isEqualTo(900_000 / 6);
        // runs: 09:00 to the sports view at 09:04 (the health view does not break it) = 4 min;
        // 09:10 to the last activity at 09:15 = 5 min
        assertThat(r.getLongestFocusMs()).isEqualTo(minutes(5));

        // sports reached 5 min with the 360 s dwell ending 09:10: one alert, its category sports
        List<AttentionAlert> distracted = ofType(out.alerts, AlertType.DISTRACTED_IN_FOCUS_BLOCK);
        assertThat(distracted).hasSize(1);
        assertThat(distracted.get(0).getEventTime()).isEqualTo(Instant.ofEpochMilli(at(10, 0)));
        assertThat(distracted.get(0).getCategory()).isEqualTo("sports");
        assertThat(distracted.get(0).getMetrics()).containsEntry("distraction_ms", 360_000.0);
        assertThat(out.counts).containsEntry(PipelineCounters.FOCUS_BLOCK_REPORTS, 1L);
    }

    @Test
    void noReportBeforeTheEndPlusTheAllowedLateness() {
        assertThat(run(processor(10), at(64, 59), deepWorkMorning()).blockReports)
                .isEmpty();
    }

    @Test
    void anyArrivalOrderGivesTheSameReportsAndAlerts() {
        List<AttentionEvent> reversed = new ArrayList<>(deepWorkMorning());
        java.util.Collections.reverse(reversed);
        UserActivityProcessorTest.Recorded inOrder = run(processor(10), at(65, 0), deepWorkMorning());
        UserActivityProcessorTest.Recorded backwards = run(processor(10), at(65, 0), reversed);
        assertThat(backwards.blockReports).isEqualTo(inOrder.blockReports);
        assertThat(backwards.alerts).isEqualTo(inOrder.alerts);
        assertThat(backwards.reports).isEqualTo(inOrder.reports);
    }

    @Test
    void theDailyReportGainsClassesAndSequenceMeasures() {
        // the day ends at 2025-01-07T00:00Z; its report is due at + 30 min gap + 5 min lateness
        UserActivityProcessorTest.Recorded out = run(processor(10), at(15 * 60 + 36, 0), deepWorkMorning());
        assertThat(out.reports).hasSize(1);
        var day = out.reports.get(0);
        assertThat(day.getFocusMs()).isEqualTo(480_000);
        assertThat(day.getNeutralMs()).isEqualTo(60_000);
        assertThat(day.getDistractionMs()).isEqualTo(360_000);
        assertThat(day.getFocusMs() + day.getNeutralMs() + day.getDistractionMs())
                .isEqualTo(day.getEngagedMsByCategory().values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        assertThat(day.getContextSwitches()).isEqualTo(3);
        assertThat(day.getMeanAttentionSpanMs()).isEqualTo(150_000);
        assertThat(day.getLongestFocusMs()).isEqualTo(minutes(5));
        assertThat(day.getAlerts()).containsEntry("DISTRACTED_IN_FOCUS_BLOCK", 1);
    }

    @Test
    void aBlockDeclaredAfterItsStartCountsFromItsUpdatedAt() {
        // declared at 09:30 for 09:00 to 10:00: the 09:10 view and its dwell came under no block
        UserActivityProcessorTest.Recorded out = run(
                processor(10),
                at(65, 0),
                List.of(
                        view(U, "a", at(10, 0), TECH),
                        dwell(U, "a", 300_000, at(15, 0)),
                        blocks(at(30, 0), oneOff("late", at(0, 0), at(60, 0))),
                        view(U, "b", at(40, 0), TECH),
                        dwell(U, "b", 240_000, at(44, 0))));
        assertThat(out.blockReports).hasSize(1);
        FocusBlockReport r = out.blockReports.get(0);
        assertThat(r.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 0)));
        assertThat(r.getViews()).isEqualTo(1);
        assertThat(r.getEngagedMsByCategory()).isEqualTo(Map.of("technology", 240_000L));
    }

    private static BlockSpec pomodoroBlock() {
        return BlockSpec.newBuilder(oneOff("sprint", at(0, 0), at(120, 0)))
                .setWorkMs(minutes(25))
                .setShortBreakMs(minutes(5))
                .setLongBreakMs(minutes(15))
                .setCycles(2)
                .build();
    }

    /**
     * Technology views every 4 min from 09:00 to 09:28; a 7-min pause; every 4 min from 09:35 to
     * 10:03; then 10:05 to 10:13; a 7-min pause; every 4 min from 10:20 to 10:48.
     */
    private static List<AttentionEvent> sprintViews() {
        List<AttentionEvent> events = new ArrayList<>();
        events.add(blocks(at(-60, 0), pomodoroBlock()));
        int[][] runs = {{0, 28}, {35, 63}, {65, 73}, {80, 108}};
        for (int[] run : runs) {
            for (int m = run[0]; m <= run[1]; m += 4) {
                events.add(view(U, "i" + m, at(m, 0), TECH));
            }
        }
        return events;
    }

    @Test
    void pomodoroBreaksComeAfterEachWorkPeriodAndABreakResetsThePeriod() {
        UserActivityProcessorTest.Recorded out = run(processor(10), at(130, 0), sprintViews());
        List<AttentionAlert> breaks = ofType(out.alerts, AlertType.POMODORO_BREAK);
        // period 1 from 09:00: the first activity at or after 09:25 is 09:28, a short break (1 % 2 cycles)
        // period 2 from 09:35 (the 7-min pause was a break): 10:03, a long break after cycle 2
        // period 3 from 10:05 is reset by the 7-min pause after 10:13; from 10:20: 10:48 (not 10:33)
        assertThat(breaks)
                .extracting(a -> a.getEventTime().toEpochMilli())
                .containsExactly(at(28, 0), at(63, 0), at(108, 0));
        assertThat(breaks)
                .extracting(a -> a.getThresholds().get("break_ms"))
                .containsExactly((double) minutes(5), (double) minutes(15), (double) minutes(5));
        assertThat(breaks).extracting(a -> a.getMetrics().get("cycle")).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void dwellThatCoversAPauseKeepsTheWorkPeriodGoing() {
        // 09:00 view a, 09:07 view b: a 7-min pause, as far as the clicks tell; the dwell of a that
        // ends at 09:07 (applied after the click of equal time) covers 09:00 to 09:07: no break.
        List<AttentionEvent> events = new ArrayList<>(List.of(
                blocks(at(-60, 0), pomodoroBlock()),
                view(U, "a", at(0, 0), TECH),
                view(U, "b", at(7, 0), TECH),
                dwell(U, "a", minutes(7), at(7, 0))));
        for (int m = 9; m <= 25; m += 2) {
            events.add(view(U, "i" + m, at(m, 0), TECH));
        }
        // the period from 09:00 is over at the first activity at or after 09:25; reset at 09:07 it would end at 09:32
        assertThat(ofType(run(processor(10), at(130, 0), events).alerts, AlertType.POMODORO_BREAK))
                .extracting(a -> a.getEventTime().toEpochMilli())
                .containsExactly(at(25, 0));
    }

    @Test
    void theDailyCapHoldsBackAlertsBeyondItAndCountsThem() {
        UserActivityProcessorTest.Recorded out = run(processor(2), at(130, 0), sprintViews());
        assertThat(ofType(out.alerts, AlertType.POMODORO_BREAK))
                .extracting(a -> a.getEventTime().toEpochMilli())
                .containsExactly(at(28, 0), at(63, 0));
        assertThat(out.counts).containsEntry(PipelineCounters.ALERTS_CAPPED, 1L);
    }

    @Test
    void anErasureClearsBlocksAndOpenOccurrences() {
        UserState st = UserState.newBuilder().build();
        UserActivityProcessor p = processor(10);
        UserActivityProcessorTest.Recorded out = new UserActivityProcessorTest.Recorded();
        for (AttentionEvent e : deepWorkMorning()) {
            EventOrder.insert(st.getPending(), e);
        }
        p.catchUp(st, U, at(20, 0), out);
        assertThat(st.getAttention().getOpenBlocks()).hasSize(1);
        assertThat(st.getAttention().getBlockTimeline()).hasSize(1);
        AttentionEvent erase = AttentionEvent.newBuilder()
                .setKind(EventKind.ERASURE)
                .setEventId("r1")
                .setUser(U)
                .setEventTime(at(21, 0))
                .build();
        p.control(st, U, erase, at(20, 0), false, out);
        assertThat(st.getAttention()).isNull();
        assertThat(out.erasures.get(0).getCleared()).contains("attention");
        p.catchUp(st, U, at(65, 0), out);
        assertThat(out.blockReports).isEmpty();
    }

    @Test
    void engagedTimeCountsByItsOverlapWithTheBlock() {
        // block 09:00 to 10:00. a: sports read 08:50 to 09:00 (dwell ending 09:00): no overlap.
        // b: technology read 09:50 to 10:00 (dwell ending at the block's end): 10 min in it.
        UserActivityProcessorTest.Recorded out = run(
                processor(10),
                at(70, 0),
                List.of(
                        blocks(at(-60, 0), oneOff("deep-work", at(0, 0), at(60, 0))),
                        view(U, "a", at(-10, 0), SPORTS),
                        dwell(U, "a", minutes(10), at(0, 0)),
                        view(U, "b", at(50, 0), TECH),
                        dwell(U, "b", minutes(10), at(60, 0))));
        assertThat(ofType(out.alerts, AlertType.DISTRACTED_IN_FOCUS_BLOCK)).isEmpty();
        assertThat(out.blockReports).hasSize(1);
        FocusBlockReport r = out.blockReports.get(0);
        assertThat(r.getEngagedMsByCategory()).isEqualTo(Map.of("technology", minutes(10)));
        assertThat(r.getViews()).isEqualTo(1);
        assertThat(r.getLongestFocusMs()).isEqualTo(minutes(10)); // 09:50 to the dwell's end at 10:00
    }

    @Test
    void aDwellReachingIntoTheBlockCountsItsPartInside() {
        // an 8-min sports read from 08:56 to 09:04: 4 of its minutes are inside the block, below the
        // 5-min threshold of DISTRACTED_IN_FOCUS_BLOCK
        UserActivityProcessorTest.Recorded out = run(
                processor(10),
                at(70, 0),
                List.of(
                        blocks(at(-60, 0), oneOff("deep-work", at(0, 0), at(60, 0))),
                        view(U, "a", at(-4, 0), SPORTS),
                        dwell(U, "a", minutes(8), at(4, 0))));
        assertThat(out.blockReports.get(0).getDistractionMs()).isEqualTo(minutes(4));
        assertThat(out.blockReports.get(0).getInterruptions()).isZero(); // the view started before the block
        assertThat(ofType(out.alerts, AlertType.DISTRACTED_IN_FOCUS_BLOCK)).isEmpty();
    }

    @Test
    void recordsSentAgainAndEmptyRecordsLeaveNoTimelineBehind() {
        UserState st = UserState.newBuilder().build();
        UserActivityProcessor p = processor(10);
        UserActivityProcessorTest.Recorded out = new UserActivityProcessorTest.Recorded();
        EventOrder.insert(st.getPending(), view(U, "a", at(0, 0), TECH));
        p.catchUp(st, U, at(1, 0), out);
        for (int i = 0; i < 1000; i++) { // the same record, the same updated_at: each replaces the one before
            p.control(st, U, blocks(at(2, 0), oneOff("b", at(10, 0), at(20, 0))), at(1, 0), false, out);
        }
        p.catchUp(st, U, at(3, 0), out);
        assertThat(st.getAttention().getBlockTimeline()).hasSize(1);
        // a record without blocks, then the watermark past both and the lateness: nothing left to keep
        p.control(
                st,
                U,
                AttentionEvent.newBuilder(blocks(at(30, 0))).setEventId("none").build(),
                at(3, 0),
                false,
                out);
        p.catchUp(st, U, at(24 * 60 + 60, 0), out);
        assertThat(st.getAttention() == null
                        || st.getAttention().getBlockTimeline().isEmpty())
                .isTrue();
    }

    @Test
    void aRecordBehindTheWatermarkIsCountedAndGovernsWhatComesAfter() {
        UserState st = UserState.newBuilder().build();
        UserActivityProcessor p = processor(10);
        UserActivityProcessorTest.Recorded out = new UserActivityProcessorTest.Recorded();
        for (AttentionEvent e : List.of(view(U, "a", at(0, 30), TECH), view(U, "b", at(2, 0), TECH))) {
            EventOrder.insert(st.getPending(), e);
        }
        p.catchUp(st, U, at(4, 0), out);
        p.control(st, U, blocks(at(0, 0), oneOff("late", at(0, 0), at(60, 0))), at(4, 0), false, out);
        EventOrder.insert(st.getPending(), view(U, "c", at(6, 0), TECH));
        p.catchUp(st, U, at(70, 0), out);
        assertThat(out.counts).containsEntry(PipelineCounters.FOCUS_BLOCKS_LATE, 1L);
        assertThat(out.blockReports.get(0).getViews()).isEqualTo(1); // only c: a and b were applied before it
    }

    static List<AttentionAlert> ofType(List<AttentionAlert> alerts, AlertType type) {
        return alerts.stream().filter(a -> a.getType() == type).toList();
    }
}
