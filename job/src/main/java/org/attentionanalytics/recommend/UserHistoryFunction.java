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
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RecsHistory;

/**
 * The users' histories, keyed by pseudonym: the Flink adapter of {@link UserHistory}. Signals wait
 * for the watermark and are applied one event time at a time; messages to the item rows are the
 * main output, those to the ranking go to {@link #TO_RANKING}. An ERASED signal acts on arrival: it
 * drops the waiting signals and the history ({@link UserHistory#erase}).
 */
public final class UserHistoryFunction extends EventTimeOrderedFunction<String, ItemSignal, ItemMessage> {
    private static final long serialVersionUID = 1L;

    /** Requests and erasures for the ranking. */
    public static final OutputTag<RankMessage> TO_RANKING =
            new OutputTag<>("to-ranking", new AvroTypeInfo<>(RankMessage.class));

    private static final Comparator<ItemSignal> ORDER = Comparator.comparing(ItemSignal::getKind)
            .thenComparing(s -> s.getItemId() == null ? "" : s.getItemId())
            .thenComparing(s -> s.getSessionId() == null ? "" : s.getSessionId());

    private final RecsSettings settings;
    private final long ttlMs;
    private transient UserHistory engine;
    private transient ValueState<RecsHistory> history;

    public UserHistoryFunction(RecsSettings settings, long ttlMs) {
        super(ItemSignal.class);
        this.settings = settings;
        this.ttlMs = ttlMs;
    }

    @Override
    void openState() {
        engine = new UserHistory(settings);
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

    @Override
    boolean onArrival(ItemSignal signal, Context ctx, Collector<ItemMessage> out) throws Exception {
        if (signal.getKind() == ItemSignalKind.ERASED) {
            String user = ctx.getCurrentKey();
            waiting.clear(ctx.timerService());
            RecsHistory fresh = UserHistory.erase(history.value(), user, signal.getTime(), output(ctx, out));
            history.update(fresh);
            // clears the erasure marker once no signal from before it can arrive
            ctx.timerService()
                    .registerEventTimeTimer(
                            Math.max(signal.getTime(), ctx.timerService().currentWatermark())
                                    + settings.latenessMs()
                                    + 1);
            return true;
        }
        return false;
    }

    @Override
    void apply(List<ItemSignal> signals, long t, Context ctx, Collector<ItemMessage> out) throws Exception {
        RecsHistory h = history.value();
        if (h == null) {
            h = UserHistory.empty();
        }
        engine.apply(h, ctx.getCurrentKey(), t, signals, output(ctx, out));
        if (engine.isEmpty(h, ctx.timerService().currentWatermark())) {
            history.clear();
        } else {
            history.update(h);
        }
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
        };
    }
}
