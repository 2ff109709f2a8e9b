package org.attentionanalytics.interest;

import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.pipeline.StepNames;
import org.attentionanalytics.pipeline.Uids;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;

/**
 * The catalog part of the graph (DESIGN.md sections 1, 2): where an event's topics come from when
 * it has none inline.
 *
 * <pre>
 * events ─ Topics: roll up, route ─┬─ inline topics or no item_id ───────────────────────────┬─ union ─> per-user operator
 *          (uid topic-depth)       └─ keyBy(item_id) ─┐                                     │
 *                                                     ├─ Catalog join (by item_id) ─────────┘
 * content-catalog ─ CatalogDeserializer ─ (catalog door) ─ keyBy(item_id) ─┘   (uid catalog-join; its watermarks ignored)
 * </pre>
 *
 * The catalog (possibly tens of millions of items) is partitioned by item id in keyed RocksDB
 * state, never broadcast. Use {@link #catalogStream} and {@link #enrich}.
 */
public final class CatalogJoin {
  private CatalogJoin() {}

  /**
   * Gives every event its topics: inline topics rolled up to {@code topicDepth}; else, for an event
   * with an {@code item_id}, its item's catalog profile as the join has read it when the event
   * arrives (or none, counted as {@link CatalogJoinFunction#EVENTS_WITHOUT_PROFILE}).
   *
   * @param events the clean events (after the door), any partitioning
   * @param catalog catalog updates, e.g. {@link #catalogStream}; its watermarks are ignored
   * @param topicDepth {@code --topic-depth}; {@code <= 0} keeps topics whole
   * @return every input event exactly once, with {@code topics} and {@code topic_weights} set as
   *     described; not keyed (the caller keys it by user). Events that bypass the join keep their
   *     order; the others may overtake or fall behind them (the per-user operator orders by event
   *     time)
   */
  public static DataStream<AttentionEvent> enrich(DataStream<AttentionEvent> events, DataStream<CatalogUpdate> catalog,
      int topicDepth) {
    SingleOutputStreamOperator<AttentionEvent> routed = events
        .process(new TopicRouter(topicDepth))
        .uid(Uids.TOPIC_DEPTH).name(StepNames.TOPIC_DEPTH);
    SingleOutputStreamOperator<AttentionEvent> joined = routed.getSideOutput(SideOutputs.NEEDS_CATALOG)
        .keyBy(AttentionEvent::getItemId)
        .connect(catalog.keyBy(CatalogUpdate::getItemId))
        .transform(StepNames.CATALOG_JOIN, events.getType(), new CatalogJoinOperator(new CatalogJoinFunction(topicDepth)))
        .uid(Uids.CATALOG_JOIN);
    return routed.union(joined);
  }

  /**
   * Adds the catalog source to {@code env} (uid {@value Uids#SOURCE_CATALOG}), without watermarks: the
   * catalog is not event-timed (a profile applies from when the join reads it), and {@link
   * CatalogJoinOperator} takes event time from the events alone.
   *
   * @param source e.g. {@code KafkaSources.catalog}, which starts from the earliest offsets without state
   * @param topic for the operator's name
   */
  public static DataStream<CatalogUpdate> catalogStream(StreamExecutionEnvironment env,
      Source<CatalogUpdate, ?, ?> source, String topic) {
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), StepNames.source(topic)).uid(Uids.SOURCE_CATALOG);
  }
}
