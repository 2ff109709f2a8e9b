package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.io.DoorDecoder;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.session.EventOrder;
import org.attentionanalytics.session.SessionRules;
import org.attentionanalytics.session.UserActivityOutput;
import org.attentionanalytics.session.UserActivityProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first 40 minutes of {@code demo-focus-worker} through the job's own doors and per-user
 * engine (plain Java, the job's default options, the watermark stepped a minute at a time): the
 * focus-blocks record is accepted, and the block raises the alerts and the report the README
 * promises, at about the promised times.
 */
class FocusWorkerThroughTheEngineTest {
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final long MINUTE = 60_000;
    private static final long LATENESS_MS = 5 * MINUTE;

    @TempDir
    Path dir;

    @Test
    void theBlockRaisesTwoPomodoroBreaksADistractionAlertAndAReport() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "demo-test-key\n");
        DoorSettings settings = new DoorSettings(InputFormat.AVRO, 600_000, key.toString(), null, true);
        Map<String, DoorDecoder> doors = Map.of(
                DemoRecord.CLICKSTREAM, Doors.event(EventKind.CLICK, settings),
                DemoRecord.DWELL_TIME, Doors.event(EventKind.DWELL, settings),
                DemoRecord.FOCUS_BLOCKS, Doors.control(EventKind.FOCUS_BLOCKS, settings));
        doors.values().forEach(DoorDecoder::open);

        FakeClock clock = new FakeClock(START);
        DemoTraffic demo = new DemoTraffic(5, 1, clock, 0, true);
        UserState state = UserState.newBuilder().build();
        String user = null;
        long offset = 0;
        for (int second = 0; second < 45 * 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            for (DemoRecord r : demo.nextBatch()) {
                if (!r.key().equals("demo-focus-worker")) {
                    continue;
                }
                SourceRecord s = doors.get(r.topic())
                        .decode(
                                r.topic(),
                                0,
                                offset++,
                                r.key().getBytes(StandardCharsets.UTF_8),
                                r.value(),
                                clock.millis());
                assertThat(s.getDeadLetter()).as("%s", r).isNull();
                AttentionEvent e = s.getEvent();
                user = e.getUser();
                EventOrder.insert(state.getPending(), e);
            }
        }

        UserActivityProcessor engine = new UserActivityProcessor(
                SessionRules.defaults(30 * MINUTE, 720 * MINUTE, LATENESS_MS),
                60 * MINUTE,
                7 * 24 * 60 * MINUTE,
                AttentionSettings.defaults(30 * MINUTE, LATENESS_MS));
        Recorded out = new Recorded();
        for (long watermark = START.toEpochMilli();
                watermark <= START.toEpochMilli() + 45 * MINUTE;
                watermark += MINUTE) {
            out.now = watermark;
            engine.catchUp(state, user, watermark, out);
        }

        assertThat(out.blockReports).hasSize(1);
        FocusBlockReport report = out.blockReports.get(0);
        long blockStart = report.getStart().toEpochMilli();
        List<String> alerts = new ArrayList<>();
        for (AttentionAlert a : out.alerts) {
            alerts.add(a.getType() + " " + minutes(a.getEventTime().toEpochMilli() - blockStart));
            System.out.printf("%s at block minute %.1f: %s%n", a.getType(), minutesIn(a, blockStart), a.getMessage());
        }
        System.out.println("report " + report);

        assertThat(report.getName()).isEqualTo("deep-work");
        assertThat(report.getEnd().toEpochMilli() - blockStart).isEqualTo(30 * MINUTE);
        assertThat(report.getInterruptions()).isGreaterThan(2);
        assertThat(report.getFocusShare()).isBetween(0.6, 0.8);
        assertThat(report.getEngagedMsByCategory()).containsOnlyKeys("technology", "sports");
        // minute 10 (short break), 13 (5 min of sports), 26 (long break)
        assertThat(alerts)
                .containsExactly(
                        AlertType.POMODORO_BREAK + " 10",
                        AlertType.DISTRACTED_IN_FOCUS_BLOCK + " "
                                + minutes(firstAt(out, AlertType.DISTRACTED_IN_FOCUS_BLOCK) - blockStart),
                        AlertType.POMODORO_BREAK + " 26");
        assertThat(firstAt(out, AlertType.DISTRACTED_IN_FOCUS_BLOCK) - blockStart)
                .isBetween(13 * MINUTE, 15 * MINUTE);
        // the report once the watermark (stepped by minutes) passes the end plus the allowed lateness
        assertThat(out.reportAt - blockStart).isBetween(35 * MINUTE, 36 * MINUTE);
        assertThat(out.alerts.get(0).getMessage()).containsIgnoringCase("short");
        assertThat(out.alerts.get(2).getMessage()).containsIgnoringCase("long");
    }

    private static long firstAt(Recorded out, AlertType type) {
        return out.alerts.stream()
                .filter(a -> a.getType() == type)
                .findFirst()
                .orElseThrow()
                .getEventTime()
                .toEpochMilli();
    }

    private static long minutes(long ms) {
        return ms / MINUTE;
    }

    private static double minutesIn(AttentionAlert a, long blockStart) {
        return (a.getEventTime().toEpochMilli() - blockStart) / (double) MINUTE;
    }

    /** Keeps the alerts and block reports; the processing clock is the watermark. */
    private static final class Recorded implements UserActivityOutput {
        final List<AttentionAlert> alerts = new ArrayList<>();
        final List<FocusBlockReport> blockReports = new ArrayList<>();
        /** The watermark at the (last) block report. */
        long reportAt;

        final Map<String, Long> counts = new TreeMap<>();
        long now;

        @Override
        public void summary(SessionSummary summary) {}

        @Override
        public void pageView(PageView view) {}

        @Override
        public void vector(InterestVectorUpdate update) {}

        @Override
        public void alert(AttentionAlert alert) {
            alerts.add(alert);
        }

        @Override
        public void report(DailyAttentionReport report) {}

        @Override
        public void blockReport(FocusBlockReport report) {
            blockReports.add(report);
            reportAt = now;
        }

        @Override
        public void contribution(TrendContribution contribution) {}

        @Override
        public void erasure(ErasureConfirmation confirmation) {}

        @Override
        public void count(String metric, long n) {
            counts.merge(metric, n, Long::sum);
        }

        @Override
        public void openSessions(long delta) {}

        @Override
        public void deleteTimer(long time) {}

        @Override
        public long processingTime() {
            return now;
        }
    }
}
