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
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
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
 */
public final class RankingFunction
        extends KeyedBroadcastProcessFunction<String, RankMessage, PopularItems, RecommendationUpdate> {
    private static final long serialVersionUID = 1L;

    /** The popularity snapshots by their time. */
    public static final MapStateDescriptor<Long, PopularItems> POPULAR =
            new MapStateDescriptor<>(RecsState.POPULAR, Types.LONG, new AvroTypeInfo<>(PopularItems.class));

    private final RecsSettings settings;
    private transient Ranking ranking;
    private transient TimeBuffer<RankMessage> waiting;

    public RankingFunction(RecsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        ranking = new Ranking(settings.size());
        waiting = new TimeBuffer<>(
                getRuntimeContext().getMapState(TimeBuffer.descriptor(RecsState.WAITING, RankMessage.class)));
    }

    @Override
    public void processElement(RankMessage message, ReadOnlyContext ctx, Collector<RecommendationUpdate> out)
            throws Exception {
        if (message.getKind() == RankMessageKind.ERASED && !settings.erasureInEventTime()) {
            // a live job's erasure acts on arrival: lists not yet ranked from before it are dropped
            waiting.dropUpTo(message.getTime(), ctx.timerService());
            out.collect(new RecommendationUpdate(ctx.getCurrentKey(), null));
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
        }
    }

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
