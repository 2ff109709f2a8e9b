package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
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
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RankingBroadcast;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.attentionanalytics.interest.Topics;

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
 * gate's reports of the topics the items' views carried ({@link #CATALOG_TOPICS}, the later wins).
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

    /** Each item's topics, rolled up by {@code --topic-depth}: from the catalog or from its views. */
    public static final MapStateDescriptor<String, ItemTopics> CATALOG_TOPICS =
            new MapStateDescriptor<>(RecsState.CATALOG_TOPICS, Types.STRING, new AvroTypeInfo<>(ItemTopics.class));

    private final RecsSettings settings;
    private final int focusedSize;
    private final int topicDepth;
    private final long ttlMs;
    private transient Ranking ranking;
    private transient Ranking focusedRanking;
    private transient TimeBuffer<RankMessage> waiting;
    private transient LiveRequests live;
    private transient ValueState<RankMessage> mode;
    private transient ValueState<Recommendation> lastRanked;

    /**
     * @param focusedSize items in a FOCUSED list ({@code --recs.focused-size}); 0: modes off
     *     ({@code --recs.modes false}), MODE messages are dropped and every list is NORMAL
     * @param topicDepth the catalog topics' roll-up depth, as the interest vector's ({@code --topic-depth})
     * @param ttlMs the per-user state's retention ({@code --state-ttl}), ms
     */
    public RankingFunction(RecsSettings settings, int focusedSize, int topicDepth, long ttlMs) {
        this.settings = settings;
        this.focusedSize = focusedSize;
        this.topicDepth = topicDepth;
        this.ttlMs = ttlMs;
    }

    @Override
    public void open(OpenContext context) {
        ranking = new Ranking(settings.size());
        // a FOCUSED list looks for its topical items further down: candidates and popular fill
        focusedRanking = new Ranking(settings.size() * RecsSettings.POPULAR_CANDIDATES_PER_SLOT);
        live = new LiveRequests();
        waiting = new TimeBuffer<>(
                getRuntimeContext().getMapState(TimeBuffer.descriptor(RecsState.WAITING, RankMessage.class)));
        mode = getRuntimeContext().getState(RecsState.value(RecsState.MODE, RankMessage.class, ttlMs));
        lastRanked = getRuntimeContext().getState(RecsState.value(RecsState.LAST_LIST, Recommendation.class, ttlMs));
    }

    private ModeLists modeLists(ReadOnlyBroadcastState<String, ItemTopics> catalog) {
        return new ModeLists(settings.size(), focusedSize, item -> {
            try {
                ItemTopics t = catalog.get(item);
                return t == null ? Set.of() : new HashSet<>(t.getTopics());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void processElement(RankMessage message, ReadOnlyContext ctx, Collector<RecommendationUpdate> out)
            throws Exception {
        String user = ctx.getCurrentKey();
        if (message.getLiveId() != 0) {
            LiveRequests.Complete c = live.offer(user, message);
            if (c != null) {
                PopularItems popular = popularAt(ctx.getBroadcastState(POPULAR), Long.MAX_VALUE);
                Recommendation ranked = rankingFor(mode.value()).rank(user, c.request(), c.answers(), popular);
                ctx.output(
                        LIVE,
                        new RecommendationUpdate(
                                user,
                                modeLists(ctx.getBroadcastState(CATALOG_TOPICS)).apply(ranked, mode.value())));
            }
            return;
        }
        if (message.getKind() == RankMessageKind.MODE && focusedSize == 0) {
            return; // modes off
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
            catalog(element.getCatalog(), ctx.getBroadcastState(CATALOG_TOPICS));
        }
        if (element.getPopular() != null) {
            popular(element.getPopular(), ctx);
        }
    }

    /** A catalog record: the item's topics rolled up, or none after a tombstone. */
    private void catalog(CatalogUpdate c, BroadcastState<String, ItemTopics> topics) throws Exception {
        if (c.getDeadLetter() != null || c.getItemId().isEmpty()) {
            return;
        }
        if (c.getDeleted() || c.getTopics().isEmpty()) {
            topics.remove(c.getItemId());
            return;
        }
        Topics.Weighted w = Topics.rollUp(c.getTopics(), c.getWeights(), topicDepth);
        topics.put(c.getItemId(), new ItemTopics(w.topics(), w.weights()));
    }

    private void popular(PopularItems snapshot, Context ctx) throws Exception {
        BroadcastState<Long, PopularItems> snapshots = ctx.getBroadcastState(POPULAR);
        snapshots.put(snapshot.getTime(), snapshot);
        // A waiting or late request has a time after watermark - lateness: it needs the snapshots after
        // that and the latest one at or before it. Snapshots run ahead of the requests, so the
        // watermark, not the newest snapshot, says what is no longer needed.
        long watermark = ctx.currentWatermark();
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        long horizon = watermark - settings.latenessMs();
        long keep = Long.MIN_VALUE; // the latest snapshot at or before the horizon
        List<Long> times = new ArrayList<>();
        for (Map.Entry<Long, PopularItems> e : snapshots.entries()) {
            times.add(e.getKey());
            if (e.getKey() <= horizon) {
                keep = Math.max(keep, e.getKey());
            }
        }
        List<Long> old = new ArrayList<>();
        for (long time : times) {
            if (time < keep) {
                old.add(time);
            }
        }
        for (long time : old) {
            snapshots.remove(time);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<RecommendationUpdate> out) throws Exception {
        List<RankMessage> messages = waiting.take(t);
        RankMessage request = null;
        RankMessage switched = null;
        boolean erased = false;
        List<RankMessage> answers = new ArrayList<>();
        for (RankMessage m : messages) {
            switch (m.getKind()) {
                case REQUEST -> request = m;
                case SCORES -> answers.add(m);
                case ERASED -> erased = true;
                case MODE -> switched = m; // one per time: the per-user operator tells a change once
            }
        }
        String user = ctx.getCurrentKey();
        ModeLists lists = modeLists(ctx.getBroadcastState(CATALOG_TOPICS));
        if (switched != null) {
            mode.update(switched);
            if (request == null) {
                out.collect(new RecommendationUpdate(user, lists.onSwitch(user, switched, lastRanked.value())));
            }
        }
        if (request != null) {
            Recommendation ranked =
                    rankingFor(mode.value()).rank(user, request, answers, popularAt(ctx.getBroadcastState(POPULAR), t));
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
        return ModeLists.modeOf(userMode) == RecommendationMode.FOCUSED ? focusedRanking : ranking;
    }

    /** The user's mode and last ranked list go with an erasure. */
    private void eraseModes() {
        mode.clear();
        lastRanked.clear();
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

    /** @return the latest snapshot whose time is not after {@code t}, or null */
    private static PopularItems popularAt(ReadOnlyBroadcastState<Long, PopularItems> snapshots, long t)
            throws Exception {
        PopularItems best = null;
        for (Map.Entry<Long, PopularItems> e : snapshots.immutableEntries()) {
            if (e.getKey() <= t && (best == null || e.getKey() > best.getTime())) {
                best = e.getValue();
            }
        }
        return best;
    }
}
