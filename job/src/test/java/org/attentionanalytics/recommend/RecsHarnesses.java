package org.attentionanalytics.recommend;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankingBroadcast;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.attentionanalytics.testutil.TestRocksDb;

/** The recommendation operators in Flink's operator harness on RocksDB, opened, parallelism 1, no state TTL. */
final class RecsHarnesses {
    private RecsHarnesses() {}

    /** The user history ({@link UserHistoryFunction}) keyed by the signal's user. */
    static KeyedOneInputStreamOperatorTestHarness<String, ItemSignal, ItemMessage> history(RecsSettings settings)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new EventTimeOrderedOperator<>(new UserHistoryFunction(settings, 0)),
                ItemSignal::getUser,
                Types.STRING);
        h.setStateBackend(TestRocksDb.harnessBackend());
        h.open();
        return h;
    }

    /** The item gate ({@link ItemGateFunction}) keyed by the signal's item. */
    static KeyedOneInputStreamOperatorTestHarness<String, ItemSignal, ItemSignal> gate(RecsSettings settings)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new EventTimeOrderedOperator<>(new ItemGateFunction(settings, 0)), ItemSignal::getItemId, Types.STRING);
        h.setStateBackend(TestRocksDb.harnessBackend());
        h.open();
        return h;
    }

    /** Items in a FOCUSED list in {@link #ranking}. */
    static final int FOCUSED_SIZE = 2;

    /**
     * The ranking ({@link RankingFunction}) keyed by the message's user, popularity snapshots and
     * catalog records broadcast; FOCUSED lists of {@link #FOCUSED_SIZE}, topic depth 1.
     */
    static KeyedBroadcastOperatorTestHarness<String, RankMessage, RankingBroadcast, RecommendationUpdate> ranking(
            RecsSettings settings) throws Exception {
        return ranking(settings, FOCUSED_SIZE);
    }

    /** {@link #ranking(RecsSettings)} with FOCUSED lists of {@code focusedSize}; 0: modes off. Item-to-item only. */
    static KeyedBroadcastOperatorTestHarness<String, RankMessage, RankingBroadcast, RecommendationUpdate> ranking(
            RecsSettings settings, int focusedSize) throws Exception {
        return ranking(settings, focusedSize, SourceWeights.ITEM_TO_ITEM);
    }

    /** {@link #ranking(RecsSettings, int)} with the sources weighed by {@code weights}. */
    static KeyedBroadcastOperatorTestHarness<String, RankMessage, RankingBroadcast, RecommendationUpdate> ranking(
            RecsSettings settings, int focusedSize, SourceWeights weights) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new RankingFunction(settings, weights, focusedSize, CategoryRules.defaults(), 1, 0),
                        List.of(
                                RankingFunction.POPULAR,
                                RankingFunction.TOPIC_POPULAR,
                                RankingFunction.CATALOG_TOPICS,
                                RankingFunction.MEAN_ENGAGED)),
                RankMessage::getUser,
                Types.STRING,
                1,
                1,
                0);
        h.setStateBackend(TestRocksDb.harnessBackend());
        h.open();
        return h;
    }

    /** @return a popularity snapshot as the ranking receives it */
    static RankingBroadcast broadcast(PopularItems snapshot) {
        return new RankingBroadcast(snapshot, null, null);
    }
}
