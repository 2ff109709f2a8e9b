package org.attentionanalytics.recommend;

import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.PopularItems;

/**
 * The popularity table, one key for the whole job: the Flink adapter of {@link Popularity}. Takes the
 * item gate's counts one event time at a time once the watermark passes them; at each whole
 * event-time minute after a change it broadcasts a snapshot of the most popular items, holding the
 * counts of the events before that minute, which the ranking uses for requests from then on: the
 * list size plus {@link #SNAPSHOT_EXTRA} items, so that a list still fills when the user's own
 * recent items, excluded, are among the most popular.
 */
public final class PopularItemsFunction extends EventTimeOrderedFunction<Integer, ItemMessage, PopularItems> {
    private static final long serialVersionUID = 1L;

    /**
     * Items a snapshot holds beyond the list size: as many as a user's exclusions can take out (the
     * recent items and the purchases kept), so a list still fills.
     */
    static final int SNAPSHOT_EXTRA = RecsSettings.RECENT_ITEMS + RecsSettings.PURCHASES;

    /** Snapshots are taken at whole minutes of event time. */
    public static final long SNAPSHOT_MS = 60_000;

    private static final Comparator<ItemMessage> ORDER =
            Comparator.comparing(ItemMessage::getItem).thenComparingDouble(ItemMessage::getCount);

    private final RecsSettings settings;
    private transient Popularity popularity;
    private transient ValueState<PopularItems> table;

    public PopularItemsFunction(RecsSettings settings) {
        super(ItemMessage.class);
        this.settings = settings;
    }

    @Override
    void openState() {
        popularity = new Popularity(settings.halfLifeMs(), settings.size() * RecsSettings.POPULAR_CANDIDATES_PER_SLOT);
        table = getRuntimeContext().getState(RecsState.value(RecsState.POPULAR, PopularItems.class, 0));
    }

    @Override
    Comparator<ItemMessage> order() {
        return ORDER;
    }

    @Override
    long timeOf(ItemMessage count) {
        return count.getTime();
    }

    /** A snapshot at a whole minute when the table changed in the minute before. */
    @Override
    void beforeApplying(long t, OnTimerContext ctx, Collector<PopularItems> out) throws Exception {
        PopularItems current = table.value();
        if (current != null && t % SNAPSHOT_MS == 0 && current.getTime() < t && current.getTime() >= t - SNAPSHOT_MS) {
            out.collect(popularity.snapshot(current, t, SNAPSHOT_EXTRA + settings.size()));
        }
    }

    @Override
    void apply(List<ItemMessage> counts, long t, Context ctx, Collector<PopularItems> out) throws Exception {
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
