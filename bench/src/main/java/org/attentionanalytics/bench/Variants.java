package org.attentionanalytics.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.interest.CatalogDeserializer;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.job.DoorRouter;
import org.attentionanalytics.job.JobIo;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaSources;

/**
 * The benchmark's variants, each a graph on the same in-memory input (the job's topics in {@link
 * MemoryTopics}, decoded at the door by the job's own deserializers in {@link MemorySource}).
 */
public enum Variants {
    /** The job's graph ({@link AttentionJob#defineWorkflow}) with every sink discarding. */
    FULL("full", true),
    /** Door, keyBy(user), a keyed function reading and writing one {@code ValueState<Long>} per event. */
    STATEFUL_CEILING("stateful_ceiling", true),
    /** Door, Flink SQL SESSION window of 30 min per user: count and sum of dwell (Nexmark q11's shape). */
    SQL("sql", true),
    /** Door, keyBy(user), a discarding sink. */
    STATELESS_CEILING("stateless_ceiling", false),
    /** {@link #FULL} on the heap (hashmap) state backend. */
    FULL_HEAP("full_heap", false),
    /** {@link #FULL} with {@code --recs.enabled true}: what the recommendations cost (DESIGN.md section 12). */
    FULL_RECS("full_recs", true),
    /**
     * {@link #FULL_RECS} with item-to-item alone ({@code --recs.weight.matches-interests 0
     * --recs.weight.similar-users 0}): what content matching and similar users cost.
     */
    FULL_RECS_I2I("full_recs_i2i", true),
    /** {@link #FULL_RECS} with similar users too ({@code --recs.weight.similar-users 1}): what they cost. */
    FULL_RECS_SIMILAR("full_recs_similar", true),
    /** {@link #FULL} with {@code --live.enabled true}: what the live interest vectors cost (DESIGN.md section 6). */
    FULL_LIVE("full_live", true);

    /** Name in the table and the JSON. */
    public final String id;
    /** Whether the state is on RocksDB (else the hashmap backend; stateless_ceiling has no keyed state). */
    public final boolean rocksdb;

    Variants(String id, boolean rocksdb) {
        this.id = id;
        this.rocksdb = rocksdb;
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static Variants of(String id) {
        for (Variants v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown variant " + id
                        + "; known: full, stateful_ceiling, sql, stateless_ceiling, full_heap, full_recs, full_recs_i2i, full_recs_similar, full_live");
    }

    /** The benchmark's {@link JobIo}: sources from {@link MemoryTopics}, discarding sinks, an optional probe. */
    public static final class MemoryIo implements JobIo {
        private final String topics;
        private final String run;
        private final boolean aligns;

        /** @param topics the registered {@link MemoryTopics}; @param run the {@link RunControl} name */
        public MemoryIo(String topics, String run) {
            this(topics, run, true);
        }

        /** @param aligns whether the event sources' watermarks are aligned ({@code --max-watermark-drift}) */
        MemoryIo(String topics, String run, boolean aligns) {
            this.topics = topics;
            this.run = run;
            this.aligns = aligns;
        }

        @Override
        public boolean alignsEventSources(JobOptions options) {
            return aligns;
        }

        @Override
        public Source<SourceRecord, ?, ?> eventSource(JobOptions options, String topic, EventKind kind) {
            return new MemorySource<>(topics, topic, KafkaSources.eventDeserializer(options, kind), run, true);
        }

        /** The control topics are empty here, and never measured (they would count as exhausted splits). */
        @Override
        public Source<SourceRecord, ?, ?> controlSource(JobOptions options, String topic, EventKind kind) {
            return new MemorySource<>(topics, topic, KafkaSources.controlDeserializer(options, kind), run, false);
        }

        @Override
        public Source<CatalogUpdate, ?, ?> catalogSource(JobOptions options) {
            return new MemorySource<>(topics, options.catalogTopic, new CatalogDeserializer(), run, false);
        }

        @Override
        public <T> DataStreamSink<T> sink(
                DataStream<T> stream,
                JobOptions options,
                String topic,
                String name,
                SerializableFunction<T, String> keyOf,
                SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
                Class<? extends SpecificRecordBase> valueType) {
            return stream.sinkTo(new DiscardingSink<>());
        }
    }

    /** Adds this variant's graph to {@code env}. */
    public void define(StreamExecutionEnvironment env, JobOptions options, String topics, String run) {
        if (this == FULL
                || this == FULL_HEAP
                || this == FULL_RECS
                || this == FULL_RECS_I2I
                || this == FULL_RECS_SIMILAR
                || this == FULL_LIVE) {
            options.recsEnabled = this == FULL_RECS || this == FULL_RECS_I2I || this == FULL_RECS_SIMILAR;
            if (this == FULL_RECS_SIMILAR) {
                options.recsWeightSimilarUsers = 1;
            }
            if (this == FULL_RECS_I2I) {
                options.recsWeightMatchesInterests = 0;
                options.recsWeightSimilarUsers = 0;
            }
            options.liveEnabled = this == FULL_LIVE;
            AttentionJob.defineWorkflow(env, options, new MemoryIo(topics, run));
            refuseKafka(env);
            return;
        }
        env.setParallelism(options.parallelism);
        // No event time in the ceilings: aligning their sources' watermarks would only pace them.
        MemoryIo io = new MemoryIo(topics, run, this != STATELESS_CEILING && this != STATEFUL_CEILING);
        DataStream<SourceRecord> clicks = env.fromSource(
                io.eventSource(options, options.clickstreamTopic, EventKind.CLICK),
                AttentionJob.eventWatermarks(options, io),
                "Memory source: " + options.clickstreamTopic);
        DataStream<SourceRecord> dwell = env.fromSource(
                io.eventSource(options, options.dwellTopic, EventKind.DWELL),
                AttentionJob.eventWatermarks(options, io),
                "Memory source: " + options.dwellTopic);
        DataStream<AttentionEvent> events =
                clicks.union(dwell).process(new DoorRouter()).name("Door");
        switch (this) {
            case STATELESS_CEILING ->
                events.keyBy(AttentionEvent::getUser)
                        .sinkTo(new DiscardingSink<>())
                        .name("Discard");
            case STATEFUL_CEILING ->
                events.keyBy(AttentionEvent::getUser)
                        .process(new OneValueState())
                        .name("One ValueState per event")
                        .sinkTo(new DiscardingSink<>())
                        .name("Discard");
            case SQL -> sql(env, events, options.inactivityGap.toMinutes());
            default -> throw new IllegalStateException();
        }
    }

    private static void sql(StreamExecutionEnvironment env, DataStream<AttentionEvent> events, long gapMinutes) {
        StreamTableEnvironment tenv = StreamTableEnvironment.create(env);
        DataStream<Row> rows = events.map(e -> Row.of(e.getUser(), e.getDwellMs()))
                .returns(new RowTypeInfo(Types.STRING, Types.LONG))
                .name("To rows");
        Table table = tenv.fromDataStream(
                        rows,
                        Schema.newBuilder()
                                .column("f0", "STRING")
                                .column("f1", "BIGINT")
                                .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                                .watermark("rowtime", "SOURCE_WATERMARK()")
                                .build())
                .as("user_id", "dwell_ms", "rowtime");
        tenv.createTemporaryView("events", table);
        Table sessions = tenv.sqlQuery("SELECT user_id, COUNT(*) AS events, SUM(dwell_ms) AS dwell_ms, "
                + "SESSION_START(rowtime, INTERVAL '" + gapMinutes + "' MINUTE) AS session_start, "
                + "SESSION_END(rowtime, INTERVAL '" + gapMinutes + "' MINUTE) AS session_end "
                + "FROM events GROUP BY user_id, SESSION(rowtime, INTERVAL '" + gapMinutes + "' MINUTE)");
        tenv.toDataStream(sessions).sinkTo(new DiscardingSink<>()).name("Discard");
    }

    /** The text of the SQL variant's query (for the report). */
    public static String sqlText(long gapMinutes) {
        return "SELECT user_id, COUNT(*), SUM(dwell_ms), SESSION_START(rowtime, INTERVAL '" + gapMinutes + "' MINUTE), "
                + "SESSION_END(...) FROM events GROUP BY user_id, SESSION(rowtime, INTERVAL '" + gapMinutes
                + "' MINUTE)";
    }

    /** Fails when a Kafka source or sink is in the graph: it would bypass {@link JobIo}. */
    static void refuseKafka(StreamExecutionEnvironment env) {
        List<Transformation<?>> all = new ArrayList<>();
        for (Transformation<?> t : env.getTransformations()) {
            all.add(t);
            all.addAll(t.getTransitivePredecessors());
        }
        for (Transformation<?> t : all) {
            if (t instanceof SourceTransformation<?, ?, ?> s && s.getSource() instanceof KafkaSource) {
                throw new IllegalStateException(
                        "the job's source '" + t.getName() + "' does not go through JobIo: "
                                + "make it with io.eventSource/io.controlSource/io.catalogSource in AttentionJob.defineWorkflow");
            }
            if (t instanceof SinkTransformation<?, ?> s && s.getSink() instanceof KafkaSink) {
                throw new IllegalStateException("the job's sink '" + t.getName() + "' does not go through JobIo: "
                        + "write it with io.sink(...) in AttentionJob.defineWorkflow");
            }
        }
    }

    /** The stateful ceiling: one small value read and written per event, nothing emitted, no timer. */
    static final class OneValueState extends KeyedProcessFunction<String, AttentionEvent, Void> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(AttentionEvent e, Context ctx, Collector<Void> out) throws Exception {
            Long c = count.value();
            count.update(c == null ? 1L : c + 1);
        }
    }
}
