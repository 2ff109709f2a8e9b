package org.attentionanalytics.recommend;

import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.PopularItems;

/**
 * The popularity table, one key for the whole job: the Flink adapter of {@link Popularity}. Takes the
 * item gate's counts one event time at a time once the watermark passes them; at each whole
 * event-time minute after a change it broadcasts a snapshot of the most popular items, holding the
 * counts of the events before that minute, which the ranking uses for requests from then on.
 */
public final class PopularItemsFunction extends KeyedProcessFunction<Integer, ItemMessage, PopularItems> {
    private static final long serialVersionUID = 1L;

    /** Snapshots are taken at whole minutes of event time. */
    public static final long SNAPSHOT_MS = 60_000;

    private static final Comparator<ItemMessage> ORDER =
            Comparator.comparing(ItemMessage::getItem).thenComparingDouble(ItemMessage::getCount);

    private final RecsSettings settings;
    private transient Popularity popularity;
    private transient ValueState<PopularItems> table;
    private transient TimeBuffer<ItemMessage> waiting;

    public PopularItemsFunction(RecsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        popularity = new Popularity(settings.halfLifeMs(), settings.size() * RecsSettings.POPULAR_CANDIDATES_PER_SLOT);
        table = getRuntimeContext().getState(RecsState.value(RecsState.POPULAR, PopularItems.class, 0));
        waiting = new TimeBuffer<>(
                getRuntimeContext().getMapState(TimeBuffer.descriptor(RecsState.WAITING, ItemMessage.class)));
    }

    @Override
    public void processElement(ItemMessage count, Context ctx, Collector<PopularItems> out) throws Exception {
        if (!waiting.offer(count, count.getTime(), ctx.timerService())) {
            apply(List.of(count), ctx);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<PopularItems> out) throws Exception {
        PopularItems current = table.value();
        if (current != null && t % SNAPSHOT_MS == 0 && current.getTime() < t && current.getTime() >= t - SNAPSHOT_MS) {
            out.collect(popularity.snapshot(current, t, settings.size()));
        }
        List<ItemMessage> counts = waiting.take(t);
        counts.sort(ORDER);
        apply(counts, ctx);
    }

    private void apply(List<ItemMessage> counts, Context ctx) throws Exception {
        if (counts.isEmpty()) {
            return;
        }
        PopularItems current = table.value();
        for (ItemMessage c : counts) {
            if (current == null) {
                current = Popularity.empty(c.getTime());
            }
            popularity.report(current, c.getItem(), c.getCount(), c.getTime());
            ctx.timerService().registerEventTimeTimer((c.getTime() / SNAPSHOT_MS + 1) * SNAPSHOT_MS);
        }
        popularity.trim(current);
        table.update(current);
    }
}
