package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.DecayedCount;
import org.attentionanalytics.avro.internal.ItemEngagement;
import org.attentionanalytics.avro.internal.ItemMeanEngaged;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemMessageKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;

/**
 * The item gate, keyed by item id (DESIGN.md section 12): counts the item's views with decay and
 * lets a view count while the item's decayed count is below fMax ({@code
 * --recs.max-item-interactions}, Schelter et al.'s per-item cap). Every view goes on to the user's
 * history with {@code counted} and the item's count set. The popularity table ({@link #POPULARITY})
 * hears the item's count with its first counted view of each event-time minute (it snapshots whole
 * minutes: this keeps its one key from taking every view); the rankings hear the item's topics
 * with the same view ({@link #ITEM_TOPICS}), and the tables of those topics its count ({@link
 * #TOPIC_POPULARITY}). ENGAGED signals (a view ended, its session closed) update the item's mean
 * engaged time ({@link MeanEngaged}), which the rankings hear ({@link #ENGAGEMENT}). Applies views in event-time order once the watermark
 * passes them.
 */
public final class ItemGateFunction extends EventTimeOrderedFunction<String, ItemSignal, ItemSignal> {
    private static final long serialVersionUID = 1L;

    /** Counted views' item counts, for the popularity table. */
    public static final OutputTag<ItemMessage> POPULARITY =
            new OutputTag<>("item-popularity", new AvroTypeInfo<>(ItemMessage.class));

    /**
     * The item's topics as its views gave them, with the popularity report: every ranking subtask
     * keeps them for FOCUSED lists (inline topics need no catalog).
     */
    public static final OutputTag<CatalogUpdate> ITEM_TOPICS =
            new OutputTag<>("item-topics", new AvroTypeInfo<>(CatalogUpdate.class));

    /** Items' mean engaged times per view, at most once per item and event-time minute, for the rankings. */
    public static final OutputTag<ItemMeanEngaged> ENGAGEMENT =
            new OutputTag<>("item-engagement", new AvroTypeInfo<>(ItemMeanEngaged.class));

    /**
     * The same counts once per topic of the view ({@code other}: the topic), for the topics' tables
     * of content matching.
     */
    public static final OutputTag<ItemMessage> TOPIC_POPULARITY =
            new OutputTag<>("topic-popularity", new AvroTypeInfo<>(ItemMessage.class));

    static final Comparator<ItemSignal> ORDER = Comparator.comparing(ItemSignal::getUser)
            .thenComparing(s -> s.getSessionId() == null ? "" : s.getSessionId());

    private final RecsSettings settings;
    private final long ttlMs;
    private transient ValueState<DecayedCount> count;
    private transient ValueState<ItemEngagement> engagement;

    public ItemGateFunction(RecsSettings settings, long ttlMs) {
        super(ItemSignal.class);
        this.settings = settings;
        this.ttlMs = ttlMs;
    }

    @Override
    void openState() {
        count = getRuntimeContext().getState(RecsState.value(RecsState.ITEM_INTERACTIONS, DecayedCount.class, ttlMs));
        engagement =
                getRuntimeContext().getState(RecsState.value(RecsState.ITEM_ENGAGEMENT, ItemEngagement.class, ttlMs));
    }

    @Override
    Comparator<ItemSignal> order() {
        return ORDER;
    }

    @Override
    long timeOf(ItemSignal view) {
        return view.getTime();
    }

    /** The views of {@code t} (counted, passed on) and the ENGAGED signals of the views that ended (kept here). */
    @Override
    void apply(List<ItemSignal> signals, long t, Context ctx, Collector<ItemSignal> out) throws Exception {
        List<ItemSignal> views = new ArrayList<>(signals.size());
        ItemEngagement e = null;
        for (ItemSignal s : signals) {
            if (s.getKind() == ItemSignalKind.ENGAGED) {
                if (e == null) {
                    e = engagement.value();
                    e = e == null ? MeanEngaged.empty(t) : e;
                }
                MeanEngaged.add(e, s.getEngagedMs(), s.getTime(), settings.halfLifeMs());
            } else {
                views.add(s);
            }
        }
        if (e != null) {
            long minute = t / PopularItemsFunction.SNAPSHOT_MS;
            if (e.getReportedMinute() != minute) {
                e.setReportedMinute(minute);
                ctx.output(ENGAGEMENT, new ItemMeanEngaged(ctx.getCurrentKey(), MeanEngaged.mean(e)));
            }
            engagement.update(e);
        }
        if (!views.isEmpty()) {
            countViews(views, t, ctx, out);
        }
    }

    private void countViews(List<ItemSignal> views, long t, Context ctx, Collector<ItemSignal> out) throws Exception {
        DecayedCount c = count.value();
        boolean reported = false; // this minute's count already went to the popularity table
        if (c == null) {
            c = Decay.count(0, t);
        } else {
            reported = c.getValue() > 0
                    && c.getTime() / PopularItemsFunction.SNAPSHOT_MS == t / PopularItemsFunction.SNAPSHOT_MS;
        }
        for (ItemSignal view : views) {
            boolean counted =
                    Decay.valueAt(c, Math.max(t, c.getTime()), settings.halfLifeMs()) < settings.maxItemInteractions();
            if (counted) {
                Decay.add(c, 1, t, settings.halfLifeMs());
            }
            double now = Decay.valueAt(c, Math.max(t, c.getTime()), settings.halfLifeMs());
            view.setCounted(counted);
            view.setItemCount(now);
            List<String> topics = view.getTopics();
            view.setTopics(List.of()); // for the rankings only (below): the history does not keep them
            out.collect(view);
            if (counted && !reported) {
                reported = true;
                ctx.output(
                        POPULARITY,
                        ItemMessage.newBuilder()
                                .setItem(view.getItemId())
                                .setKind(ItemMessageKind.COUNT)
                                .setTime(t)
                                .setCount(now)
                                .build());
                for (String topic : topics) {
                    ctx.output(
                            TOPIC_POPULARITY,
                            ItemMessage.newBuilder()
                                    .setItem(view.getItemId())
                                    .setKind(ItemMessageKind.COUNT)
                                    .setTime(t)
                                    .setCount(now)
                                    .setOther(topic)
                                    .build());
                }
                if (!topics.isEmpty()) {
                    List<Double> weights = new ArrayList<>();
                    topics.forEach(x -> weights.add(1.0));
                    ctx.output(ITEM_TOPICS, new CatalogUpdate(view.getItemId(), topics, weights, false, null));
                }
            }
        }
        count.update(c);
    }
}
