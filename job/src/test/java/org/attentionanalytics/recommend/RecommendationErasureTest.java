package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.attentionanalytics.avro.internal.DecayedCount;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemMessageKind;
import org.attentionanalytics.avro.internal.ItemRow;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.attentionanalytics.testutil.TestRocksDb;
import org.junit.jupiter.api.Test;

/**
 * Erasure in every keyed recommendation operator (DESIGN.md sections 9 and 12), in Flink's operator
 * harness on RocksDB: the user-keyed ones forget the user; the item-keyed ones and the popularity
 * table store no user id at all (queries hold one only while they wait for the watermark).
 */
class RecommendationErasureTest {
    static final long T0 = 1_700_000_000_000L;
    static final long LATENESS = 300_000;
    static final RecsSettings SETTINGS = new RecsSettings(3, 0, 0, 86_400_000L, 10, 100, 100, 5, LATENESS, true);

    static ItemSignal signal(ItemSignalKind kind, String item, long t) {
        return ItemSignal.newBuilder()
                .setUser("u")
                .setKind(kind)
                .setTime(t)
                .setSessionId("s")
                .setItemId(item)
                .setCounted(true)
                .setItemCount(1)
                .build();
    }

    /** @return the keys with an entry in the state {@code name}, as RocksDB holds them */
    static List<String> keys(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h, String name) throws Exception {
        try (Stream<String> keys =
                h.getOperator().<String>getKeyedStateBackend().getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }

    /**
     * A at T0 (applied), then, waiting: b at T0+2 s, the erasure at T0+1 s, c at T0+0.5 s. At the
     * watermark T0+2 s: c, then the erasure (the history forgets a and c), then b, which starts a new
     * history. A view from before the erasure arriving after it (d at T0+0.8 s, late) is dropped.
     * Once the lateness has passed the erasure, only b's history is left.
     */
    @Test
    void theUserHistoryForgetsTheUserAtTheErasuresTimeAndDropsSignalsFromBeforeIt() throws Exception {
        try (var h = RecsHarnesses.history(SETTINGS)) {
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "a", T0), T0));
            h.processWatermark(T0);
            assertThat(keys(h, RecsState.HISTORY)).containsExactly("u");
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "b", T0 + 2_000), T0 + 2_000));
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "c", T0 + 500), T0 + 500));
            h.processWatermark(T0 + 2_000);
            List<RankMessage> toRanking = h.getSideOutput(UserHistoryFunction.TO_RANKING).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(toRanking)
                    .extracting(m -> m.getKind() + "@" + (m.getTime() - T0))
                    .containsExactly("REQUEST@0", "REQUEST@500", "ERASED@1000", "REQUEST@2000");
            assertThat(toRanking.get(3).getItems())
                    .as("b's list excludes only b")
                    .isEmpty();
            int before = h.extractOutputValues().size();
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "d", T0 + 800), T0 + 800));
            assertThat(h.extractOutputValues())
                    .as("d, from before the erasure: dropped")
                    .hasSize(before);
            h.processWatermark(T0 + 1_000 + LATENESS + 1);
            assertThat(keys(h, RecsState.HISTORY)).containsExactly("u"); // b's
            assertThat(keys(h, RecsState.WAITING)).isEmpty();
        }
    }

    /**
     * An erasure at the same event time as a MODE signal (the event that switched the mode) still
     * takes effect, after it: MODE comes after ERASED in the enum, but an erasure sorts last.
     */
    @Test
    void anErasureAtTheTimeOfAModeSwitchStillErases() throws Exception {
        try (var h = RecsHarnesses.history(SETTINGS)) {
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "a", T0), T0));
            ItemSignal mode = signal(ItemSignalKind.MODE, null, T0 + 1_000);
            mode.setMode("FOCUSED");
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            h.processElement(new StreamRecord<>(mode, T0 + 1_000));
            h.processWatermark(T0 + 1_000);
            assertThat(h.getSideOutput(UserHistoryFunction.TO_RANKING).stream()
                            .map(StreamRecord::getValue)
                            .toList())
                    .extracting(m -> m.getKind() + "@" + (m.getTime() - T0))
                    .containsExactly("REQUEST@0", "MODE@1000", "ERASED@1000");
        }
    }

    /** Live (erasure not in event time): settings as {@link #SETTINGS}. */
    static final RecsSettings LIVE = new RecsSettings(3, 0, 0, 86_400_000L, 10, 100, 100, 5, LATENESS, false);

    /**
     * A live job's erasure acts on arrival, as in the per-user operator: a at T0 applied; c (T0+0.5
     * s) and b (T0+2 s) wait; the erasure at T0+1 s drops c and the history at once and tells the
     * ranking at once; b, after it, stays and starts a new history at the watermark.
     */
    @Test
    void aLiveErasureActsOnArrivalAndKeepsWhatComesAfterIt() throws Exception {
        try (var h = RecsHarnesses.history(LIVE)) {
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "a", T0), T0));
            h.processWatermark(T0);
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "c", T0 + 500), T0 + 500));
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "b", T0 + 2_000), T0 + 2_000));
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            assertThat(h.getSideOutput(UserHistoryFunction.TO_RANKING))
                    .extracting(
                            r -> r.getValue().getKind() + "@" + (r.getValue().getTime() - T0))
                    .containsExactly("REQUEST@0", "ERASED@1000");
            h.processWatermark(T0 + 2_000);
            assertThat(h.getSideOutput(UserHistoryFunction.TO_RANKING))
                    .extracting(
                            r -> r.getValue().getKind() + "@" + (r.getValue().getTime() - T0))
                    .containsExactly("REQUEST@0", "ERASED@1000", "REQUEST@2000");
        }
        try (var h = RecsHarnesses.ranking(LIVE)) {
            RankMessage request = RankMessage.newBuilder()
                    .setUser("u")
                    .setKind(RankMessageKind.REQUEST)
                    .setTime(T0)
                    .setAsOf(T0)
                    .build();
            h.processElement(request, T0);
            h.processElement(
                    RankMessage.newBuilder(request)
                            .setTime(T0 + 2)
                            .setAsOf(T0 + 2)
                            .build(),
                    T0 + 2);
            h.processElement(
                    RankMessage.newBuilder(request)
                            .setKind(RankMessageKind.ERASED)
                            .setTime(T0 + 1)
                            .build(),
                    T0 + 1);
            assertThat(h.extractOutputValues()).containsExactly(new RecommendationUpdate("u", null));
            h.processWatermark(T0 + 2);
            h.processBroadcastWatermark(T0 + 2);
            assertThat(h.extractOutputValues())
                    .extracting(u -> u.getRecommendation() == null
                            ? "tombstone"
                            : "list@" + (u.getRecommendation().getAsOf().toEpochMilli() - T0))
                    .containsExactly("tombstone", "list@2");
        }
    }

    /** A user with nothing after the erasure keeps nothing once the lateness has passed it. */
    @Test
    void nothingIsLeftOfAnErasedUserOnceTheLatenessHasPassed() throws Exception {
        try (var h = RecsHarnesses.history(SETTINGS)) {
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "a", T0), T0));
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            h.processWatermark(T0 + 1_000);
            assertThat(keys(h, RecsState.HISTORY))
                    .as("the erasure's time, until the lateness passes")
                    .containsExactly("u");
            h.processWatermark(T0 + 1_000 + LATENESS + 1);
            assertThat(keys(h, RecsState.HISTORY)).isEmpty();
            assertThat(keys(h, RecsState.WAITING)).isEmpty();
        }
    }

    /** Lists of requests before the erasure go out, then the tombstone, then lists of later requests. */
    @Test
    void theRankingWritesTheTombstoneAtTheErasuresTime() throws Exception {
        try (var h = RecsHarnesses.ranking(SETTINGS)) {
            RankMessage request = RankMessage.newBuilder()
                    .setUser("u")
                    .setKind(RankMessageKind.REQUEST)
                    .setTime(T0)
                    .setAsOf(T0)
                    .build();
            RankMessage later = RankMessage.newBuilder(request)
                    .setTime(T0 + 2)
                    .setAsOf(T0 + 2)
                    .build();
            h.processElement(later, T0 + 2);
            h.processElement(
                    RankMessage.newBuilder(request)
                            .setKind(RankMessageKind.ERASED)
                            .setTime(T0 + 1)
                            .build(),
                    T0 + 1);
            h.processElement(request, T0);
            h.processWatermark(T0 + 2);
            h.processBroadcastWatermark(T0 + 2);
            assertThat(h.extractOutputValues())
                    .extracting(u -> u.getRecommendation() == null
                            ? "tombstone"
                            : "list@" + (u.getRecommendation().getAsOf().toEpochMilli() - T0))
                    .containsExactly("list@0", "tombstone", "list@2");
        }
    }

    @Test
    void itemTablesHoldNoUserIdOnceQueriesAreAnswered() throws Exception {
        for (Schema stored :
                List.of(ItemRow.getClassSchema(), DecayedCount.getClassSchema(), PopularItems.getClassSchema())) {
            assertThat(stored.getFields()).extracting(Schema.Field::name).doesNotContain("user");
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new EventTimeOrderedOperator<>(new ItemNeighboursFunction(SETTINGS, 0)),
                ItemMessage::getItem,
                Types.STRING)) {
            h.setStateBackend(TestRocksDb.harnessBackend());
            h.open();
            ItemMessage count = ItemMessage.newBuilder()
                    .setItem("a")
                    .setKind(ItemMessageKind.COUNT)
                    .setTime(T0)
                    .setCount(1)
                    .build();
            h.processElement(new StreamRecord<>(count, T0));
            h.processElement(new StreamRecord<>(
                    ItemMessage.newBuilder(count)
                            .setKind(ItemMessageKind.PAIR)
                            .setOther("b")
                            .build(),
                    T0));
            h.processElement(new StreamRecord<>(
                    ItemMessage.newBuilder(count)
                            .setKind(ItemMessageKind.QUERY)
                            .setTime(T0 + 1)
                            .setUser("u")
                            .setWeight(1)
                            .setLimit(3)
                            .build(),
                    T0 + 1));
            h.processWatermark(T0 + 1);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(a -> assertThat(a.getItems()).containsExactly("b"));
            assertThat(keys(h, RecsState.ITEM_ROW)).containsExactly("a");
            assertThat(keys(h, RecsState.WAITING)).isEmpty(); // the query, with its user, no longer waits
        }
    }
}
