package org.attentionanalytics.job;

import org.attentionanalytics.pipeline.StepNames;
import org.attentionanalytics.pipeline.Uids;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.ControlDecoder;
import org.attentionanalytics.io.ControlWatermarks;
import org.attentionanalytics.io.DeadLetters;

/**
 * The control part of the graph (DESIGN.md sections 1, 2 and 9): the {@code attention-budgets} and
 * {@code privacy-requests} topics, decoded at the door by {@link ControlDecoder} in the source
 * readers, with {@link ControlWatermarks} (idle for good: they never hold event time back), routed
 * by a {@link DoorRouter} of their own:
 *
 * <pre>
 * attention-budgets ─┐ Kafka sources: decode at the door, ┌ BUDGET / ERASURE records ─> union with the events
 * privacy-requests ──┘ no watermarks ─ Door (control) ───┤   after the catalog join, before keyBy(pseudonym)
 *                                                        └ dead letters ─> attention-dlq
 * </pre>
 *
 * Where the sources start: {@link KafkaSources}.
 */
public final class ControlInputs {
  private ControlInputs() {}

  /**
   * Adds both control sources (made by {@code io}: {@link JobIo#KAFKA} gives {@link KafkaSources#control}) and
   * their door to {@code env}.
   *
   * @return the clean BUDGET and ERASURE records (pseudonymized, not keyed); their dead letters are
   *     the {@link DeadLetters#TAG} side output of the returned operator
   */
  public static SingleOutputStreamOperator<AttentionEvent> define(StreamExecutionEnvironment env, JobOptions options,
      JobIo io) {
    DataStream<SourceRecord> budgets = env.fromSource(
            io.controlSource(options, options.budgetsTopic, EventKind.BUDGET), ControlWatermarks.strategy(),
            StepNames.source(options.budgetsTopic))
        .uid(Uids.SOURCE_BUDGETS);
    DataStream<SourceRecord> requests = env.fromSource(
            io.controlSource(options, options.privacyRequestsTopic, EventKind.ERASURE), ControlWatermarks.strategy(),
            StepNames.source(options.privacyRequestsTopic))
        .uid(Uids.SOURCE_PRIVACY_REQUESTS);
    return budgets.union(requests)
        .process(new DoorRouter())
        .uid(Uids.DOOR_CONTROL).name(StepNames.DOOR_CONTROL);
  }
}
