package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.BlockSpec;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * Focus blocks in the per-user operator on RocksDB (DESIGN.md section 13): a weekly block does not
 * keep an inactive user's state alive, and a block across midnight in Europe/Berlin is one
 * occurrence with one report while the daily reports split at local midnight.
 */
class FocusBlocksStateTest {
    private static final String U = "u1";

    private static AttentionEvent blocks(long updatedAt, String zone, BlockSpec spec) {
        return AttentionEvent.newBuilder()
                .setKind(EventKind.FOCUS_BLOCKS)
                .setEventId("fb" + updatedAt)
                .setUser(U)
                .setEventTime(updatedAt)
                .setTimeZone(zone)
                .setFocusBlocks(List.of(spec))
                .build();
    }

    private static BlockSpec weekly(String name, List<Integer> days, int startMinute, int endMinute) {
        return BlockSpec.newBuilder()
                .setName(name)
                .setDays(days)
                .setLocalStartMinute(startMinute)
                .setLocalEndMinute(endMinute)
                .build();
    }

    @Test
    void aWeeklyBlockDoesNotKeepAnInactiveUsersStateAlive() throws Exception {
        UserActivityFunction f = new UserActivityFunction(
                        minutes(30), minutes(720), minutes(5), minutes(60), minutes(7 * 24 * 60))
                .withStateTtl(Duration.ofMinutes(10));
        try (SessionHarness h = new SessionHarness(f)) {
            h.processingTime(0);
            // every day 06:00 to 22:00 UTC; one view on Monday 2025-01-06 at 09:00 (T0)
            h.send(blocks(at(-120, 0), null, weekly("days", List.of(1, 2, 3, 4, 5, 6, 7), 360, 1320)));
            h.send(view(U, "a", at(0, 0), "news.technology"));
            // eight weeks of event time pass without the user
            h.watermark(at(0, 0) + Duration.ofDays(56).toMillis());
            // one report: the occurrence with activity (Monday 06:00 to 22:00); none for the 55 empty ones
            assertThat(h.blockReports())
                    .extracting(FocusBlockReport::getStart)
                    .containsExactly(Instant.parse("2025-01-06T06:00:00Z"));
            assertThat(h.eventTimeTimers())
                    .as("no timer waits for a later occurrence")
                    .isZero();
            // the TTL counts from the last write (the watermark's flush at processing time 0)
            h.processingTime(Duration.ofMinutes(11).toMillis());
            assertThat(h.state(U)).isNull();
            h.watermark(at(0, 0) + Duration.ofDays(365).toMillis());
            assertThat(h.blockReports()).hasSize(1);
        }
    }

    @Test
    void aBlockAcrossMidnightInBerlinIsOneOccurrenceAndTwoDays() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            // Sundays 22:00 to 02:00 Berlin (CET, UTC+1): Sunday 2025-01-05 21:00Z to Monday 01:00Z.
            // Views at 23:50 and 00:10 local (22:50Z, 23:10Z), each read 5 min; events carry the zone.
            h.send(blocks(at(-24 * 60, 0), "Europe/Berlin", weekly("night", List.of(7), 22 * 60, 2 * 60)));
            long v1 = Instant.parse("2025-01-05T22:50:00Z").toEpochMilli();
            long v2 = Instant.parse("2025-01-05T23:10:00Z").toEpochMilli();
            h.send(
                    org.attentionanalytics.testutil.Events.inZone(view(U, "a", v1, "news.technology"), "Europe/Berlin"),
                    org.attentionanalytics.testutil.Events.inZone(
                            dwell(U, "a", minutes(5), v1 + minutes(5)), "Europe/Berlin"),
                    org.attentionanalytics.testutil.Events.inZone(view(U, "b", v2, "news.sports"), "Europe/Berlin"),
                    org.attentionanalytics.testutil.Events.inZone(
                            dwell(U, "b", minutes(5), v2 + minutes(5)), "Europe/Berlin"));
            h.watermark(Instant.parse("2025-01-07T12:00:00Z").toEpochMilli());
            assertThat(h.blockReports()).hasSize(1);
            FocusBlockReport r = h.blockReports().get(0);
            assertThat(r.getStart()).isEqualTo(Instant.parse("2025-01-05T21:00:00Z"));
            assertThat(r.getEnd()).isEqualTo(Instant.parse("2025-01-06T01:00:00Z"));
            assertThat(r.getZone()).isEqualTo("Europe/Berlin");
            assertThat(r.getViews()).isEqualTo(2);
            assertThat(r.getFocusMs()).isEqualTo(minutes(5));
            assertThat(r.getDistractionMs()).isEqualTo(minutes(5));
            assertThat(r.getContextSwitches()).isEqualTo(1);
            // the technology run: 23:50 to the end of its dwell 23:55 (the sports view at 00:10 is 15 min later)
            assertThat(r.getLongestFocusMs()).isEqualTo(minutes(5));
            // local days: Sunday 2025-01-05 has the technology view, Monday the sports one
            assertThat(h.reports())
                    .extracting(d -> d.getDate().toString(), d -> d.getFocusMs(), d -> d.getDistractionMs())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("2025-01-05", minutes(5), 0L),
                            org.assertj.core.groups.Tuple.tuple("2025-01-06", 0L, minutes(5)));
        }
    }
}
