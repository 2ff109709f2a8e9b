package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
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
    static final RecsSettings SETTINGS = new RecsSettings(3, 0, 0, 86_400_000L, 10, 100, 100, LATENESS);

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

    @Test
    void theUserHistoryForgetsTheUserAndDropsSignalsFromBeforeTheErasure() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new UserHistoryFunction(SETTINGS, 0)), ItemSignal::getUser, Types.STRING)) {
            h.setStateBackend(TestRocksDb.harnessBackend());
            h.open();
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "a", T0), T0));
            h.processWatermark(T0);
            assertThat(keys(h, RecsState.HISTORY)).containsExactly("u");
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.VIEW, "b", T0 + 2_000), T0 + 2_000));
            h.processElement(new StreamRecord<>(signal(ItemSignalKind.ERASED, null, T0 + 1_000), T0 + 1_000));
            // the waiting view of b was dropped; only the erasure marker is left, until the lateness is over
            List<RankMessage> toRanking = h.getSideOutput(UserHistoryFunction.TO_RANKING).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(toRanking)
                    .extracting(RankMessage::getKind)
                    .containsExactly(RankMessageKind.REQUEST, RankMessageKind.ERASED);
            h.getOutput().clear();
            h.processElement(
                    new StreamRecord<>(signal(ItemSignalKind.VIEW, "c", T0 + 500), T0 + 500)); // from before it
            h.processWatermark(T0 + 1_000 + LATENESS + 1);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(keys(h, RecsState.HISTORY)).isEmpty();
            assertThat(keys(h, RecsState.WAITING)).isEmpty();
        }
    }

    @Test
    void theRankingDropsWhatWaitsAndWritesATombstone() throws Exception {
        try (var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new RankingFunction(SETTINGS), List.of(RankingFunction.POPULAR)),
                RankMessage::getUser,
                Types.STRING,
                1,
                1,
                0)) {
            h.setStateBackend(TestRocksDb.harnessBackend());
            h.open();
            RankMessage request = RankMessage.newBuilder()
                    .setUser("u")
                    .setKind(RankMessageKind.REQUEST)
                    .setTime(T0)
                    .setAsOf(T0)
                    .build();
            h.processElement(request, T0);
            h.processElement(
                    RankMessage.newBuilder(request)
                            .setKind(RankMessageKind.ERASED)
                            .build(),
                    T0);
            h.processWatermark(T0 + 1);
            h.processBroadcastWatermark(T0 + 1);
            // the waiting request was dropped: its timer found nothing, only the tombstone went out
            assertThat(h.extractOutputValues()).containsExactly(new RecommendationUpdate("u", null));
        }
    }

    @Test
    void itemTablesHoldNoUserIdOnceQueriesAreAnswered() throws Exception {
        for (Schema stored :
                List.of(ItemRow.getClassSchema(), DecayedCount.getClassSchema(), PopularItems.getClassSchema())) {
            assertThat(stored.getFields()).extracting(Schema.Field::name).doesNotContain("user");
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ItemNeighboursFunction(SETTINGS, 0)),
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
