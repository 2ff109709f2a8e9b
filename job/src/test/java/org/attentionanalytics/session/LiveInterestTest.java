package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.click;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * The live interest vector (DESIGN.md section 6) through the per-user operator on RocksDB: the
 * settled vector plus the waiting events' signals, hand-computed; revised by a late event; paced by
 * {@code --live.min-interval}; the final vectors the same with or without it.
 */
class LiveInterestTest {
    private static final String U = "u1";
    private static final long H = minutes(7 * 24 * 60);
    private static final long DAY = minutes(24 * 60);

    private static SessionHarness harness(Duration liveInterval) throws Exception {
        return new SessionHarness(new UserActivityFunction(minutes(30), minutes(240), minutes(5), minutes(10), H)
                .withLiveVectors(liveInterval, Duration.ZERO));
    }

    private static Map<String, Double> top(InterestVector v) {
        return v.getTop().stream().collect(Collectors.toMap(TopicWeight::getTopic, TopicWeight::getWeight));
    }

    private static InterestVector lastLive(SessionHarness h) {
        List<InterestVectorUpdate> live = h.liveVectorRecords();
        return live.get(live.size() - 1).getVector();
    }

    /**
     * DESIGN.md section 6's worked example, every event still waiting for the watermark: the live
     * vector is the example's (news 0.93633, sports 0.35111, norm 4.27190), and once the watermark
     * has passed, the final vector is too.
     */
    @Test
    void theWorkedExampleWhileItsEventsWait() throws Exception {
        long week = 7 * DAY;
        try (SessionHarness h = harness(Duration.ZERO)) {
            h.watermark(T0 - 1);
            h.send(view(U, "a", T0, "sports"), dwell(U, "a", 30_000, T0 + 30_000));
            h.send(view(U, "b", T0 + week, "news"), dwell(U, "b", 70_000, T0 + week + 70_000));
            assertThat(h.vectors()).isEmpty(); // nothing final yet

            InterestVector live = lastLive(h);
            assertThat(live.getAsOf().toEpochMilli()).isEqualTo(T0 + week + 70_000);
            assertThat(top(live).get("news")).isCloseTo(0.93633, within(1e-5));
            assertThat(top(live).get("sports")).isCloseTo(0.35111, within(1e-5));
            assertThat(live.getNorm()).isCloseTo(4.27190, within(1e-5));
            assertThat(live.getEventsCounted()).isEqualTo(4);
            assertThat(h.liveVectorRecords()).hasSize(4); // one per event at interval 0

            h.watermark(T0 + week + minutes(60));
            InterestVector settled = h.vectors().stream()
                    .filter(v -> v.getAsOf().toEpochMilli() == T0 + week + 70_000)
                    .findFirst()
                    .orElseThrow();
            assertThat(top(settled).get("news")).isCloseTo(top(live).get("news"), within(1e-12));
            assertThat(settled.getNorm()).isCloseTo(live.getNorm(), within(1e-9));
        }
    }

    /**
     * A waiting dwell of a settled view starts from the view's engaged time: view at T0, 30 s of
     * dwell at T0+30s (applied), 30 s more at T0+75s (waiting). The waiting one adds log2(1 + 60/10)
     * - log2(1 + 30/10) = log2(7/4); at as_of T0+75s, w = 1 * 2^(-75s/H) + 2 * 2^(-45s/H) + log2(7/4).
     */
    @Test
    void aWaitingDwellStartsFromItsSettledViewsEngagedTime() throws Exception {
        try (SessionHarness h = harness(Duration.ZERO)) {
            h.send(view(U, "a", T0, "sports"), dwell(U, "a", 30_000, T0 + 30_000));
            h.watermark(T0 + 45_000);
            h.send(dwell(U, "a", 30_000, T0 + 75_000));

            InterestVector live = lastLive(h);
            double w = Math.pow(2, -75_000.0 / H) + 2 * Math.pow(2, -45_000.0 / H) + Math.log(7.0 / 4) / Math.log(2);
            assertThat(live.getAsOf().toEpochMilli()).isEqualTo(T0 + 75_000);
            assertThat(live.getNorm()).isCloseTo(w, within(1e-9));
            assertThat(top(live)).containsOnlyKeys("sports");
            assertThat(live.getEventsCounted()).isEqualTo(3);
        }
    }

    /**
     * A late event (behind the watermark, within the allowed lateness) revises the live vector:
     * sports at T0 applied, then news at T0-10s arrives late; the live vector has both topics with
     * equal weight up to the decay between them. The final vectors are those of a run without live
     * vectors.
     */
    @Test
    void aLateEventRevisesTheLiveVectorAndTheFinalOnesStayAsTheyWere() throws Exception {
        List<InterestVector> finals;
        try (SessionHarness without = harness(null)) {
            run(without);
            finals = without.vectors();
            assertThat(without.liveVectorRecords()).isEmpty();
        }
        try (SessionHarness h = harness(Duration.ZERO)) {
            run(h);
            assertThat(h.vectors()).isEqualTo(finals);
            List<InterestVectorUpdate> live = h.liveVectorRecords();
            assertThat(top(live.get(0).getVector())).containsOnlyKeys("sports");
            InterestVector revised = live.get(live.size() - 1).getVector();
            // weights at as_of T0: sports 1, news 2^(-10s/H); unit vector over the two
            double news = Math.pow(2, -10_000.0 / H);
            double norm = Math.sqrt(1 + news * news);
            assertThat(revised.getAsOf().toEpochMilli()).isEqualTo(T0);
            assertThat(top(revised).get("sports")).isCloseTo(1 / norm, within(1e-12));
            assertThat(top(revised).get("news")).isCloseTo(news / norm, within(1e-12));
            assertThat(revised.getNorm()).isCloseTo(norm, within(1e-12));
        }
    }

    private static void run(SessionHarness h) throws Exception {
        h.send(view(U, "a", T0, "sports"));
        h.watermark(T0 + 1_000);
        h.send(view(U, "b", T0 - 10_000, "news")); // late: applied at once
        h.watermark(T0 + minutes(60));
    }

    /**
     * At most one live record per user per --live.min-interval of processing time: the second
     * event within the second is held and goes out, with both events, when the second has passed.
     */
    @Test
    void theMinIntervalHoldsASecondRecordUntilItHasPassed() throws Exception {
        try (SessionHarness h = harness(Duration.ofSeconds(1))) {
            h.processingTime(10_000);
            h.send(view(U, "a", T0, "sports"));
            assertThat(h.liveVectorRecords()).hasSize(1);
            h.send(view(U, "b", T0 + 1_000, "news"));
            assertThat(h.liveVectorRecords()).hasSize(1);
            h.clockOnly(10_999); // no checkpoint between: one would send the held record
            assertThat(h.liveVectorRecords()).hasSize(1);
            h.clockOnly(11_000);
            assertThat(h.liveVectorRecords()).hasSize(2);
            InterestVector both = lastLive(h);
            assertThat(top(both)).containsOnlyKeys("sports", "news");
            assertThat(both.getEventsCounted()).isEqualTo(2);
        }
    }

    /**
     * With a 200 ms linger: the view at processing time 10,000 waits; its click 50 ms later joins it;
     * one record with both goes out at 10,200, and the next event, at 10,300, waits for the interval
     * (to 11,200).
     */
    @Test
    void theLingerSendsAViewAndItsClickInOneRecord() throws Exception {
        try (SessionHarness h =
                new SessionHarness(new UserActivityFunction(minutes(30), minutes(240), minutes(5), minutes(10), H)
                        .withLiveVectors(Duration.ofSeconds(1), Duration.ofMillis(200)))) {
            h.processingTime(10_000);
            h.send(view(U, "a", T0, "sports"));
            h.clockOnly(10_050);
            h.send(click(U, EventType.CLICK, "a", T0 + 500, "sports"));
            assertThat(h.liveVectorRecords()).isEmpty();
            h.clockOnly(10_199);
            assertThat(h.liveVectorRecords()).isEmpty();
            h.clockOnly(10_200);
            assertThat(h.liveVectorRecords()).singleElement().satisfies(r -> {
                assertThat(r.getVector().getEventsCounted()).isEqualTo(2);
                assertThat(r.getVector().getAsOf().toEpochMilli()).isEqualTo(T0 + 500);
            });
            h.clockOnly(10_300);
            h.send(view(U, "b", T0 + 2_000, "news"));
            h.clockOnly(11_199);
            assertThat(h.liveVectorRecords()).hasSize(1);
            h.clockOnly(11_200);
            assertThat(h.liveVectorRecords()).hasSize(2);
            assertThat(lastLive(h).getEventsCounted()).isEqualTo(3);
        }
    }

    /** An erasure writes a tombstone to the live topic too, after the user's live vectors. */
    @Test
    void anErasureWritesALiveTombstone() throws Exception {
        try (SessionHarness h = harness(Duration.ZERO)) {
            h.send(view(U, "a", T0, "sports"));
            h.send(ErasureTest.erasure(U, "req-1", T0 + 1_000));
            List<InterestVectorUpdate> live = h.liveVectorRecords();
            assertThat(live).hasSize(2);
            assertThat(live.get(0).getVector()).isNotNull();
            assertThat(live.get(1).getUser()).isEqualTo(U);
            assertThat(live.get(1).getVector()).isNull();
        }
    }
}
