package org.attentionanalytics.recommend;

import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RecsHistory;

/**
 * The users' histories, keyed by pseudonym: the Flink adapter of {@link UserHistory}. Signals wait
 * for the watermark and are applied one event time at a time; messages to the item rows are the
 * main output, those to the ranking go to {@link #TO_RANKING}. An ERASED signal takes effect at its
 * time, after the signals of that time ({@link UserHistory#erase}): the per-user operator gives it
 * the request's time in a bounded run and its watermark when it read the request in a live one.
 */
public final class UserHistoryFunction extends EventTimeOrderedFunction<String, ItemSignal, ItemMessage> {
    private static final long serialVersionUID = 1L;

    /** Requests and erasures for the ranking. */
    public static final OutputTag<RankMessage> TO_RANKING =
            new OutputTag<>("to-ranking", new AvroTypeInfo<>(RankMessage.class));

    /** Joins and leaves of the buckets of similar users ({@link Neighbourhoods}). */
    public static final OutputTag<NeighbourhoodMessage> TO_BUCKETS =
            new OutputTag<>("to-buckets", new AvroTypeInfo<>(NeighbourhoodMessage.class));

    /** By kind, an erasure last whatever kinds come after it in the enum (it applies after its time's signals). */
    private static final Comparator<ItemSignal> ORDER = Comparator.comparing(
                    (ItemSignal s) -> s.getKind() == ItemSignalKind.ERASED)
            .thenComparing(ItemSignal::getKind)
            .thenComparing(s -> s.getItemId() == null ? "" : s.getItemId())
            .thenComparing(s -> s.getSessionId() == null ? "" : s.getSessionId());

    private final RecsSettings settings;
    private final long ttlMs;
    private transient UserHistory engine;
    private transient ValueState<RecsHistory> history;

    private final boolean similarUsers;

    /** A history without similar users. */
    public UserHistoryFunction(RecsSettings settings, long ttlMs) {
        this(settings, ttlMs, false);
    }

    /** @param similarUsers whether INTERESTS signals join buckets of similar users ({@link #TO_BUCKETS}) */
    public UserHistoryFunction(RecsSettings settings, long ttlMs, boolean similarUsers) {
        super(ItemSignal.class);
        this.settings = settings;
        this.ttlMs = ttlMs;
        this.similarUsers = similarUsers;
    }

    @Override
    void openState() {
        engine = new UserHistory(settings, similarUsers);
        history = getRuntimeContext().getState(RecsState.value(RecsState.HISTORY, RecsHistory.class, ttlMs));
    }

    @Override
    Comparator<ItemSignal> order() {
        return ORDER;
    }

    @Override
    long timeOf(ItemSignal signal) {
        return signal.getTime();
    }

    /**
     * On arrival: a LIVE_VIEW asks for a provisional list at once ({@link UserHistory#liveRequest},
     * with the signals still waiting here for the watermark);
     * a live job's erasure drops the waiting signals from before it, the history with them.
     */
    @Override
    boolean onArrival(ItemSignal signal, Context ctx, Collector<ItemMessage> out) throws Exception {
        if (signal.getKind() == ItemSignalKind.LIVE_VIEW) {
            RecsHistory h = history.value();
            engine.liveRequest(
                    h == null ? UserHistory.empty() : h,
                    ctx.getCurrentKey(),
                    signal,
                    waitingRecords(ctx),
                    output(ctx, out));
            return true;
        }
        if (signal.getKind() != ItemSignalKind.ERASED || settings.erasureInEventTime()) {
            return false;
        }
        dropWaitingUpTo(signal.getTime(), ctx);
        erase(signal.getTime(), ctx, out);
        return true;
    }

    @Override
    void apply(List<ItemSignal> signals, long t, Context ctx, Collector<ItemMessage> out) throws Exception {
        RecsHistory h = history.value();
        if (h == null) {
            h = UserHistory.empty();
        }
        String user = ctx.getCurrentKey();
        engine.apply(h, user, t, signals, output(ctx, out));
        if (!signals.isEmpty() && signals.get(signals.size() - 1).getKind() == ItemSignalKind.ERASED) { // last in ORDER
            erase(t, ctx, out);
            return;
        }
        if (engine.isEmpty(h, t)) { // t, not the watermark: a jump must not end the erasure's time early
            history.clear();
        } else {
            history.update(h);
        }
    }

    /** Erases the user's history at {@code t}; its time stays until the lateness has passed it. */
    private void erase(long t, Context ctx, Collector<ItemMessage> out) throws Exception {
        history.update(UserHistory.erase(history.value(), ctx.getCurrentKey(), t, output(ctx, out)));
        ctx.timerService().registerEventTimeTimer(t + settings.latenessMs() + 1);
    }

    private static UserHistory.Out output(Context ctx, Collector<ItemMessage> out) {
        return new UserHistory.Out() {
            @Override
            public void toItem(ItemMessage message) {
                out.collect(message);
            }

            @Override
            public void toRanking(RankMessage message) {
                ctx.output(TO_RANKING, message);
            }

            @Override
            public void toBucket(NeighbourhoodMessage message) {
                ctx.output(TO_BUCKETS, message);
            }
        };
    }
}
