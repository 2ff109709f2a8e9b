package org.attentionanalytics.job;

import org.attentionanalytics.pipeline.Uids;

import org.attentionanalytics.pipeline.SideOutputs;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.rocksdb.CompressionType;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.interest.CatalogJoin;
import org.attentionanalytics.interest.CatalogDeserializer;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.io.RecordSizeLimit;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.EventDeserializer;
import org.attentionanalytics.io.EventWatermarks;
import org.attentionanalytics.session.UserActivityFunction;
import org.attentionanalytics.session.UserActivityOperator;

/**
 * The job. {@link #defineWorkflow} builds the whole graph, so the local runner, the tests and
 * {@code flink run} run the very same pipeline:
 *
 * <pre>
 * clickstream ─┐ Kafka sources: decode at the door, ┌ events ─ Topic depth ─┬──────────────────────────────┐
 * dwell-time ──┘ watermarks per partition ─ Door ──┤   (no inline topics:) └ keyBy(item) ⋈ content-catalog ┤
 * attention-budgets, privacy-requests ─ Door (control, no watermarks: {@link ControlInputs}) ──────────────┤
 *                                                  │                                                      │
 *                                                  │   keyBy(pseudonym) ─ Per-user activity ─┬─ attention-sessions
 *                                                  │                                         ├─ interest-vectors (+ tombstones)
 *                                                  │                                         ├─ attention-alerts
 *                                                  │                                         ├─ attention-reports
 *                                                  │                                         ├─ privacy-audit
 *                                                  └ dead letters ───────────────────────────┴─ attention-dlq
 * </pre>
 *
 * Sinks are exactly-once (Kafka transactions committed on checkpoints), sources read {@code
 * read_committed}. Every operator has a stable {@code uid} ({@link Uids}) and a readable name.
 */
public final class AttentionJob {
  /** Key groups of the keyed state: the most parallelism the job can be scaled to (Flink's default here). */
  public static final int MAX_PARALLELISM = 128;

  /** Largest transaction timeout the job accepts: the broker default {@code transaction.max.timeout.ms}. */
  public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  /**
   * RocksDB native metrics the job turns on: cheap RocksDB properties (no statistics collection),
   * what sizing and trouble-shooting need. Per operator with keyed state and per state (column
   * family): {@code <operator>.rocksdb.<state>.<property>}, e.g. {@code
   * ...rocksdb.user-state.estimate-live-data-size}. Left off: {@code total-sst-files-size} and
   * {@code live-sst-files-size} (RocksDB warns they can slow down queries when there are many
   * files) and the ticker statistics (block-cache hits, bytes read, ...), which cost on every access.
   */
  public static final List<ConfigOption<Boolean>> ROCKSDB_METRICS = List.of(
      RocksDBNativeMetricOptions.ESTIMATE_NUM_KEYS,
      RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE,
      RocksDBNativeMetricOptions.MONITOR_CUR_SIZE_ALL_MEM_TABLE,
      RocksDBNativeMetricOptions.BLOCK_CACHE_USAGE,
      RocksDBNativeMetricOptions.ESTIMATE_TABLE_READERS_MEM,
      RocksDBNativeMetricOptions.MONITOR_MEM_TABLE_FLUSH_PENDING,
      RocksDBNativeMetricOptions.MONITOR_NUM_RUNNING_COMPACTIONS,
      RocksDBNativeMetricOptions.ESTIMATE_PENDING_COMPACTION_BYTES,
      RocksDBNativeMetricOptions.MONITOR_BACKGROUND_ERRORS,
      RocksDBNativeMetricOptions.IS_WRITE_STOPPED);

  /**
   * RocksDB block size of the state files ({@code state.backend.rocksdb.block.blocksize}): larger
   * than RocksDB's 4 KB so that ZSTD compresses the many small per-user values together (block
   * cache holds them uncompressed, so point lookups decompress a block once).
   */
  public static final MemorySize STATE_BLOCK_SIZE = MemorySize.parse("16kb");

  /** The dead-letter sink's constant suffix of the transactional id. */
  public static final String DLQ_SINK = "dlq";

  private AttentionJob() {}

  /**
   * Submits the job: {@code flink run attention-analytics.jar [options]}; {@code --help} lists the
   * options. Never calls {@code System.exit}: REST and web-UI submissions run this inside the
   * JobManager. Bad options throw {@link IllegalArgumentException} with the message.
   */
  public static void main(String[] args) throws Exception {
    org.attentionanalytics.cli.CliSupport.executeOrThrow(new org.attentionanalytics.cli.RunCommand(), args);
  }

  /**
   * Flink configuration the job needs: checkpointing every {@code --checkpoint-interval} in
   * exactly-once mode, RocksDB with incremental checkpoints, ZSTD-compressed {@link
   * #STATE_BLOCK_SIZE} blocks, no Kryo ({@code
   * pipeline.generic-types: false}), the checkpoint directory when given, the options as global
   * job parameters (shown by the web UI), and the RocksDB native metrics of {@link
   * #ROCKSDB_METRICS}.
   */
  public static Configuration configuration(JobOptions options) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval);
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    // Fixed, so that savepoints restore at any parallelism: Flink's derived default changes
    // above parallelism 85, and a savepoint cannot move to another max parallelism.
    conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
    conf.set(PipelineOptions.GLOBAL_JOB_PARAMETERS, options.toConfigMap());
    // Compact state files: ZSTD on every level and 16 KB blocks (RocksDB defaults: Snappy, 4 KB).
    // In bench --quick: 864 instead of about 1,200 bytes per user in checkpoints, at the same events/s.
    conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.ZSTD_COMPRESSION));
    conf.set(RocksDBConfigurableOptions.BLOCK_SIZE, STATE_BLOCK_SIZE);
    for (var metric : ROCKSDB_METRICS) {
      conf.set(metric, true);
    }
    if (options.checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.checkpointDir);
    }
    if (options.watermarkInterval != null) {
      conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, options.watermarkInterval);
    }
    if (options.bufferTimeout != null) {
      conf.set(ExecutionOptions.BUFFER_TIMEOUT, options.bufferTimeout);
    }
    return conf;
  }

  /**
   * Checks options that would otherwise fail late and obscurely ({@link OptionChecks}).
   *
   * @throws IllegalArgumentException with a message that says what to change
   */
  public static void validate(JobOptions options) {
    OptionChecks.validate(options);
  }

  /** Adds the whole pipeline to {@code env}: Kafka in, Kafka out, per {@code options}. */
  public static void defineWorkflow(StreamExecutionEnvironment env, JobOptions options) {
    defineWorkflow(env, options, UnaryOperator.identity());
  }

  /**
   * As {@link #defineWorkflow(StreamExecutionEnvironment, JobOptions)}, with {@code beforeKeyBy}
   * applied to the stream of clean events before the per-user operator: tests insert failure
   * injection or throttling there, so they run the very same graph.
   */
  public static void defineWorkflow(StreamExecutionEnvironment env, JobOptions options,
      UnaryOperator<DataStream<AttentionEvent>> beforeKeyBy) {
    defineWorkflow(env, options, beforeKeyBy, JobIo.KAFKA);
  }

  /**
   * As {@link #defineWorkflow(StreamExecutionEnvironment, JobOptions, UnaryOperator)}, with every
   * source and sink made by {@code io} ({@link JobIo#KAFKA} for the job itself; the benchmark
   * reads from memory and discards the outputs, so it measures the very same operators).
   */
  public static void defineWorkflow(StreamExecutionEnvironment env, JobOptions options,
      UnaryOperator<DataStream<AttentionEvent>> beforeKeyBy, JobIo io) {
    validate(options);
    if (options.parallelism > 0) {
      env.setParallelism(options.parallelism);
    }
    DataStream<SourceRecord> clicks = env.fromSource(
            io.eventSource(options, options.clickstreamTopic, EventKind.CLICK),
            eventWatermarks(options),
            "Kafka source: " + options.clickstreamTopic)
        .uid(Uids.SOURCE_CLICKSTREAM);
    DataStream<SourceRecord> dwell = env.fromSource(
            io.eventSource(options, options.dwellTopic, EventKind.DWELL),
            eventWatermarks(options),
            "Kafka source: " + options.dwellTopic)
        .uid(Uids.SOURCE_DWELL);

    SingleOutputStreamOperator<AttentionEvent> events = clicks.union(dwell)
        .process(new DoorRouter())
        .uid(Uids.DOOR).name("Door: route events, dead letters, bots");

    SingleOutputStreamOperator<CatalogUpdate> catalog = CatalogJoin.catalogStream(env, io.catalogSource(options), options.catalogTopic)
        .process(new CatalogDoor())
        .uid(Uids.DOOR_CATALOG).name("Door (catalog): dead letters");
    DataStream<AttentionEvent> withTopics = CatalogJoin.enrich(events, catalog, options.topicDepth);
    // Budgets and erasure requests have no item: they join the events after the catalog join.
    SingleOutputStreamOperator<AttentionEvent> control = ControlInputs.define(env, options, io);

    AttentionSettings attention = AttentionSettings.from(options);
    SingleOutputStreamOperator<SessionSummary> sessions = beforeKeyBy.apply(withTopics.union(control))
        .keyBy(AttentionEvent::getUser)
        .transform("Per-user activity (dedupe, sessions, interest vector)", new AvroTypeInfo<>(SessionSummary.class),
            new UserActivityOperator(new UserActivityFunction(options.inactivityGap.toMillis(),
                options.maxSessionDuration.toMillis(), options.allowedLateness.toMillis(),
                options.dedupeWindow.toMillis(), options.halfLife.toMillis(),
                attention, options.dwellInferFromGaps).withStateTtl(options.stateTtl)
                .withErasureInEventTime(options.bounded)
                .withDeadLetterRedaction(options.dlqRedact, options.pseudonymKeyFile),
                // 0 turns the heap path off, waiting events too; -1 is UserActivityOperator.HEAP_SHARE
                options.stateCacheUsers == 0 ? 0 : UserActivityOperator.DEFAULT_MAX_WAITING_EVENTS, options.stateCacheUsers))
        .uid(Uids.USER_ACTIVITY);

    io.sink(sessions, options, options.sessionsTopic, "sessions", SessionSummary::getUser, s -> s)
        .uid(Uids.SINK_SESSIONS).name("Kafka sink: " + options.sessionsTopic);

    io.sink(sessions.getSideOutput(SideOutputs.INTEREST_VECTORS), options, options.interestVectorsTopic,
            "vectors", InterestVectorUpdate::getUser, InterestVectorUpdate::getVector)
        .uid(Uids.SINK_INTEREST_VECTORS).name("Kafka sink: " + options.interestVectorsTopic);

    io.sink(sessions.getSideOutput(SideOutputs.ALERTS), options, options.alertsTopic,
            "alerts", AttentionAlert::getUser, a -> a)
        .uid(Uids.SINK_ALERTS).name("Kafka sink: " + options.alertsTopic);

    io.sink(sessions.getSideOutput(SideOutputs.REPORTS), options, options.reportsTopic,
            "reports", DailyAttentionReport::getUser, r -> r)
        .uid(Uids.SINK_REPORTS).name("Kafka sink: " + options.reportsTopic);

    TopicTrends.attachAndSink(sessions.getSideOutput(SideOutputs.TREND_CONTRIBUTIONS), options,
        attention.rules().categories(), io);

    io.sink(sessions.getSideOutput(SideOutputs.ERASURES), options, options.privacyAuditTopic,
            "privacy-audit", ErasureConfirmation::getUser, c -> c)
        .uid(Uids.SINK_PRIVACY_AUDIT).name("Kafka sink: " + options.privacyAuditTopic);

    io.sink(events.getSideOutput(SideOutputs.DEAD_LETTERS)
            .union(control.getSideOutput(SideOutputs.DEAD_LETTERS), catalog.getSideOutput(SideOutputs.DEAD_LETTERS),
                sessions.getSideOutput(SideOutputs.DEAD_LETTERS)), options,
            options.dlqTopic, DLQ_SINK, SourceRecord::getDeadLetterKey, SourceRecord::getDeadLetter)
        .uid(Uids.SINK_DLQ).name("Kafka sink: " + options.dlqTopic);
  }

  /** The door's deserializer of an event topic ({@link Doors#event} as {@code options} configure it). */
  public static EventDeserializer eventDeserializer(JobOptions options, EventKind kind) {
    return new EventDeserializer(Doors.event(kind, OptionChecks.doorSettings(options)));
  }

  static KafkaSource<CatalogUpdate> catalogSource(JobOptions options) {
    return CatalogJoin.source(options.bootstrapServers, options.catalogTopic, options.groupId, kafkaProperties(options),
        options.bounded, catalogDeserializer(options));
  }

  /** The door of the catalog topic, with the job's limits, {@code --dlq.redact} and writer schemas. */
  public static CatalogDeserializer catalogDeserializer(JobOptions options) {
    return new CatalogDeserializer(OptionChecks.doorLimits(options), options.dlqRedact, OptionChecks.writerSchemas(options));
  }

  /**
   * Watermarks of the event sources: {@code --idleness} applies to unbounded runs only; a bounded
   * run never marks a partition idle ({@link EventWatermarks#boundedStrategy} says why).
   */
  public static org.apache.flink.api.common.eventtime.WatermarkStrategy<SourceRecord> eventWatermarks(JobOptions options) {
    return options.bounded
        ? EventWatermarks.boundedStrategy(options.outOfOrderness)
        : EventWatermarks.strategy(options.outOfOrderness, options.idleness);
  }

  static KafkaSource<SourceRecord> eventSource(JobOptions options, String topic, EventKind kind) {
    var builder = KafkaSource.<SourceRecord>builder()
        .setBootstrapServers(options.bootstrapServers)
        .setTopics(topic)
        .setGroupId(options.groupId)
        .setStartingOffsets(startingOffsets(options))
        .setDeserializer(eventDeserializer(options, kind))
        .setProperties(kafkaProperties(options))
        .setProperty("isolation.level", "read_committed");
    if (options.bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  private static OffsetsInitializer startingOffsets(JobOptions options) {
    switch (options.startingOffsets.toLowerCase(Locale.ROOT)) {
      case "latest":
        return OffsetsInitializer.latest();
      case "committed":
        return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      default:
        return OffsetsInitializer.earliest();
    }
  }

  /**
   * An exactly-once sink whose records stay within the producer's {@code max.request.size}; the
   * dead-letter sink ({@value #DLQ_SINK}) also reads its topic's {@code max.message.bytes} when it
   * opens and keeps below the smaller of the two ({@link AvroRecordSerializer}).
   */
  static <T> KafkaSink<T> sink(JobOptions options, String topic, String name,
      SerializableFunction<T, String> keyOf, SerializableFunction<T, ? extends SpecificRecordBase> valueOf) {
    Properties props = kafkaProperties(options);
    props.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(OptionChecks.transactionTimeout(options).toMillis()));
    Properties topicCheck = null;
    if (DLQ_SINK.equals(name)) {
      topicCheck = kafkaProperties(options);
      topicCheck.setProperty("bootstrap.servers", options.bootstrapServers);
    }
    return KafkaSink.<T>builder()
        .setBootstrapServers(options.bootstrapServers)
        .setKafkaProducerConfig(props)
        .setRecordSerializer(new AvroRecordSerializer<>(topic, keyOf, valueOf, RecordSizeLimit.producerLimit(props), topicCheck))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(options.transactionalIdPrefix + "-" + name)
        .build();
  }

  static Properties kafkaProperties(JobOptions options) {
    Properties props = new Properties();
    props.putAll(options.kafkaProperties);
    return props;
  }
}
