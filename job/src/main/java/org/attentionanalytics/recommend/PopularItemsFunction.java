package org.attentionanalytics.recommend;

import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.PopularItems;

/**
 * A popularity table: the Flink adapter of {@link Popularity}, for the whole job ({@link #overall},
 * one key) or per topic ({@link #perTopic}, keyed by topic: content matching). Takes the item gate's
 * counts one event time at a time once the watermark passes them; at each whole
 * event-time minute after a change it broadcasts a snapshot of the most popular items, holding the
 * counts of the events before that minute, which the ranking uses for requests from then on: the
 * list size plus {@link #SNAPSHOT_EXTRA} items, so that a list still fills when the user's own
 * recent items, excluded, are among the most popular.
 */
public final class PopularItemsFunction<K> extends EventTimeOrderedFunction<K, ItemMessage, PopularItems> {
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

    /** Items a topic's table keeps and its snapshots hold, per item of a list. */
    static final int TOPIC_ITEMS_PER_SLOT = 3;

    private final long halfLifeMs;
    private final int capacity;
    private final int snapshotSize;
    private final String stateName;
    private final boolean perTopic;
    private transient Popularity popularity;
    private transient ValueState<PopularItems> table;

    private PopularItemsFunction(long halfLifeMs, int capacity, int snapshotSize, String stateName, boolean perTopic) {
        super(ItemMessage.class);
        this.halfLifeMs = halfLifeMs;
        this.capacity = capacity;
        this.snapshotSize = snapshotSize;
        this.stateName = stateName;
        this.perTopic = perTopic;
    }

    /** The job's table, under one key: items by their COUNT reports. */
    public static PopularItemsFunction<Integer> overall(RecsSettings settings) {
        return new PopularItemsFunction<>(
                settings.halfLifeMs(),
                settings.size() * RecsSettings.POPULAR_CANDIDATES_PER_SLOT,
                SNAPSHOT_EXTRA + settings.size(),
                RecsState.POPULAR,
                false);
    }

    /** A table per topic, keyed by topic: the items of the COUNT reports whose {@code other} is the topic. */
    public static PopularItemsFunction<String> perTopic(RecsSettings settings) {
        int n = settings.size() * TOPIC_ITEMS_PER_SLOT;
        return new PopularItemsFunction<>(settings.halfLifeMs(), n, n, RecsState.TOPIC_TABLE, true);
    }

    @Override
    void openState() {
        popularity = new Popularity(halfLifeMs, capacity);
        table = getRuntimeContext().getState(RecsState.value(stateName, PopularItems.class, 0));
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
    void beforeApplying(long t, Context ctx, Collector<PopularItems> out) throws Exception {
        PopularItems current = table.value();
        if (current != null && t % SNAPSHOT_MS == 0 && current.getTime() < t && current.getTime() >= t - SNAPSHOT_MS) {
            PopularItems snapshot = popularity.snapshot(current, t, snapshotSize);
            if (perTopic) {
                snapshot.setTopic((String) ctx.getCurrentKey());
            }
            out.collect(snapshot);
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
