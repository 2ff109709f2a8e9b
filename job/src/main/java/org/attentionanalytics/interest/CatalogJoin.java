package org.attentionanalytics.interest;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.pipeline.StepNames;
import org.attentionanalytics.pipeline.Uids;

/**
 * The two steps of the graph that give events their topics when they have none inline (DESIGN.md
 * sections 1, 2): {@link #route} and {@link #join}.
 *
 * <pre>
 * events ─ Topics: roll up, route ─┬─ inline topics or no item_id ───────────────────────────┬─ union ─> per-user operator
 *          (uid topic-depth)       └─ keyBy(item_id) ─┐                                     │
 *                                                     ├─ Catalog join (by item_id) ─────────┘
 * content-catalog ─ CatalogDeserializer ─ (catalog door) ─ keyBy(item_id) ─┘   (uid catalog-join; its watermarks ignored)
 * </pre>
 *
 * The catalog (possibly tens of millions of items) is partitioned by item id in keyed RocksDB
 * state, never broadcast. Every input event comes out exactly once, from the router's main output
 * or from the join. Events that bypass the join keep their order; the others may overtake or fall
 * behind them (the per-user operator orders by event time).
 */
public final class CatalogJoin {
    private CatalogJoin() {}

    /**
     * Rolls inline topics up to {@code topicDepth} and sends the events with an {@code item_id} and
     * no topics to the {@link SideOutputs#NEEDS_CATALOG} side output ({@link TopicRouter}).
     *
     * @param events the clean events (after the door), any partitioning
     * @param topicDepth {@code --topic-depth}; {@code <= 0} keeps topics whole
     * @return the events that need no catalog; the others are its side output
     */
    public static SingleOutputStreamOperator<AttentionEvent> route(DataStream<AttentionEvent> events, int topicDepth) {
        return events.process(new TopicRouter(topicDepth)).uid(Uids.TOPIC_DEPTH).name(StepNames.TOPIC_DEPTH);
    }

    /**
     * Gives each event its item's catalog profile as the join has read it when the event arrives (or
     * none, counted as {@link CatalogJoinFunction#EVENTS_WITHOUT_PROFILE}).
     *
     * @param needsCatalog the {@link SideOutputs#NEEDS_CATALOG} side output of {@link #route}
     * @param catalog catalog updates (after the catalog door); their watermarks are ignored
     * @param topicDepth {@code --topic-depth}, applied to the catalog's topics
     * @return the joined events, not keyed (the caller keys them by user)
     */
    public static SingleOutputStreamOperator<AttentionEvent> join(
            DataStream<AttentionEvent> needsCatalog, DataStream<CatalogUpdate> catalog, int topicDepth) {
        return needsCatalog
                .keyBy(AttentionEvent::getItemId)
                .connect(catalog.keyBy(CatalogUpdate::getItemId))
                .transform(
                        StepNames.CATALOG_JOIN,
                        needsCatalog.getType(),
                        new CatalogJoinOperator(new CatalogJoinFunction(topicDepth)))
                .uid(Uids.CATALOG_JOIN);
    }
}
