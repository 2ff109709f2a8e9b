package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecommendationUpdate;

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
 */
public final class RankingFunction
        extends KeyedBroadcastProcessFunction<String, RankMessage, PopularItems, RecommendationUpdate>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Provisional lists and tombstones for {@code recommendations-live}. */
    public static final OutputTag<RecommendationUpdate> LIVE =
            new OutputTag<>("recommendations-live", new AvroTypeInfo<>(RecommendationUpdate.class));

    /** The popularity snapshots by their time. */
    public static final MapStateDescriptor<Long, PopularItems> POPULAR =
            new MapStateDescriptor<>(RecsState.POPULAR, Types.LONG, new AvroTypeInfo<>(PopularItems.class));

    private final RecsSettings settings;
    private transient Ranking ranking;
    private transient TimeBuffer<RankMessage> waiting;
    private transient LiveRequests live;

    public RankingFunction(RecsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        ranking = new Ranking(settings.size());
        live = new LiveRequests();
        waiting = new TimeBuffer<>(
                getRuntimeContext().getMapState(TimeBuffer.descriptor(RecsState.WAITING, RankMessage.class)));
    }

    @Override
    public void processElement(RankMessage message, ReadOnlyContext ctx, Collector<RecommendationUpdate> out)
            throws Exception {
        String user = ctx.getCurrentKey();
        if (message.getLiveId() != 0) {
            LiveRequests.Complete c = live.offer(user, message);
            if (c != null) {
                PopularItems popular = popularAt(ctx.getBroadcastState(POPULAR), Long.MAX_VALUE);
                ctx.output(LIVE, new RecommendationUpdate(user, ranking.rank(user, c.request(), c.answers(), popular)));
            }
            return;
        }
        if (message.getKind() == RankMessageKind.ERASED && !settings.erasureInEventTime()) {
            // a live job's erasure acts on arrival: lists not yet ranked from before it are dropped
            waiting.dropUpTo(message.getTime(), ctx.timerService());
            out.collect(new RecommendationUpdate(user, null));
            eraseLive(user, ctx);
            return;
        }
        // a late request and its answers arrive apart: they meet at the next watermark
        waiting.hold(message, message.getTime(), ctx.timerService());
    }

    @Override
    public void processBroadcastElement(PopularItems snapshot, Context ctx, Collector<RecommendationUpdate> out)
            throws Exception {
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
        boolean erased = false;
        List<RankMessage> answers = new ArrayList<>();
        for (RankMessage m : messages) {
            switch (m.getKind()) {
                case REQUEST -> request = m;
                case SCORES -> answers.add(m);
                case ERASED -> erased = true;
            }
        }
        String user = ctx.getCurrentKey();
        if (request != null) {
            out.collect(new RecommendationUpdate(
                    user, ranking.rank(user, request, answers, popularAt(ctx.getBroadcastState(POPULAR), t))));
        }
        if (erased) { // after the list of the same time: the history was erased after its view
            out.collect(new RecommendationUpdate(user, null));
            eraseLive(user, ctx);
        }
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
