package org.attentionanalytics.job;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RankingBroadcast;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.attentionanalytics.pipeline.IdleForEventTime;
import org.attentionanalytics.pipeline.StepNames;
import org.attentionanalytics.pipeline.Uids;
import org.attentionanalytics.recommend.EventTimeOrderedOperator;
import org.attentionanalytics.recommend.ItemGateFunction;
import org.attentionanalytics.recommend.ItemNeighboursFunction;
import org.attentionanalytics.recommend.PopularItemsFunction;
import org.attentionanalytics.recommend.RankingFunction;
import org.attentionanalytics.recommend.RecsSettings;
import org.attentionanalytics.recommend.SimilarUsersFunction;
import org.attentionanalytics.recommend.SourceWeights;
import org.attentionanalytics.recommend.UserHistoryFunction;

/**
 * The recommendation steps of the graph (DESIGN.md section 12), after the per-user operator:
 *
 * <pre>
 * item signals ─┬ views: keyBy(item) ─ Item gate ─┬─────────────┐            ┌ keyBy(0) ─ Popular items ─ broadcast ─┐
 *                                                 (item topics: broadcast) ──────────────────────────────────────────┤
 *               └ purchases, session ends, modes, erasures ┴ keyBy(user) ─ User history ┬ keyBy(item) ─ Item neighbours ─┐     │
 *                                                                                └ requests, modes, erasures ──────┴ keyBy(user) ─ Ranking ─ recommendations
 *                                                                                                     content-catalog ─ broadcast ─┘  └ recommendations-live
 * </pre>
 *
 * A LIVE_VIEW (live recommendations) skips the gate and, in the history, the item rows and the
 * ranking, is answered on arrival without changing their state. Beside what the drawing shows, the
 * item gate also takes the ENGAGED signals (a closed session's views) and broadcasts the items'
 * mean engaged times; with content matching ({@code --recs.weight.matches-interests} above 0) its
 * per-topic counts go keyBy(topic) to "Popular items per topic", broadcast like the overall
 * table, and the INTERESTS signals go straight to the ranking. With similar users ({@code
 * --recs.weight.similar-users} above 0) the INTERESTS signals also go to the history, which joins
 * the vector's LSH buckets: keyBy(bucket) to "Similar users", whose answers go to the ranking.
 */
public final class Recommendations {
    private Recommendations() {}

    /**
     * @param signals the per-user operator's {@code ITEM_SIGNALS}
     * @param catalog the catalog door's records (their topics decide what a FOCUSED list keeps)
     * @return the ranking: the lists and tombstones for {@code --topic.recommendations}, and as its
     *     side output {@link RankingFunction#LIVE} those for {@code --topic.recommendations-live}
     */
    public static SingleOutputStreamOperator<RecommendationUpdate> attach(
            DataStream<ItemSignal> signals, DataStream<CatalogUpdate> catalog, JobOptions options) {
        RecsSettings settings = options.recsSettings(options.allowedLateness.toMillis(), options.bounded);
        long ttlMs = options.stateTtl.toMillis();
        SourceWeights weights = options.sourceWeights();
        boolean similarUsers = weights.similarUsersOn();
        SingleOutputStreamOperator<ItemSignal> gated = signals.filter(
                        s -> s.getKind() == ItemSignalKind.VIEW || s.getKind() == ItemSignalKind.ENGAGED)
                .returns(new AvroTypeInfo<>(ItemSignal.class))
                .name(StepNames.RECS_VIEWS)
                .keyBy(ItemSignal::getItemId)
                .transform(
                        StepNames.RECS_ITEM_GATE,
                        new AvroTypeInfo<>(ItemSignal.class),
                        new EventTimeOrderedOperator<>(new ItemGateFunction(settings, ttlMs)))
                .uid(Uids.RECS_ITEM_GATE)
                .name(StepNames.RECS_ITEM_GATE);
        DataStream<ItemSignal> others = signals.filter(s -> s.getKind() != ItemSignalKind.VIEW
                        && s.getKind() != ItemSignalKind.ENGAGED
                        && (s.getKind() != ItemSignalKind.INTERESTS || similarUsers))
                .returns(new AvroTypeInfo<>(ItemSignal.class))
                .name(StepNames.RECS_OTHER_SIGNALS);
        SingleOutputStreamOperator<ItemMessage> history = gated.union(others)
                .keyBy(ItemSignal::getUser)
                .transform(
                        StepNames.RECS_USER_HISTORY,
                        new AvroTypeInfo<>(ItemMessage.class),
                        new EventTimeOrderedOperator<>(new UserHistoryFunction(settings, ttlMs, similarUsers)))
                .uid(Uids.RECS_USER_HISTORY)
                .name(StepNames.RECS_USER_HISTORY);
        SingleOutputStreamOperator<RankMessage> answers = history.keyBy(ItemMessage::getItem)
                .transform(
                        StepNames.RECS_ITEM_NEIGHBOURS,
                        new AvroTypeInfo<>(RankMessage.class),
                        new EventTimeOrderedOperator<>(new ItemNeighboursFunction(settings, ttlMs)))
                .uid(Uids.RECS_ITEM_NEIGHBOURS)
                .name(StepNames.RECS_ITEM_NEIGHBOURS);
        DataStream<PopularItems> popular = gated.getSideOutput(ItemGateFunction.POPULARITY)
                .keyBy(m -> 0, Types.INT)
                .transform(
                        StepNames.RECS_POPULAR_ITEMS,
                        new AvroTypeInfo<>(PopularItems.class),
                        new EventTimeOrderedOperator<>(PopularItemsFunction.overall(settings)))
                .uid(Uids.RECS_POPULAR_ITEMS)
                .name(StepNames.RECS_POPULAR_ITEMS);
        DataStream<RankMessage> toRanking = answers.union(history.getSideOutput(UserHistoryFunction.TO_RANKING));
        if (similarUsers) {
            toRanking = toRanking.union(history.getSideOutput(UserHistoryFunction.TO_BUCKETS)
                    .keyBy(NeighbourhoodMessage::getBucket, Types.LONG)
                    .transform(
                            StepNames.RECS_SIMILAR_USERS,
                            new AvroTypeInfo<>(RankMessage.class),
                            new EventTimeOrderedOperator<>(new SimilarUsersFunction(settings, ttlMs)))
                    .uid(Uids.RECS_SIMILAR_USERS)
                    .name(StepNames.RECS_SIMILAR_USERS));
        }
        if (weights.contentMatching()) {
            popular = popular.union(gated.getSideOutput(ItemGateFunction.TOPIC_POPULARITY)
                    .keyBy(ItemMessage::getOther)
                    .transform(
                            StepNames.RECS_TOPIC_ITEMS,
                            new AvroTypeInfo<>(PopularItems.class),
                            new EventTimeOrderedOperator<>(PopularItemsFunction.perTopic(settings)))
                    .uid(Uids.RECS_TOPIC_ITEMS)
                    .name(StepNames.RECS_TOPIC_ITEMS));
            toRanking = toRanking.union(signals.filter(s -> s.getKind() == ItemSignalKind.INTERESTS)
                    .returns(new AvroTypeInfo<>(ItemSignal.class))
                    .map(Recommendations::interests)
                    .returns(new AvroTypeInfo<>(RankMessage.class))
                    .name(StepNames.RECS_INTERESTS));
        }
        // items' topics: from their views (event-timed, with the gate) and from the catalog (none)
        DataStream<CatalogUpdate> itemTopics = gated.getSideOutput(ItemGateFunction.ITEM_TOPICS)
                .union(catalog.transform(
                        StepNames.RECS_CATALOG_IDLE,
                        new AvroTypeInfo<>(CatalogUpdate.class),
                        new IdleForEventTime<>()));
        DataStream<RankingBroadcast> toEveryRanking = popular.map(p -> new RankingBroadcast(p, null, null))
                .returns(new AvroTypeInfo<>(RankingBroadcast.class))
                .name(StepNames.RECS_RANKING_BROADCAST)
                .union(itemTopics
                        .map(c -> new RankingBroadcast(null, c, null))
                        .returns(new AvroTypeInfo<>(RankingBroadcast.class))
                        .name(StepNames.RECS_RANKING_BROADCAST))
                .union(gated.getSideOutput(ItemGateFunction.ENGAGEMENT)
                        .map(e -> new RankingBroadcast(null, null, e))
                        .returns(new AvroTypeInfo<>(RankingBroadcast.class))
                        .name(StepNames.RECS_RANKING_BROADCAST));
        return toRanking
                .keyBy(RankMessage::getUser)
                .connect(toEveryRanking.broadcast(
                        RankingFunction.POPULAR,
                        RankingFunction.TOPIC_POPULAR,
                        RankingFunction.CATALOG_TOPICS,
                        RankingFunction.MEAN_ENGAGED))
                .process(
                        new RankingFunction(
                                settings,
                                weights,
                                // fewer, never more: a FOCUSED list is at most --recs.size long
                                options.recsModes ? Math.min(options.recsFocusedSize, options.recsSize) : 0,
                                AttentionOptions.settings(options).rules(),
                                options.topicDepth,
                                ttlMs),
                        new AvroTypeInfo<>(RecommendationUpdate.class))
                .uid(Uids.RECS_RANKING)
                .name(StepNames.RECS_RANKING);
    }

    /** An INTERESTS signal as the ranking's message of the same time. */
    private static RankMessage interests(ItemSignal s) {
        return RankMessage.newBuilder()
                .setUser(s.getUser())
                .setKind(RankMessageKind.INTERESTS)
                .setTime(s.getTime())
                .setItems(s.getTopTopics())
                .setScores(s.getTopWeights())
                .build();
    }
}
