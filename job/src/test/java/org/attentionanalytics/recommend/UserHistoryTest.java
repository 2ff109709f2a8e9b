package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecsHistory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link UserHistory}: pairs within sessions, the per-user cap, requests, the minimum interval, exclusion, erasure. */
class UserHistoryTest {
    static final long H = 86_400_000L;
    static final long T0 = 1_700_000_000_000L;
    /** size 3, lists at most every 10 s, exclude views of the last hour, kMax 2, fMax 100, lateness 0. */
    static final RecsSettings SETTINGS = new RecsSettings(3, 10_000, 3_600_000, H, 10, 2, 100, 5, 0, true);

    final List<ItemMessage> toItems = new ArrayList<>();
    final List<RankMessage> toRanking = new ArrayList<>();
    final List<NeighbourhoodMessage> toBuckets = new ArrayList<>();
    final UserHistory.Out out = new UserHistory.Out() {
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
    };
    final UserHistory engine = new UserHistory(SETTINGS);
    RecsHistory h;

    @BeforeEach
    void fresh() {
        h = UserHistory.empty();
    }

    static ItemSignal view(String item, String session, long t, double itemCount) {
        return ItemSignal.newBuilder()
                .setUser("u")
                .setKind(ItemSignalKind.VIEW)
                .setTime(t)
                .setSessionId(session)
                .setItemId(item)
                .setCounted(true)
                .setItemCount(itemCount)
                .build();
    }

    static ItemSignal signal(ItemSignalKind kind, String session, String item, long t) {
        return ItemSignal.newBuilder()
                .setUser("u")
                .setKind(kind)
                .setTime(t)
                .setSessionId(session)
                .setItemId(item)
                .build();
    }

    List<String> describe(List<ItemMessage> messages) {
        return messages.stream()
                .map(m -> m.getKind() + " " + m.getItem() + (m.getOther() == null ? "" : "->" + m.getOther()))
                .toList();
    }

    @Test
    void aViewPairsWithTheSessionsEarlierItemsAndAsksForAList() {
        engine.apply(h, "u", T0, List.of(view("x", "s1", T0, 1)), out);
        assertThat(describe(toItems)).containsExactly("COUNT x", "QUERY x");
        assertThat(toItems.get(1).getWeight()).isEqualTo(1.0);
        assertThat(toRanking).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo(RankMessageKind.REQUEST);
            assertThat(r.getAsOf()).isEqualTo(T0);
            assertThat(r.getItems()).containsExactly("x"); // viewed within the hour
        });
        toItems.clear();
        toRanking.clear();

        // 5 s later, y: pairs x-y both ways; within the 10 s interval, so the list is held back
        engine.apply(h, "u", T0 + 5_000, List.of(view("y", "s1", T0 + 5_000, 4)), out);
        assertThat(describe(toItems)).containsExactly("COUNT y", "PAIR x->y", "PAIR y->x");
        assertThat(toItems.get(1).getCount()).isEqualTo(4.0); // y's count, for x's row
        // x's count (1 when it was counted) decayed over 5 s, for y's row
        assertThat(toItems.get(2).getCount()).isCloseTo(Math.pow(2, -5_000.0 / H), within(1e-15));
        assertThat(toRanking).isEmpty();
        assertThat(h.getHeldAsOf()).isEqualTo(T0 + 5_000);
        toItems.clear();

        // the session closes: the held list goes out, as of y's view; queries weighted 1 (y) and 1/2 x decay (x)
        engine.apply(
                h,
                "u",
                T0 + 1_805_000,
                List.of(signal(ItemSignalKind.SESSION_CLOSED, "s1", null, T0 + 1_805_000)),
                out);
        assertThat(describe(toItems)).containsExactly("QUERY y", "QUERY x");
        assertThat(toItems.get(0).getWeight()).isCloseTo(Math.pow(2, -1_800_000.0 / H), within(1e-15));
        assertThat(toItems.get(1).getWeight()).isCloseTo(0.5 * Math.pow(2, -1_805_000.0 / H), within(1e-15));
        assertThat(toItems.get(0).getLimit()).isEqualTo(6); // 2 x size, at most k
        assertThat(toRanking)
                .singleElement()
                .satisfies(r -> assertThat(r.getAsOf()).isEqualTo(T0 + 5_000));
        // the closed session keeps its counted items: it may reopen (a late event, a client session)
        assertThat(h.getSessions())
                .singleElement()
                .satisfies(s -> assertThat(s.getItems()).containsExactly("x", "y"));
    }

    @Test
    void theKMaxPlusFirstInteractionOfAUserIsNotCounted() {
        // kMax = 2: x and y count (pair x-y), z does not (no pairs, but its row still hears its count)
        engine.apply(h, "u", T0, List.of(view("x", "s", T0, 1), view("y", "s", T0, 1), view("z", "s", T0, 1)), out);
        assertThat(describe(toItems).stream().filter(d -> d.startsWith("PAIR")))
                .containsExactly("PAIR x->y", "PAIR y->x");
        assertThat(describe(toItems).stream().filter(d -> d.startsWith("COUNT")))
                .containsExactly("COUNT x", "COUNT y", "COUNT z");
        assertThat(h.getCounted()).isEqualTo(2.0);
        // one list for the three views of one event time, ranked from x, y, z (equal times: item id order)
        assertThat(toRanking).hasSize(1);
        assertThat(describe(toItems).stream().filter(d -> d.startsWith("QUERY")))
                .containsExactly("QUERY x", "QUERY y", "QUERY z");
    }

    @Test
    void aRepeatedItemInASessionIsNotPairedTwice() {
        engine.apply(h, "u", T0, List.of(view("x", "s", T0, 1)), out);
        engine.apply(h, "u", T0 + 20_000, List.of(view("y", "s", T0 + 20_000, 1)), out);
        engine.apply(h, "u", T0 + 40_000, List.of(view("x", "s", T0 + 40_000, 2)), out);
        assertThat(describe(toItems).stream().filter(d -> d.startsWith("PAIR")))
                .containsExactly("PAIR x->y", "PAIR y->x");
        assertThat(h.getRecentItems()).containsExactly("x", "y");
    }

    @Test
    void uncountedViewsJoinTheContextButNoPairs() {
        ItemSignal capped = view("x", "s", T0, 100);
        capped.setCounted(false);
        engine.apply(h, "u", T0, List.of(capped), out);
        assertThat(describe(toItems)).containsExactly("QUERY x");
    }

    @Test
    void boughtItemsAndRecentViewsAreExcluded() {
        engine.apply(h, "u", T0, List.of(signal(ItemSignalKind.PURCHASE, null, "p", T0)), out);
        engine.apply(h, "u", T0 + 1, List.of(view("old", "s", T0 + 1, 1)), out);
        long later = T0 + 3_600_001; // "old" was viewed exactly one hour before: no longer excluded
        engine.apply(h, "u", later, List.of(view("new", "s2", later, 1)), out);
        assertThat(toRanking.get(toRanking.size() - 1).getItems()).containsExactly("new", "p");

        RecsSettings noExclusion = new RecsSettings(3, 0, 0, H, 10, 2, 100, 5, 0, true);
        RecsHistory other = UserHistory.empty();
        toRanking.clear();
        new UserHistory(noExclusion).apply(other, "u", T0, List.of(view("a", "s", T0, 1)), out);
        assertThat(toRanking.get(0).getItems()).isEmpty();
    }

    @Test
    void anErasureForgetsTheHistoryAndDropsSignalsFromBeforeIt() {
        engine.apply(h, "u", T0, List.of(view("x", "s", T0, 1)), out);
        toRanking.clear();
        toItems.clear();
        RecsHistory erased = UserHistory.erase(h, "u", T0 + 1_000, out);
        assertThat(toRanking)
                .singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo(RankMessageKind.ERASED));
        assertThat(erased.getRecentItems()).isEmpty();
        assertThat(erased.getSessions()).isEmpty();
        // a view from before the erasure, still on its way, changes nothing; a later one does
        engine.apply(erased, "u", T0 + 500, List.of(view("y", "s", T0 + 500, 1)), out);
        assertThat(toItems).isEmpty();
        engine.apply(erased, "u", T0 + 2_000, List.of(view("z", "s2", T0 + 2_000, 1)), out);
        assertThat(erased.getRecentItems()).containsExactly("z");
        assertThat(engine.isEmpty(UserHistory.erase(erased, "u", T0 + 3_000, out), T0 + 3_001))
                .isTrue();
    }
}
