package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemMessageKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.attentionanalytics.avro.internal.RecsHistory;
import org.junit.jupiter.api.Test;

/** Edge cases of the recommendations (DESIGN.md section 12) in the engines and in the operator harness on RocksDB: erasure timing, snapshots, session bounds, late views. */
class RecommendationEdgeCasesTest {
    static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 60_000); // a whole minute
    static final long H = 7 * 86_400_000L;
    static final long LATENESS = 300_000;
    static final long GAP = 1_800_000;
    /** size 10, lists after every view, no exclusion, kMax/fMax large. */
    static final RecsSettings SETTINGS = new RecsSettings(10, 0, 0, H, 100, 500, 1000, 5, LATENESS, true);

    static ItemSignal view(String item, String session, long t) {
        return ItemSignal.newBuilder()
                .setUser("u")
                .setKind(ItemSignalKind.VIEW)
                .setTime(t)
                .setSessionId(session)
                .setItemId(item)
                .setCounted(true)
                .setItemCount(1)
                .build();
    }

    static ItemSignal signal(ItemSignalKind kind, String session, long t) {
        return ItemSignal.newBuilder()
                .setUser("u")
                .setKind(kind)
                .setTime(t)
                .setSessionId(session)
                .build();
    }

    static final class Capture implements UserHistory.Out {
        final List<ItemMessage> toItems = new ArrayList<>();
        final List<RankMessage> toRanking = new ArrayList<>();
        final List<NeighbourhoodMessage> toBuckets = new ArrayList<>();

        @Override
        public void toItem(ItemMessage message) {
            toItems.add(message);
        }

        @Override
        public void toRanking(RankMessage message) {
            toRanking.add(message);
        }

        @Override
        public void toBucket(NeighbourhoodMessage message) {
            toBuckets.add(message);
        }

        List<ItemMessage> pairs() {
            return toItems.stream()
                    .filter(m -> m.getKind() == ItemMessageKind.PAIR)
                    .toList();
        }
    }

    static List<RankMessage> toRanking(KeyedOneInputStreamOperatorTestHarness<String, ItemSignal, ItemMessage> h) {
        return h.getSideOutput(UserHistoryFunction.TO_RANKING).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ItemSignal, ItemMessage> history() throws Exception {
        return RecsHarnesses.history(SETTINGS);
    }

    /**
     * Bounded run, erasure in event time at T0+1 s; a view at T0+2 s is after it and must survive
     * ("drops the user's signals still on their way from before it"). The VIEW comes through the
     * item gate and the ERASED signal straight from the per-user operator: two channels, so either
     * may arrive first. The outcome must not depend on which.
     */
    @Test
    void aViewAfterTheErasureSurvivesWhicheverArrivesFirst() throws Exception {
        List<RankMessage> erasedFirst;
        try (var h = history()) {
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            h.processElement(new StreamRecord<>(view("b", "s", T0 + 2_000), T0 + 2_000));
            h.processWatermark(T0 + 2_000);
            erasedFirst = toRanking(h);
        }
        List<RankMessage> viewFirst;
        try (var h = history()) {
            h.processElement(new StreamRecord<>(view("b", "s", T0 + 2_000), T0 + 2_000));
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            h.processWatermark(T0 + 2_000);
            viewFirst = toRanking(h);
        }
        assertThat(erasedFirst)
                .extracting(RankMessage::getKind)
                .containsExactly(RankMessageKind.ERASED, RankMessageKind.REQUEST);
        assertThat(viewFirst)
                .extracting(RankMessage::getKind)
                .isEqualTo(List.of(RankMessageKind.ERASED, RankMessageKind.REQUEST));
    }

    /**
     * The popularity snapshots reach the ranking through a shorter path (item gate, popular items,
     * broadcast) than the requests' answers (item gate, user history, item rows): when the
     * watermark jumps (a bounded run's in-memory input, a catch-up after downtime) the snapshots of
     * later minutes arrive before the ranking's watermark passes an earlier request. The contract:
     * "the popularity snapshot used is the latest at or before t".
     */
    @Test
    void aRequestUsesTheSnapshotInForceAtItsTimeEvenIfLaterSnapshotsArrivedFirst() throws Exception {
        assertThat(rankWithSnapshots(false)).as("control: no later snapshot").hasSize(1);
        List<RecommendationUpdate> out = rankWithSnapshots(true);
        assertThat(out).hasSize(1);
        Recommendation list = out.get(0).getRecommendation();
        assertThat(list.getItems()).singleElement().satisfies(i -> {
            assertThat(i.getItemId()).isEqualTo("a");
            assertThat(i.getReason()).isEqualTo(RecommendationReason.POPULAR);
            assertThat(i.getScore()).isCloseTo(2.0, within(1e-9));
        });
    }

    static List<RecommendationUpdate> rankWithSnapshots(boolean later) throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            h.processBroadcastElement(RecsHarnesses.broadcast(snapshot(T0 + 60_000, "a", 2)), T0 + 60_000);
            if (later) {
                h.processBroadcastElement(
                        RecsHarnesses.broadcast(snapshot(T0 + 1_860_000, "d", 1)), T0 + 1_860_000); // 31 min later
            }
            h.processElement(
                    RankMessage.newBuilder()
                            .setUser("u3")
                            .setKind(RankMessageKind.REQUEST)
                            .setTime(T0 + 90_000)
                            .setAsOf(T0 + 90_000)
                            .build(),
                    T0 + 90_000);
            h.processWatermark(T0 + 90_000);
            h.processBroadcastWatermark(T0 + 1_860_000);
            return h.extractOutputValues();
        }
    }

    static PopularItems snapshot(long t, String item, double count) {
        return PopularItems.newBuilder()
                .setTime(t)
                .setReferenceTime(t)
                .setItems(new ArrayList<>(List.of(item)))
                .setCounts(new ArrayList<>(List.of(count)))
                .build();
    }

    /**
     * DESIGN.md section 12: a counted view pairs, with the session's last {@value
     * RecsSettings#PAIR_WINDOW} counted items, when it is the first of its item among the session's
     * last {@value RecsSettings#SESSION_ITEMS} counted items (the bound on a session's state). A
     * repeat within them never pairs again; one after 20 other items does (the documented cost of the
     * bound): 2 x 10 pair messages.
     */
    @Test
    void aRepeatAmongTheSessionsLastTwentyItemsNeverPairsAgain() {
        UserHistory engine = new UserHistory(SETTINGS);
        RecsHistory h = UserHistory.empty();
        Capture out = new Capture();
        for (int i = 0; i < 10; i++) {
            engine.apply(h, "u", T0 + i * 1_000L, List.of(view("i" + i, "s", T0 + i * 1_000L)), out);
        }
        out.toItems.clear();
        engine.apply(h, "u", T0 + 20_000, List.of(view("i0", "s", T0 + 20_000)), out);
        assertThat(out.pairs()).as("a repeat of i0 among the 10 kept").isEmpty();
        for (int i = 10; i <= RecsSettings.SESSION_ITEMS; i++) {
            long t = T0 + 30_000 + i * 1_000L;
            engine.apply(h, "u", t, List.of(view("i" + i, "s", t)), out);
        }
        out.toItems.clear();
        long t = T0 + 200_000;
        engine.apply(h, "u", t, List.of(view("i0", "s", t)), out);
        assertThat(out.pairs())
                .as("i0 pushed out of the last 20: it pairs again")
                .hasSize(2 * RecsSettings.PAIR_WINDOW);
    }

    /**
     * A late view (within the allowed lateness) that extends a session that already closed keeps
     * the session's id (SessionTracker: "a new CLOSED record under the same id"). The history forgot
     * the session's counted items at its first close, so the late view of c pairs with nothing
     * although a and b were viewed in the same session.
     */
    @Test
    void aLateViewExtendingAClosedSessionPairsWithTheSessionsItems() {
        UserHistory engine = new UserHistory(SETTINGS);
        RecsHistory h = UserHistory.empty();
        Capture out = new Capture();
        engine.apply(h, "u", T0, List.of(view("a", "s", T0)), out);
        engine.apply(h, "u", T0 + 60_000, List.of(view("b", "s", T0 + 60_000)), out);
        long close = T0 + 60_000 + GAP;
        engine.apply(h, "u", close, List.of(signal(ItemSignalKind.SESSION_CLOSED, "s", close)), out);
        out.toItems.clear();
        long late = close - 120_000; // 2 min before the close: within the 5 min lateness
        engine.apply(h, "u", late, List.of(view("c", "s", late)), out); // the late path: applied at once
        assertThat(out.pairs()).extracting(ItemMessage::getOther).containsExactlyInAnyOrder("a", "c", "b", "c");
    }

    /**
     * minimum interval 10 s: a at T0 gets a list, b at T0+5 s is held; a late view c at T0+2 s
     * (applied at once) replaces the held as_of with an older time, so the list the session's close
     * releases is dated T0+2 s, not the held view's T0+5 s, and c weighs as the most recent item.
     */
    @Test
    void aLateViewDoesNotMoveTheHeldListBackInTime() {
        RecsSettings settings = new RecsSettings(10, 10_000, 0, H, 100, 500, 1000, 5, LATENESS, true);
        UserHistory engine = new UserHistory(settings);
        RecsHistory h = UserHistory.empty();
        Capture out = new Capture();
        engine.apply(h, "u", T0, List.of(view("a", "s", T0)), out);
        engine.apply(h, "u", T0 + 5_000, List.of(view("b", "s", T0 + 5_000)), out);
        engine.apply(h, "u", T0 + 2_000, List.of(view("c", "s", T0 + 2_000)), out);
        long close = T0 + 5_000 + GAP;
        out.toRanking.clear();
        out.toItems.clear();
        engine.apply(h, "u", close, List.of(signal(ItemSignalKind.SESSION_CLOSED, "s", close)), out);
        assertThat(out.toRanking)
                .singleElement()
                .satisfies(r -> assertThat(r.getAsOf()).isEqualTo(T0 + 5_000));
        ItemMessage first = out.toItems.stream()
                .filter(m -> m.getKind() == ItemMessageKind.QUERY)
                .max((x, y) -> Double.compare(x.getWeight(), y.getWeight()))
                .orElseThrow();
        assertThat(first.getItem()).as("the most heavily weighted context item").isEqualTo("b");
    }

    /** A user with thousands of views in one session: the state stays bounded and nothing throws. */
    @Test
    void thousandsOfViewsInOneSessionStayBounded() {
        UserHistory engine = new UserHistory(SETTINGS);
        RecsHistory h = UserHistory.empty();
        Capture out = new Capture();
        for (int i = 0; i < 5_000; i++) {
            long t = T0 + i * 100L;
            engine.apply(h, "u", t, List.of(view("i" + (i % 700), "s", t)), out);
            out.toItems.clear();
            out.toRanking.clear();
        }
        assertThat(h.getRecentItems()).hasSizeLessThanOrEqualTo(RecsSettings.RECENT_ITEMS);
        assertThat(h.getSessions().get(0).getItems()).hasSizeLessThanOrEqualTo(RecsSettings.SESSION_ITEMS);
        assertThat(h.getCounted()).isLessThanOrEqualTo(SETTINGS.maxUserInteractions() + 1);
    }

    /**
     * A bounded run (or a live catch-up) lets the watermark jump: the erasure at T0+1 s arrives
     * first (straight from the per-user operator), the user's views from before it (a, b) come later
     * through the item gate and wait. The erasure takes effect at its time, after them: a's and b's
     * lists go out (lists after every view here), then the erasure; and it is not forgotten when the
     * watermark jumps past it plus the lateness: a view from before it arriving after that (late,
     * c) is still dropped, until the erasure's own clean-up timer ends it.
     */
    @Test
    void viewsFromBeforeAnErasureGoBeforeItAndLateOnesStayDroppedWhenTheWatermarkJumps() throws Exception {
        try (var h = history()) {
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            h.processElement(new StreamRecord<>(view("a", "s", T0 + 100), T0 + 100));
            h.processElement(new StreamRecord<>(view("b", "s", T0 + 200), T0 + 200));
            h.processWatermark(T0 + 1_000 + LATENESS);
            assertThat(toRanking(h))
                    .extracting(m -> m.getKind() + "@" + (m.getTime() - T0))
                    .containsExactly("REQUEST@100", "REQUEST@200", "ERASED@1000");
            int toItems = h.extractOutputValues().size();
            h.processElement(new StreamRecord<>(view("c", "s", T0 + 300), T0 + 300)); // late
            assertThat(h.extractOutputValues()).as("c: dropped").hasSize(toItems);
            assertThat(toRanking(h)).hasSize(3);
        }
    }

    /**
     * {@code --sessions client}: a client session closes after the gap and reopens under the same id
     * when another of its events comes (SessionTracker). The history forgot its counted items at the
     * close, so a second view of b in the same session pairs with a again: C(a, b) counts 2 for one
     * session ("a counted view of item b, the first of b in its session").
     */
    @Test
    void aReopenedClientSessionDoesNotPairItsItemsTwice() {
        UserHistory engine = new UserHistory(SETTINGS);
        RecsHistory h = UserHistory.empty();
        Capture out = new Capture();
        engine.apply(h, "u", T0, List.of(view("a", "sess-b", T0)), out);
        engine.apply(h, "u", T0 + 60_000, List.of(view("b", "sess-b", T0 + 60_000)), out);
        long close = T0 + 60_000 + GAP;
        engine.apply(h, "u", close, List.of(signal(ItemSignalKind.SESSION_CLOSED, "sess-b", close)), out);
        long reopen = T0 + 86_400_000L;
        engine.apply(h, "u", reopen, List.of(view("a", "sess-b", reopen)), out);
        out.toItems.clear();
        engine.apply(h, "u", reopen + 60_000, List.of(view("b", "sess-b", reopen + 60_000)), out);
        assertThat(out.pairs())
                .as("pairs of a second view of b in session sess-b")
                .isEmpty();
    }

    /**
     * With {@code --recs.min-interval 0s} (evaluate's setting) a late view at the very millisecond
     * of the user's last list joins the history without a second request for that time: two
     * requests of one time would meet in one timer of the ranking and sum each other's answers.
     * A later view asks again, with the late one in its context.
     */
    @Test
    void aLateViewAtTheTimeOfTheLastListAsksForNoSecondList() {
        RecsSettings everyView = new RecsSettings(3, 0, 0, 86_400_000L, 10, 100, 100, 5, LATENESS, true);
        UserHistory engine = new UserHistory(everyView);
        RecsHistory h = UserHistory.empty();
        Capture out = new Capture();
        engine.apply(h, "u", T0, List.of(view("a", "s", T0)), out);
        engine.apply(h, "u", T0, List.of(view("b", "s", T0)), out); // late, same millisecond
        assertThat(out.toRanking).extracting(RankMessage::getKind).containsExactly(RankMessageKind.REQUEST);
        engine.apply(h, "u", T0 + 1, List.of(view("c", "s", T0 + 1)), out);
        assertThat(out.toRanking).hasSize(2);
        assertThat(h.getRecentItems()).containsExactly("c", "a", "b");
    }
}
