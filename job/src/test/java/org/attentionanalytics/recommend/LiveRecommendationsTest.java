package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemMessageKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecsHistory;
import org.junit.jupiter.api.Test;

/**
 * The live side of the recommendations (DESIGN.md section 12, {@code recommendations-live}): the
 * history's live request ({@link UserHistory#liveRequest}) and the ranking's wait for its answers
 * ({@link LiveRequests}).
 */
class LiveRecommendationsTest {
    static final long H = UserHistoryTest.H;
    static final long T0 = UserHistoryTest.T0;

    final RecommendationEdgeCasesTest.Capture out = new RecommendationEdgeCasesTest.Capture();
    final List<ItemMessage> toItems = out.toItems;
    final List<RankMessage> toRanking = out.toRanking;
    /** {@link UserHistoryTest#SETTINGS}: exclude views of the last hour, half-life 1 d. */
    final UserHistory engine = new UserHistory(UserHistoryTest.SETTINGS);

    static ItemSignal view(String item, long t) {
        return UserHistoryTest.view(item, "s", t, 1);
    }

    static ItemSignal live(long id, List<String> items, List<Long> times, List<String> purchases) {
        return ItemSignal.newBuilder()
                .setUser("u")
                .setKind(ItemSignalKind.LIVE_VIEW)
                .setTime(times.get(0))
                .setItemId(items.get(0))
                .setLiveId(id)
                .setRecentItems(items)
                .setRecentTimes(times)
                .setWaitingPurchases(purchases)
                .build();
    }

    /**
     * Settled: views of a at T0, b at T0+1 d, and a purchase of p. Waiting: c at T0+2 d and a again
     * at T0+2 d - 1 h (its later view wins over the settled one). At t = T0+2 d the recent items are
     * c (r=0, weight 2^0 x 2^0 = 1), a (r=1, viewed 1 h before: 2^-1 x 2^(-1/24) = 0.48576), b (r=2,
     * 1 d before: 2^-2 x 2^-1 = 0.125). Excluded: c and a (viewed within the hour: a exactly 1 h
     * before is not, as t - viewedAt < 1 h fails), so c only, then the purchases q (waiting) and p.
     * The history does not change.
     */
    @Test
    void aLiveRequestAddsTheWaitingViewsToTheHistorysAndChangesNothing() {
        RecsHistory h = UserHistory.empty();
        engine.apply(h, "u", T0, List.of(view("a", T0)), out);
        engine.apply(h, "u", T0 + H, List.of(view("b", T0 + H)), out);
        engine.apply(
                h,
                "u",
                T0 + H + 1,
                List.of(ItemSignal.newBuilder()
                        .setUser("u")
                        .setKind(ItemSignalKind.PURCHASE)
                        .setTime(T0 + H + 1)
                        .setItemId("p")
                        .build()),
                out);
        String before = h.toString();
        toItems.clear();
        toRanking.clear();

        long t = T0 + 2 * H;
        engine.liveRequest(h, "u", live(7, List.of("c", "a"), List.of(t, t - 3_600_000), List.of("q")), List.of(), out);

        assertThat(h.toString()).isEqualTo(before);
        assertThat(toItems).extracting(ItemMessage::getItem).containsExactly("c", "a", "b");
        assertThat(toItems).allSatisfy(m -> {
            assertThat(m.getKind()).isEqualTo(ItemMessageKind.QUERY);
            assertThat(m.getLiveId()).isEqualTo(7);
            assertThat(m.getTime()).isEqualTo(t);
        });
        assertThat(toItems.get(0).getWeight()).isCloseTo(1.0, within(1e-12));
        assertThat(toItems.get(1).getWeight()).isCloseTo(0.5 * Math.pow(2, -1.0 / 24), within(1e-12));
        assertThat(toItems.get(1).getWeight()).isCloseTo(0.48576, within(1e-5));
        assertThat(toItems.get(2).getWeight()).isCloseTo(0.125, within(1e-12));
        assertThat(toRanking).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo(RankMessageKind.REQUEST);
            assertThat(r.getLiveId()).isEqualTo(7);
            assertThat(r.getExpected()).isEqualTo(3);
            assertThat(r.getAsOf()).isEqualTo(t);
            assertThat(r.getItems()).containsExactly("c", "q", "p");
        });
    }

    /**
     * A view the per-user operator has applied but the history has not yet (its VIEW signal waits
     * here for the history's watermark, which follows the slowest upstream subtask): it is a recent
     * item and excluded all the same. History: b at T0. Waiting here: VIEW of d at T0+10 min and a
     * PURCHASE of p. The LIVE_VIEW: c at T0+20 min. Recent items c (r=0), d (r=1), b (r=2);
     * excluded c, d, b (all within the hour), then p.
     */
    @Test
    void aViewWaitingInTheHistoryIsARecentItemAndExcluded() {
        RecsHistory h = UserHistory.empty();
        engine.apply(h, "u", T0, List.of(view("b", T0)), out);
        toItems.clear();
        toRanking.clear();
        long t = T0 + 1_200_000;
        List<ItemSignal> waitingHere = List.of(
                view("d", T0 + 600_000),
                ItemSignal.newBuilder()
                        .setUser("u")
                        .setKind(ItemSignalKind.PURCHASE)
                        .setTime(T0 + 600_001)
                        .setItemId("p")
                        .build());
        engine.liveRequest(h, "u", live(3, List.of("c"), List.of(t), List.of()), waitingHere, out);
        assertThat(toItems).extracting(ItemMessage::getItem).containsExactly("c", "d", "b");
        assertThat(toRanking)
                .singleElement()
                .satisfies(r -> assertThat(r.getItems()).containsExactly("c", "d", "b", "p"));
    }

    /** A LIVE_VIEW from before the user's erasure (its time not after erased_until) asks for nothing. */
    @Test
    void aLiveRequestFromBeforeAnErasureIsDropped() {
        RecsHistory h = UserHistory.erase(UserHistory.empty(), "u", T0, out);
        toRanking.clear();
        engine.liveRequest(h, "u", live(1, List.of("a"), List.of(T0), List.of()), List.of(), out);
        assertThat(toItems).isEmpty();
        assertThat(toRanking).isEmpty();
        engine.liveRequest(h, "u", live(2, List.of("a"), List.of(T0 + 1), List.of()), List.of(), out);
        assertThat(toRanking)
                .singleElement()
                .satisfies(r -> assertThat(r.getExpected()).isEqualTo(1));
    }

    static RankMessage request(long id, int expected) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.REQUEST)
                .setTime(T0)
                .setLiveId(id)
                .setExpected(expected)
                .build();
    }

    static RankMessage scores(long id, String item) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.SCORES)
                .setTime(T0)
                .setLiveId(id)
                .setItems(List.of(item))
                .setScores(List.of(1.0))
                .build();
    }

    /** Answers before and after their request, in any order: complete with the last of them. */
    @Test
    void aRequestCompletesWithItsLastAnswerWhicheverArrivesLast() {
        LiveRequests live = new LiveRequests();
        assertThat(live.offer("u", scores(5, "x"))).isNull();
        assertThat(live.offer("u", request(5, 2))).isNull();
        LiveRequests.Complete c = live.offer("u", scores(5, "y"));
        assertThat(c).isNotNull();
        assertThat(c.request().getLiveId()).isEqualTo(5);
        assertThat(c.answers()).extracting(a -> a.getItems().get(0)).containsExactly("x", "y");
        assertThat(live.size()).isZero();

        assertThat(live.offer("v", request(1, 0)))
                .as("no item to ask: complete at once")
                .isNotNull();
    }

    /** A newer request replaces an older one; late answers of the older one are dropped; an erasure forgets. */
    @Test
    void onlyTheLatestRequestOfAUserWaits() {
        LiveRequests live = new LiveRequests();
        assertThat(live.offer("u", request(1, 1))).isNull();
        assertThat(live.offer("u", request(2, 1))).isNull();
        assertThat(live.offer("u", scores(1, "old"))).isNull(); // of request 1: dropped
        assertThat(live.offer("u", scores(2, "new")).answers())
                .extracting(a -> a.getItems().get(0))
                .containsExactly("new");

        assertThat(live.offer("u", request(3, 1))).isNull();
        live.forget("u");
        assertThat(live.offer("u", scores(3, "after-erasure"))).isNull(); // waits for a request that never comes
        live.clear(); // the next checkpoint
        assertThat(live.size()).isZero();
    }
}
