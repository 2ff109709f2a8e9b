package org.attentionanalytics.job;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.interest.CatalogDeserializer;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.EventDeserializer;

/**
 * The job's Kafka sources, all made by one builder: {@code read_committed}, the {@code --kafka.*}
 * properties, up to the latest offsets at start with {@code --bounded}; and their doors, the
 * deserializers that decode and check every record in the source reader (the benchmark's memory
 * sources use the same doors).
 *
 * <p>Where a source starts without a checkpoint: the event topics and {@code privacy-requests}
 * follow {@code --starting-offsets}; {@code attention-budgets} starts from the earliest offsets
 * also when that option is {@code latest} (a budget is a user's setting: skipping the ones already
 * sent would silently drop them); the catalog always starts from the earliest (the join needs the
 * whole compacted catalog). After a restore every source continues from the checkpointed offsets.
 */
public final class KafkaSources {
    private KafkaSources() {}

    /** The source of an event topic ({@code clickstream} with kind CLICK, {@code dwell-time} with DWELL). */
    public static KafkaSource<SourceRecord> events(JobOptions options, String topic, EventKind kind) {
        return build(options, topic, startingOffsets(options, kind), eventDeserializer(options, kind));
    }

    /**
     * The source of a control topic ({@code attention-budgets} with kind BUDGET, {@code
     * privacy-requests} with ERASURE, {@code focus-blocks} with FOCUS_BLOCKS).
     */
    public static KafkaSource<SourceRecord> control(JobOptions options, String topic, EventKind kind) {
        return build(options, topic, startingOffsets(options, kind), controlDeserializer(options, kind));
    }

    /** The source of the compacted catalog topic ({@code --topic.catalog}). */
    public static KafkaSource<CatalogUpdate> catalog(JobOptions options) {
        return build(options, options.catalogTopic, StartingOffsets.EARLIEST, catalogDeserializer(options));
    }

    /**
     * Where the source of records of {@code kind} starts without a checkpoint: budgets and focus
     * blocks never skip what was sent before.
     */
    static StartingOffsets startingOffsets(JobOptions options, EventKind kind) {
        return (kind == EventKind.BUDGET || kind == EventKind.FOCUS_BLOCKS)
                        && options.startingOffsets == StartingOffsets.LATEST
                ? StartingOffsets.EARLIEST
                : options.startingOffsets;
    }

    private static <T> KafkaSource<T> build(
            JobOptions options, String topic, StartingOffsets start, KafkaRecordDeserializationSchema<T> door) {
        var builder = KafkaSource.<T>builder()
                .setBootstrapServers(options.bootstrapServers)
                .setTopics(topic)
                .setGroupId(options.groupId)
                .setStartingOffsets(start.initializer())
                .setDeserializer(door)
                .setProperties(KafkaIo.kafkaProperties(options))
                .setProperty("isolation.level", "read_committed");
        if (options.bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** The source of Snowplow enriched events ({@code --topic.snowplow}), decoded by {@link #snowplowDeserializer}. */
    public static KafkaSource<SourceRecord> snowplow(JobOptions options) {
        return build(options, options.snowplowTopic, options.startingOffsets, snowplowDeserializer(options));
    }

    /** The door of Snowplow enriched events ({@link Doors#snowplow}) as {@code options} configure it. */
    public static EventDeserializer snowplowDeserializer(JobOptions options) {
        return new EventDeserializer(Doors.snowplow(OptionChecks.doorSettings(options), options.snowplowUserId));
    }

    /** The door of an event topic ({@link Doors#event}) as {@code options} configure it. */
    public static EventDeserializer eventDeserializer(JobOptions options, EventKind kind) {
        return new EventDeserializer(Doors.event(kind, OptionChecks.doorSettings(options)));
    }

    /**
     * The door of a control topic ({@link Doors#control}) as {@code options} configure it.
     *
     * @param kind BUDGET, ERASURE or FOCUS_BLOCKS
     */
    public static EventDeserializer controlDeserializer(JobOptions options, EventKind kind) {
        return new EventDeserializer(Doors.control(
                kind,
                OptionChecks.doorSettings(options),
                CategoryRules.load(options.categoryRulesFile).categories()));
    }

    /** The door of the catalog topic, with the job's limits, {@code --dlq.redact} and writer schemas. */
    public static CatalogDeserializer catalogDeserializer(JobOptions options) {
        return new CatalogDeserializer(
                OptionChecks.doorLimits(options), options.dlqRedact, OptionChecks.writerSchemas(options));
    }
}
