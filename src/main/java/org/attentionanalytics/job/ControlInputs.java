package org.attentionanalytics.job;

import org.attentionanalytics.pipeline.Uids;

import java.util.Locale;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.ControlWatermarks;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.EventDeserializer;

/**
 * The control part of the graph (DESIGN.md sections 1, 2 and 9): the {@code attention-budgets} and
 * {@code privacy-requests} topics, decoded at the door ({@link Doors#control}) in the source
 * readers, with {@link ControlWatermarks} (idle for good: they never hold event time back), routed
 * by a {@link DoorRouter} of their own:
 *
 * <pre>
 * attention-budgets ─┐ Kafka sources: decode at the door, ┌ BUDGET / ERASURE records ─> union with the events
 * privacy-requests ──┘ no watermarks ─ Door (control) ───┤   after the catalog join, before keyBy(pseudonym)
 *                                                        └ dead letters ─> attention-dlq
 * </pre>
 *
 * Starting offsets without a checkpoint: {@code privacy-requests} follows {@code --starting-offsets}
 * like the events; {@code attention-budgets} starts from the earliest offsets also when that option
 * is {@code latest} (a budget is a user's setting: skipping the ones already sent would silently
 * drop them), and from the committed ones with {@code committed}. With {@code --bounded} both
 * stop at the latest offsets seen at start.
 */
public final class ControlInputs {
  /** Name of the control door in the web UI. */
  public static final String NAME_DOOR = "Door (control): budgets, erasure requests, dead letters";

  private ControlInputs() {}

  /**
   * Adds both control sources (made by {@code io}: {@link JobIo#KAFKA} gives {@link #source}) and
   * their door to {@code env}.
   *
   * @return the clean BUDGET and ERASURE records (pseudonymized, not keyed); their dead letters are
   *     the {@link DeadLetters#TAG} side output of the returned operator
   */
  public static SingleOutputStreamOperator<AttentionEvent> define(StreamExecutionEnvironment env, JobOptions options,
      JobIo io) {
    DataStream<SourceRecord> budgets = env.fromSource(
            io.controlSource(options, options.budgetsTopic, EventKind.BUDGET), ControlWatermarks.strategy(),
            "Kafka source: " + options.budgetsTopic)
        .uid(Uids.SOURCE_BUDGETS);
    DataStream<SourceRecord> requests = env.fromSource(
            io.controlSource(options, options.privacyRequestsTopic, EventKind.ERASURE), ControlWatermarks.strategy(),
            "Kafka source: " + options.privacyRequestsTopic)
        .uid(Uids.SOURCE_PRIVACY_REQUESTS);
    return budgets.union(requests)
        .process(new DoorRouter())
        .uid(Uids.DOOR_CONTROL).name(NAME_DOOR);
  }

  /**
   * The door of a control topic as a Kafka deserializer ({@link Doors#control}), configured by the
   * job's options ({@link OptionChecks#doorSettings}).
   *
   * @param kind BUDGET or ERASURE
   */
  public static EventDeserializer deserializer(JobOptions options, EventKind kind) {
    return new EventDeserializer(Doors.control(kind, OptionChecks.doorSettings(options)));
  }

  /** The Kafka source of one control topic, {@code read_committed}. */
  static KafkaSource<SourceRecord> source(JobOptions options, String topic, EventKind kind) {
    var builder = KafkaSource.<SourceRecord>builder()
        .setBootstrapServers(options.bootstrapServers)
        .setTopics(topic)
        .setGroupId(options.groupId)
        .setStartingOffsets(startingOffsets(options, kind))
        .setDeserializer(deserializer(options, kind))
        .setProperties(AttentionJob.kafkaProperties(options))
        .setProperty("isolation.level", "read_committed");
    if (options.bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** Without a checkpoint: budgets never skip what was sent before the job started; requests follow the events. */
  static OffsetsInitializer startingOffsets(JobOptions options, EventKind kind) {
    String start = options.startingOffsets.toLowerCase(Locale.ROOT);
    if (kind == EventKind.BUDGET && start.equals("latest")) {
      return OffsetsInitializer.earliest();
    }
    if (start.equals("committed")) {
      return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    }
    return start.equals("latest") ? OffsetsInitializer.latest() : OffsetsInitializer.earliest();
  }
}
