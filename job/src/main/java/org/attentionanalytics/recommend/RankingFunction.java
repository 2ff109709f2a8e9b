package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RankingBroadcast;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.attentionanalytics.avro.internal.TopicPopularity;

/**
 * The ranking, keyed by pseudonym: the Flink adapter of {@link Ranking}. A request and the item
 * rows' answers to it carry the request's event time; once the watermark passes it they are all
 * here (they were sent before the watermark that passes it), and the list goes out. The popularity
 * snapshots arrive as broadcast state; a request uses the latest one not after its time. An ERASED
 * message writes the user's tombstone at its time, after the lists of the views before it.
 *
 * <p>A live request ({@code live_id} not 0) is ranked as soon as its answers are here ({@link
 * LiveRequests}), with the latest popularity snapshot, to {@link #LIVE}; an erasure writes a
 * tombstone there too.
 *
 * <p>Every list goes out with the user's recommendation mode applied ({@link ModeLists}): a MODE
 * message takes effect at its time, before the request of the same time, and when no list of that
 * time follows, the switch goes out at once as the last ranked list in the new mode. A FOCUSED
 * user's list is ranked as long as the popularity table, so that its topical items are found. The
 * items' topics come as broadcast state with the snapshots: the catalog's records and the item
 * gate's reports of the topics the items' views carried ({@link #CATALOG_TOPICS}, the later wins);
 * so do their mean engaged times ({@link #MEAN_ENGAGED}, the latest report). The buckets' SIMILAR
 * answers to a vector, all of its time, replace the user's similar users' items ({@link RankingSources#merge}).
 */
public final class RankingFunction
        extends KeyedBroadcastProcessFunction<String, RankMessage, RankingBroadcast, RecommendationUpdate>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Provisional lists and tombstones for {@code recommendations-live}. */
    public static final OutputTag<RecommendationUpdate> LIVE =
            new OutputTag<>("recommendations-live", new AvroTypeInfo<>(RecommendationUpdate.class));

    /** The popularity snapshots by their time. */
    public static final MapStateDescriptor<Long, PopularItems> POPULAR =
            new MapStateDescriptor<>(RecsState.POPULAR, Types.LONG, new AvroTypeInfo<>(PopularItems.class));

    /** Each topic's popularity snapshots still needed, by time: the content-based candidates. */
    public static final MapStateDescriptor<String, TopicPopularity> TOPIC_POPULAR =
            new MapStateDescriptor<>(RecsState.TOPIC_POPULAR, Types.STRING, new AvroTypeInfo<>(TopicPopularity.class));

    /** Each item's mean engaged ms per view, as the item gate last reported it (FOCUSED lists prefer long ones). */
    public static final MapStateDescriptor<String, Double> MEAN_ENGAGED =
            new MapStateDescriptor<>(RecsState.MEAN_ENGAGED, Types.STRING, Types.DOUBLE);

    /** Each item's topics, rolled up by {@code --topic-depth}: from the catalog or from its views. */
    public static final MapStateDescriptor<String, ItemTopics> CATALOG_TOPICS =
            new MapStateDescriptor<>(RecsState.CATALOG_TOPICS, Types.STRING, new AvroTypeInfo<>(ItemTopics.class));

    private final RecsSettings settings;
    private final SourceWeights weights;
    private final int focusedSize;
    private final CategoryRules rules;
    private final int topicDepth;
    private final long ttlMs;
    private transient Ranking ranking;
    private transient Ranking focusedRanking;
    private transient TimeBuffer<RankMessage> waiting;
    private transient LiveRequests live;
    private transient ContentCandidates candidates;
    private transient ValueState<RankMessage> mode;
    private transient ValueState<Recommendation> lastRanked;
    private transient ValueState<RankMessage> interests;
    private transient ValueState<RankMessage> similar;

    /**
     * @param weights the sources' weights: INTERESTS and SIMILAR messages are dropped when their source is off
     * @param focusedSize items in a FOCUSED list ({@code --recs.focused-size}); 0: modes off
     *     ({@code --recs.modes false}), MODE messages are dropped and every list is NORMAL
     * @param rules the budget categories of topics, for the spent budgets a MODE message tells
     * @param topicDepth the catalog topics' roll-up depth, as the interest vector's ({@code --topic-depth})
     * @param ttlMs the per-user state's retention ({@code --state-ttl}), ms
     */
    public RankingFunction(
            RecsSettings settings,
            SourceWeights weights,
            int focusedSize,
            CategoryRules rules,
            int topicDepth,
            long ttlMs) {
        this.settings = settings;
        this.weights = weights;
        this.focusedSize = focusedSize;
        this.rules = rules;
        this.topicDepth = topicDepth;
        this.ttlMs = ttlMs;
    }

    @Override
    public void open(OpenContext context) {
        Blend blend = weights.blend();
        ranking = new Ranking(settings.size(), blend);
        // a FOCUSED list, or one losing a spent category's items, looks further down: candidates and popular fill
        focusedRanking = new Ranking(settings.size() * RecsSettings.POPULAR_CANDIDATES_PER_SLOT, blend);
        live = new LiveRequests();
        candidates = new ContentCandidates();
        waiting = new TimeBuffer<>(
                getRuntimeContext().getMapState(TimeBuffer.descriptor(RecsState.WAITING, RankMessage.class)));
        mode = getRuntimeContext().getState(RecsState.value(RecsState.MODE, RankMessage.class, ttlMs));
        lastRanked = getRuntimeContext().getState(RecsState.value(RecsState.LAST_LIST, Recommendation.class, ttlMs));
        interests = getRuntimeContext().getState(RecsState.value(RecsState.INTERESTS, RankMessage.class, ttlMs));
        similar = getRuntimeContext().getState(RecsState.value(RecsState.SIMILAR_USERS, RankMessage.class, ttlMs));
    }

    private ModeLists modeLists(ReadOnlyContext ctx) {
        ReadOnlyBroadcastState<String, ItemTopics> catalog = ctx.getBroadcastState(CATALOG_TOPICS);
        ReadOnlyBroadcastState<String, Double> engaged = ctx.getBroadcastState(MEAN_ENGAGED);
        return new ModeLists(
                settings.size(),
                focusedSize,
                item -> unchecked(() -> RankingBroadcasts.topicsOf(catalog, item)),
                item -> unchecked(() -> {
                    Double ms = engaged.get(item);
                    return ms == null ? Double.NaN : ms;
                }),
                rules);
    }

    /**
     * Ranks {@code request} with its answers, the snapshots in force at {@code t} and the other
     * sources' candidates: content matching of the latest interest vector, similar users' items.
     */
    private Recommendation rank(
            String user, RankMessage request, List<RankMessage> answers, long t, ReadOnlyContext ctx) throws Exception {
        Ranking r = rankingFor(mode.value());
        PopularItems popular = RankingBroadcasts.popularAt(ctx.getBroadcastState(POPULAR), t);
        ReadOnlyBroadcastState<String, TopicPopularity> perTopic = ctx.getBroadcastState(TOPIC_POPULAR);
        ReadOnlyBroadcastState<String, ItemTopics> catalog = ctx.getBroadcastState(CATALOG_TOPICS);
        return r.rank(
                user,
                request,
                answers,
                popular,
                RankingSources.of(
                        weights,
                        request,
                        interests.value(),
                        similar.value(),
                        topic -> unchecked(
                                () -> candidates.of(topic, RankingBroadcasts.topicAt(perTopic, topic, t), catalog)),
                        settings.size() * RecsSettings.POPULAR_CANDIDATES_PER_SLOT));
    }

    /** Broadcast state reads declare Exception; RocksDB's are not among them (broadcast state is on the heap). */
    private static <T> T unchecked(java.util.concurrent.Callable<T> read) {
        try {
            return read.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void processElement(RankMessage message, ReadOnlyContext ctx, Collector<RecommendationUpdate> out)
            throws Exception {
        String user = ctx.getCurrentKey();
        if (message.getLiveId() != 0) {
            LiveRequests.Complete c = live.offer(user, message);
            if (c != null) {
                Recommendation ranked = rank(user, c.request(), c.answers(), Long.MAX_VALUE, ctx);
                ctx.output(LIVE, new RecommendationUpdate(user, modeLists(ctx).apply(ranked, mode.value())));
            }
            return;
        }
        if (message.getKind() == RankMessageKind.MODE && focusedSize == 0) {
            return; // modes off
        }
        if (message.getKind() == RankMessageKind.INTERESTS && !weights.contentMatching()
                || message.getKind() == RankMessageKind.SIMILAR && !weights.similarUsersOn()) {
            return;
        }
        if (message.getKind() == RankMessageKind.ERASED && !settings.erasureInEventTime()) {
            // a live job's erasure acts on arrival: lists not yet ranked from before it are dropped
            waiting.dropUpTo(message.getTime(), ctx.timerService());
            out.collect(new RecommendationUpdate(user, null));
            eraseLive(user, ctx);
            eraseModes();
            return;
        }
        // a late request and its answers arrive apart: they meet at the next watermark
        waiting.hold(message, message.getTime(), ctx.timerService());
    }

    @Override
    public void processBroadcastElement(RankingBroadcast element, Context ctx, Collector<RecommendationUpdate> out)
            throws Exception {
        if (element.getCatalog() != null) {
            String item = element.getCatalog().getItemId();
            boolean existed = ctx.getBroadcastState(CATALOG_TOPICS).contains(item);
            if (RankingBroadcasts.catalog(element.getCatalog(), ctx.getBroadcastState(CATALOG_TOPICS), topicDepth)) {
                candidates.changed(item, existed);
            }
        }
        if (element.getEngagement() != null) {
            ctx.getBroadcastState(MEAN_ENGAGED)
                    .put(
                            element.getEngagement().getItemId(),
                            element.getEngagement().getMeanEngagedMs());
        }
        if (element.getPopular() != null) {
            // A waiting or late request has a time after watermark - lateness: it needs the snapshots after
            // that and the latest one at or before it. Snapshots run ahead of the requests, so the
            // watermark, not the newest snapshot, says what is no longer needed.
            long watermark = ctx.currentWatermark();
            RankingBroadcasts.keep(
                    element.getPopular(),
                    ctx.getBroadcastState(POPULAR),
                    ctx.getBroadcastState(TOPIC_POPULAR),
                    watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - settings.latenessMs());
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<RecommendationUpdate> out) throws Exception {
        List<RankMessage> messages = waiting.take(t);
        RankMessage request = null;
        RankMessage switched = null;
        RankMessage vector = null;
        boolean erased = false;
        List<RankMessage> answers = new ArrayList<>();
        List<RankMessage> neighbourhood = new ArrayList<>();
        for (RankMessage m : messages) {
            switch (m.getKind()) {
                case REQUEST -> request = m;
                case SCORES -> answers.add(m);
                case ERASED -> erased = true;
                case MODE -> switched = m; // one per time: the per-user operator tells a change once
                case INTERESTS -> vector = m; // in the order the per-user operator wrote them: the last holds
                case SIMILAR -> neighbourhood.add(m); // the buckets' answers to the vector of this time
            }
        }
        if (vector != null) {
            interests.update(vector);
        }
        if (!neighbourhood.isEmpty()) {
            similar.update(RankingSources.merge(neighbourhood));
        }
        String user = ctx.getCurrentKey();
        ModeLists lists = modeLists(ctx);
        if (switched != null) {
            mode.update(switched);
            if (request == null) {
                out.collect(new RecommendationUpdate(user, lists.onSwitch(user, switched, lastRanked.value())));
            }
        }
        if (request != null) {
            Recommendation ranked = rank(user, request, answers, t, ctx);
            lastRanked.update(ranked);
            out.collect(new RecommendationUpdate(user, lists.apply(ranked, mode.value())));
        }
        if (erased) { // after the list of the same time: the history was erased after its view
            out.collect(new RecommendationUpdate(user, null));
            eraseLive(user, ctx);
            eraseModes();
        }
    }

    private Ranking rankingFor(RankMessage userMode) {
        return ModeLists.narrows(userMode) ? focusedRanking : ranking;
    }

    /** The user's mode, last ranked list, interest vector and similar users' items go with an erasure. */
    private void eraseModes() {
        mode.clear();
        lastRanked.clear();
        interests.clear();
        similar.clear();
    }

    /** The user's live list goes too: a tombstone, and the live request still waiting is dropped. */
    private void eraseLive(String user, ReadOnlyContext ctx) {
        live.forget(user);
        ctx.output(LIVE, new RecommendationUpdate(user, null));
    }

    /** What waits for answers at a barrier can no longer complete ({@link LiveRequests}). */
    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        live.clear();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}
}
