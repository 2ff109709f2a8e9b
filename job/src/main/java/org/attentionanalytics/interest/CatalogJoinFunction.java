package org.attentionanalytics.interest;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.common.AvroCoders;
import org.attentionanalytics.pipeline.CountedName;

/**
 * The catalog join (DESIGN.md sections 1, 2): keyed by {@code item_id}, input 1 the events that
 * need the catalog (no inline topics), input 2 the {@code content-catalog} updates. Each key holds
 * at most one {@link ItemTopics} in RocksDB: the item's topics rolled up by {@code --topic-depth}
 * and distinct, with parallel weights normalised to sum 1 (the proportions of the catalog
 * weights, which is all that the per-user side needs: "an item's topics share a signal in
 * proportion to their catalog weights"). Strings and doubles only, Avro-serialised: no Kryo, and
 * the item id is the state key, not stored again.
 *
 * <ul>
 *   <li>An event whose item has a profile goes out with {@code topics} and {@code topic_weights}
 *       set from it (counted: {@value #EVENTS_ENRICHED}).
 *   <li>An event whose item has no profile (yet) goes out unchanged, without topics, and is
 *       counted: {@value #EVENTS_WITHOUT_PROFILE} (the per-user side then counts it again as
 *       {@code unknownTopicEvents}, DESIGN.md section 6, as it has no signal).
 *   <li>A catalog update replaces the item's profile; a tombstone ({@code deleted}) removes it
 *       (counted: {@value #CATALOG_UPDATES}, both). Topics whose weight is not finite or not
 *       {@code > 0} are dropped (they would get no share); a profile left without topics removes
 *       the item's profile, like a tombstone.
 * </ul>
 *
 * <p>An event takes the latest profile this operator has read when the event arrives (processing
 * order, not event time): there are no timers and nothing is buffered. Both inputs are keyed by
 * {@code item_id}, so one item's updates and events meet in one subtask; the catalog is never
 * broadcast.
 */
public class CatalogJoinFunction extends KeyedCoProcessFunction<String, AttentionEvent, CatalogUpdate, AttentionEvent> {
    private static final long serialVersionUID = 1L;

    /** Name of the keyed state (one {@link ItemTopics} per item id). Never change it: savepoints map state by it. */
    public static final String STATE_NAME = "item-topics";
    /** Counter (metric and accumulator): events that reached the join while their item had no profile. */
    public static final String EVENTS_WITHOUT_PROFILE = "eventsWithoutProfile";
    /** Counter (metric and accumulator): events given their item's catalog topics. */
    public static final String EVENTS_ENRICHED = "eventsEnrichedFromCatalog";
    /** Counter (metric and accumulator): catalog updates applied (profiles stored or removed). */
    public static final String CATALOG_UPDATES = "catalogUpdates";

    private final int topicDepth;

    private transient ValueState<ItemTopics> profile;
    private transient CountedName withoutProfile;
    private transient CountedName enriched;
    private transient CountedName updates;

    /** @param topicDepth {@code --topic-depth}: dot-separated segments kept of catalog topics; {@code <= 0} keeps them whole */
    public CatalogJoinFunction(int topicDepth) {
        this.topicDepth = topicDepth;
    }

    /** The descriptor of the keyed state {@value #STATE_NAME}, Avro-serialised (for the state processor API and tests). */
    public static ValueStateDescriptor<ItemTopics> stateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(ItemTopics.class));
    }

    @Override
    public void open(OpenContext openContext) {
        AvroCoders.useGeneratedCoders();
        profile = getRuntimeContext().getState(stateDescriptor());
        withoutProfile = CountedName.register(getRuntimeContext(), EVENTS_WITHOUT_PROFILE);
        enriched = CountedName.register(getRuntimeContext(), EVENTS_ENRICHED);
        updates = CountedName.register(getRuntimeContext(), CATALOG_UPDATES);
    }

    /** An event without inline topics: out with its item's profile, or unchanged and counted. */
    @Override
    public void processElement1(AttentionEvent event, Context ctx, Collector<AttentionEvent> out) throws Exception {
        ItemTopics p = profile.value();
        if (p == null) {
            withoutProfile.inc();
            out.collect(event);
            return;
        }
        // The event came over the network (keyBy), so it is this operator's own copy.
        event.setTopics(p.getTopics());
        event.setTopicWeights(p.getWeights());
        enriched.inc();
        out.collect(event);
    }

    /** A catalog update: stores the item's profile, or removes it for a tombstone or a profile without usable topics. */
    @Override
    public void processElement2(CatalogUpdate update, Context ctx, Collector<AttentionEvent> out) throws Exception {
        if (update.getDeadLetter() != null) {
            return; // the catalog door sends these to attention-dlq; a stream without the door passes them here
        }
        ItemTopics p = update.getDeleted() ? null : toProfile(update.getTopics(), update.getWeights(), topicDepth);
        if (p == null) {
            profile.clear();
        } else {
            profile.update(p);
        }
        updates.inc();
    }

    /**
     * The stored form of a catalog profile: topics with a finite weight {@code > 0} (all with weight
     * 1 when {@code weights} is empty or not parallel), rolled up to {@code depth} segments with the
     * weights of merged topics summed, then normalised to sum 1. Weights are first divided by the
     * largest, so that no sum can overflow (two weights near {@link Double#MAX_VALUE} would sum to
     * infinity and normalise to NaN).
     *
     * @return the profile, or null when no topic is left
     */
    public static ItemTopics toProfile(List<String> topics, List<Double> weights, int depth) {
        boolean weighted = weights.size() == topics.size();
        List<String> keptTopics = new ArrayList<>(topics.size());
        List<Double> keptWeights = new ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            double w = weighted ? weights.get(i) : 1.0;
            if (Double.isFinite(w) && w > 0) {
                keptTopics.add(topics.get(i));
                keptWeights.add(w);
            }
        }
        double max = keptWeights.stream().mapToDouble(Double::doubleValue).max().orElse(1.0);
        keptWeights.replaceAll(w -> w / max);
        Topics.Weighted merged = Topics.rollUp(keptTopics, keptWeights, depth);
        if (merged.isEmpty()) {
            return null;
        }
        return ItemTopics.newBuilder()
                .setTopics(new ArrayList<>(merged.topics()))
                .setWeights(Topics.normalised(merged.weights()))
                .build();
    }
}
