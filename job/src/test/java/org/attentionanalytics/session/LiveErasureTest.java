package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.budget;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.TopicWeight;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * The live topic around erasures, control records and checkpoints (DESIGN.md sections 6 and 9):
 * it ends as the final topic does, an erased key leaves no state, and a checkpoint sends what the
 * throttle holds.
 */
class LiveErasureTest {
    private static final String U = "u1";

    private static UserActivityFunction function(Duration live) {
        return new UserActivityFunction(minutes(30), minutes(240), minutes(5), minutes(10), minutes(7 * 24 * 60))
                .withLiveVectors(live, Duration.ZERO);
    }

    private static InterestVectorUpdate last(List<InterestVectorUpdate> records) {
        return records.get(records.size() - 1);
    }

    private static List<String> topics(InterestVectorUpdate u) {
        return u.getVector().getTop().stream().map(TopicWeight::getTopic).toList();
    }

    /**
     * A bounded run's erasure applies at its requested_at in event time, after the live records of
     * the views before and after it went out: the tombstone is followed by the vector of the view
     * after it (news), as on the final topic.
     */
    @Test
    void afterAnEventTimeErasureTheLaterEventsVectorFollowsTheTombstone() throws Exception {
        try (SessionHarness h = new SessionHarness(function(Duration.ZERO).withErasureInEventTime(true))) {
            h.watermark(T0 - 1);
            h.send(view(U, "a", T0, "sports"));
            h.send(ErasureTest.erasure(U, "req-1", T0 + 1_000));
            h.send(view(U, "b", T0 + 2_000, "news"));
            h.watermark(T0 + minutes(300));

            List<InterestVectorUpdate> live = h.liveVectorRecords();
            assertThat(last(h.vectorRecords()).getVector()).isNotNull();
            assertThat(live.get(live.size() - 2).getVector()).isNull();
            assertThat(topics(last(live))).containsExactly("news");
        }
    }

    /** After a tombstone the next vector goes out, even when it equals the last one before it. */
    @Test
    void theFirstVectorAfterATombstoneIsNeverSkippedAsUnchanged() throws Exception {
        try (SessionHarness h = new SessionHarness(function(Duration.ofSeconds(10)))) {
            h.processingTime(10_000);
            h.watermark(T0 - 1);
            h.send(view(U, "a", T0, "sports"));
            h.send(ErasureTest.erasure(U, "req-1", T0 + 1_000)); // a live job: at once
            h.send(view(U, "b", T0 + 2_000, "sports")); // held: within 10 s of the first
            h.clockOnly(20_000);

            List<InterestVectorUpdate> live = h.liveVectorRecords();
            assertThat(live).hasSize(3);
            assertThat(live.get(1).getVector()).isNull();
            assertThat(topics(live.get(2))).containsExactly("sports");
        }
    }

    /**
     * A live job's erasure while the user's live record is held with a live recommendation request
     * made from the views before it: the request is dropped, so no list from those views follows
     * the tombstone. Signals: the first view's request (sent at once), the VIEW as the watermark
     * passes it, the ERASED; nothing after.
     */
    @Test
    void anErasureDropsTheHeldLiveRecommendationRequest() throws Exception {
        try (SessionHarness h =
                new SessionHarness(function(Duration.ofSeconds(10)).withItemSignals(true))) {
            h.processingTime(10_000);
            h.watermark(T0 - 1);
            h.send(view(U, "a", T0, "sports"));
            h.watermark(T0 + 1_000);
            h.send(view(U, "b", T0 + 2_000, "news")); // held, with its request
            h.send(ErasureTest.erasure(U, "req-1", T0 + 3_000));
            h.clockOnly(25_000);

            // the view of a, applied, and its interest vector (INTERESTS); b's live request and view never go out
            assertThat(h.itemSignals())
                    .extracting(ItemSignal::getKind)
                    .containsExactly(
                            ItemSignalKind.LIVE_VIEW,
                            ItemSignalKind.VIEW,
                            ItemSignalKind.INTERESTS,
                            ItemSignalKind.ERASED);
        }
    }

    /** A held user's live record read between an erasure and the next barrier writes no state back. */
    @Test
    void anErasedUserReadForTheLiveTopicLeavesNoState() throws Exception {
        try (SessionHarness h = new SessionHarness(function(Duration.ofSeconds(10)))) {
            h.processingTime(10_000);
            h.watermark(T0 - 1);
            h.send(view(U, "a", T0, "sports"));
            h.watermark(T0 + 1_000);
            h.send(view(U, "b", T0 + 2_000, "news")); // held
            h.send(ErasureTest.erasure(U, "req-1", T0 + 3_000));
            h.clockOnly(25_000); // the held user's turn, no barrier since the erasure

            assertThat(last(h.liveVectorRecords()).getVector()).isNull();
            assertThat(h.stateKeys()).isEmpty();
        }
    }

    /** A checkpoint barrier sends the held records first: a restore from it loses none (at least once). */
    @Test
    void aCheckpointSendsWhatTheThrottleHolds() throws Exception {
        try (SessionHarness h = new SessionHarness(function(Duration.ofSeconds(10)))) {
            h.processingTime(10_000);
            h.watermark(T0 - 1);
            h.send(view(U, "a", T0, "sports"));
            h.send(view(U, "b", T0 + 1_000, "news")); // held
            assertThat(h.liveVectorRecords()).hasSize(1);
            h.snapshot(1);
            assertThat(h.liveVectorRecords()).hasSize(2);
            assertThat(topics(last(h.liveVectorRecords()))).containsExactlyInAnyOrder("sports", "news");
        }
    }

    /** A waiting budget or erasure does not move the live vector's as_of: only events do. */
    @Test
    void aWaitingControlRecordDoesNotMoveAsOf() throws Exception {
        try (SessionHarness h = new SessionHarness(function(Duration.ZERO).withErasureInEventTime(true))) {
            h.watermark(T0 - 1);
            h.send(budget(U, T0 + minutes(60), "UTC", true, Map.of("sports", 10L)));
            h.send(ErasureTest.erasure(U, "req-1", T0 + minutes(90)));
            h.send(view(U, "a", T0, "sports"));
            assertThat(last(h.liveVectorRecords()).getVector().getAsOf().toEpochMilli())
                    .isEqualTo(T0);
        }
    }
}
