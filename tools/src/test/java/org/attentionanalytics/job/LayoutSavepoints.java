package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplitSerializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BudgetEntry;
import org.attentionanalytics.avro.internal.InterestState;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.interest.CatalogJoin;
import org.attentionanalytics.interest.CatalogJoinFunction;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.Topics;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.pipeline.Uids;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.session.UserStateDescriptors;
import org.attentionanalytics.testutil.Committed;
import org.attentionanalytics.testutil.Committed.Keyed;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed savepoints of the job's state layouts ({@code
 * src/test/resources/savepoints/layout-N/}, see the README.md there), the scenario they hold and
 * the writer that makes them. {@code UpgradeITCase#restoresTheCommittedLayoutOneSavepoint}
 * restores {@code layout-1} and continues the scenario.
 *
 * <p>The state layout is what a savepoint maps state by: operator uids ({@link Uids}, {@link
 * CatalogJoin}), state names ({@code user-state}, {@code pending-events}, {@code next-timer},
 * {@code open-sessions}, {@code item-topics}, ...), their serializers (the Avro schemas of {@code
 * schemas/internal/}, TTL wrapping), the timer service name ({@code user-timers}) and the max
 * parallelism (128). A change that a savepoint of the previous layout does not restore into is a
 * new layout: write {@code layout-N+1} with {@link #writeSavepoint} and keep every earlier one,
 * each restored by its own test.
 *
 * <h2>The scenario (event times on 2025-03-03, UTC)</h2>
 *
 * Four users, every event in the hour 09:00-10:00; the savepoint is taken when every input
 * partition has been read up to about 09:30:
 *
 * <ul>
 *   <li>{@code ada} (clickstream and dwell-time partition 0): a budget read before any event
 *       ({@code updated_at} 08:00, zone Europe/Berlin, {@code politics} 10 min a day); reads
 *       {@code news.politics}: VIEW a1 09:10:00, dwell a1 270 s at 09:14:30, VIEW a2 09:26:00,
 *       dwell a2 270 s at 09:30:30. After the savepoint: the VIEW of 09:10:00 again (same event
 *       id, a producer's retry), VIEW a3 09:35:00, dwell a3 70 s at 09:36:10, VIEW a4 09:40:00,
 *       dwell a4 8 s at 09:40:08.
 *   <li>{@code bob} (partition 1 of both): reads {@code news.sports.football} without a break:
 *       VIEW b<i>k</i> at 09:00 + 5k min and a dwell of 270 s at 09:04:30 + 5k min, k = 0..10;
 *       before the savepoint the views 0..6 and the dwells 0..5, after it the rest.
 *   <li>{@code cyd} (clickstream partition 1, dwell-time partition 0): items without inline topics,
 *       whose topics come from the content catalog (c1 and c2: {@code news.technology} 3, {@code
 *       news.business} 1, read before any event): VIEW c1 09:12:00, dwell c1 45 s at 09:13:00;
 *       after the savepoint VIEW c2 09:41:00, dwell c2 50 s at 09:42:00.
 *   <li>{@code dan} (clickstream partition 0, dwell-time partition 1): VIEW d1 ({@code
 *       news.health}) 09:05:00, dwell d1 20 s at 09:06:00, and nothing after the savepoint: his
 *       session closes only when his timer, restored from the savepoint, fires.
 * </ul>
 *
 * Before the savepoint the partitions' latest event times are 09:26:00 (clickstream 0), 09:30:00
 * (clickstream 1), 09:30:30 (dwell-time 0) and 09:29:30 (dwell-time 1), so the watermark is
 * 09:26:00 - 30 s out-of-orderness - 1 ms = 09:25:29.999: ada's VIEW 09:26:00 and dwell 09:30:30
 * and bob's dwell 09:29:30 and VIEW 09:30:00 are pending (ahead of the watermark) in the savepoint,
 * everything else is applied: ada 2 events, bob 11, cyd 2, dan 2, each in one open session.
 *
 * <p>Options ({@link #options}): the job's defaults (30 min gap, 5 min lateness, 7 d half-life, 50
 * min break alert, state TTL 30 d, ...) except alerts.max-age 0 (the events are in the past),
 * trends epsilon 1e300 and min-users 1 (exact, unsuppressed topic trends), idleness 1 h (no
 * partition goes idle while the writer waits), parallelism 2, checkpoints every 500 ms. Topic
 * names, group id and transactional id prefix start with {@code layout<N>-}. The topic names and
 * the transactional id prefix are in the savepoint (the sources' splits, the sinks' writer state)
 * and must be the same on restore; the group id stays the same too, as on any upgrade.
 */
class LayoutSavepoints {
    /**
     * The layout this code writes. Layout 2 adds the recommendation operators (DESIGN.md section
     * 12: {@code recs-*} uids, states {@code item-interactions}, {@code recommendation-history},
     * {@code item-row}, {@code popular-items}, {@code waiting}).
     */
    static final int LAYOUT = 2;
    /** Pseudonym key (the bytes of the key file) of every layout savepoint: test data only. */
    static final String KEY = "layout-savepoint-key";

    static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");
    static final List<String> USERS = List.of("ada", "bob", "cyd", "dan");
    static final String POLITICS = "news.politics";
    static final String FOOTBALL = "news.sports.football";
    /** Catalog profile of cyd's items c1 and c2. */
    static final Map<String, Double> CATALOG_TOPICS = Map.of("news.technology", 3.0, "news.business", 1.0);

    static final String SPLIT_STATE_NAME = "SourceReaderState";
    /** The sources, by uid: their splits hold topic, partition and offset. */
    static final List<String> SOURCE_UIDS = List.of(
            Uids.SOURCE_CLICKSTREAM,
            Uids.SOURCE_DWELL,
            Uids.SOURCE_BUDGETS,
            Uids.SOURCE_PRIVACY_REQUESTS,
            Uids.SOURCE_CATALOG);

    enum Topic {
        CLICKSTREAM,
        DWELL,
        BUDGETS,
        CATALOG
    }

    /** One record to produce: topic, partition, key (the raw user id, or the item id), value. */
    record Input(Topic topic, int partition, String key, SpecificRecordBase value) {}

    // ------------------------------------------------------------------ options and inputs

    /**
     * The options of the layout-{@code layout} runs: defaults but for what the class Javadoc says.
     *
     * @param keyFile a file holding {@link #KEY}
     */
    static JobOptions options(int layout, String bootstrapServers, String keyFile, String checkpointDir) {
        JobOptions o = TestJobs.defaults();
        String p = "layout" + layout + "-";
        o.bootstrapServers = bootstrapServers;
        o.pseudonymKeyFile = keyFile;
        o.bounded = false;
        o.parallelism = 2;
        o.idleness = Duration.ofHours(1);
        o.alertsMaxAge = Duration.ZERO;
        o.trendsEpsilon = 1e300;
        o.trendsMinUsers = 1;
        o.checkpointInterval = Duration.ofMillis(500);
        o.checkpointDir = checkpointDir;
        o.jobName = "layout-" + layout;
        o.recsEnabled = true; // layout 2 holds their state; restoring layout 1 into them starts them empty
        o.groupId = p + o.groupId;
        o.transactionalIdPrefix = p + o.transactionalIdPrefix;
        o.clickstreamTopic = p + o.clickstreamTopic;
        o.dwellTopic = p + o.dwellTopic;
        o.catalogTopic = p + o.catalogTopic;
        o.privacyRequestsTopic = p + o.privacyRequestsTopic;
        o.budgetsTopic = p + o.budgetsTopic;
        o.sessionsTopic = p + o.sessionsTopic;
        o.pageViewsTopic = p + o.pageViewsTopic;
        o.dlqTopic = p + o.dlqTopic;
        o.interestVectorsTopic = p + o.interestVectorsTopic;
        o.recommendationsTopic = p + o.recommendationsTopic;
        o.liveInterestVectorsTopic = p + o.liveInterestVectorsTopic;
        o.liveRecommendationsTopic = p + o.liveRecommendationsTopic;
        o.alertsTopic = p + o.alertsTopic;
        o.reportsTopic = p + o.reportsTopic;
        o.focusBlocksTopic = p + o.focusBlocksTopic;
        o.focusBlockReportsTopic = p + o.focusBlockReportsTopic;
        o.trendsTopic = p + o.trendsTopic;
        o.privacyAuditTopic = p + o.privacyAuditTopic;
        return o;
    }

    /** {@code 2025-03-03T09:mm:ss} + {@code seconds} after T0, ms. */
    static Instant at(int minutes, int seconds) {
        return T0.plusSeconds(60L * minutes + seconds);
    }

    static Input view(String user, int partition, String id, Instant t, String item, String... topics) {
        return new Input(
                Topic.CLICKSTREAM,
                partition,
                user,
                ClickEvent.newBuilder()
                        .setEventId(id)
                        .setUserId(user)
                        .setEventTime(t)
                        .setEventType(EventType.VIEW)
                        .setItemId(item)
                        .setTopics(List.of(topics))
                        .build());
    }

    static Input dwell(String user, int partition, String id, Instant t, String item, long dwellMs) {
        return new Input(
                Topic.DWELL,
                partition,
                user,
                DwellEvent.newBuilder()
                        .setEventId(id)
                        .setUserId(user)
                        .setEventTime(t)
                        .setItemId(item)
                        .setDwellMs(dwellMs)
                        .build());
    }

    /** Read before any event: ada's budget and the catalog profiles of c1 and c2. */
    static List<Input> settings() {
        List<Input> in = new ArrayList<>();
        in.add(new Input(
                Topic.BUDGETS,
                0,
                "ada",
                AttentionBudget.newBuilder()
                        .setUserId("ada")
                        .setTimeZone("Europe/Berlin")
                        .setBudgets(Map.of("politics", 10L))
                        .setAlertsEnabled(true)
                        .setUpdatedAt(T0.minusSeconds(3600))
                        .build()));
        for (String item : List.of("c1", "c2")) {
            in.add(new Input(
                    Topic.CATALOG,
                    0,
                    item,
                    ContentProfile.newBuilder()
                            .setItemId(item)
                            .setTopics(new HashMap<>(CATALOG_TOPICS))
                            .build()));
        }
        return in;
    }

    /** bob's views (k = 0..10): VIEW b<k> at 09:00 + 5k min, partition 1. */
    static Input bobView(int k) {
        return view("bob", 1, "bob-v" + k, at(5 * k, 0), "b" + k, FOOTBALL);
    }

    /** bob's dwells (k = 0..10): 270 s of b<k> ending at 09:04:30 + 5k min, partition 1. */
    static Input bobDwell(int k) {
        return dwell("bob", 1, "bob-d" + k, at(5 * k + 4, 30), "b" + k, 270_000);
    }

    /** The events read before the savepoint, in the order they are produced: event-time order. */
    static List<Input> beforeSavepoint() {
        List<Input> in = new ArrayList<>();
        in.add(view("ada", 0, "ada-v1", at(10, 0), "a1", POLITICS));
        in.add(dwell("ada", 0, "ada-d1", at(14, 30), "a1", 270_000));
        in.add(view("ada", 0, "ada-v2", at(26, 0), "a2", POLITICS));
        in.add(dwell("ada", 0, "ada-d2", at(30, 30), "a2", 270_000));
        for (int k = 0; k <= 6; k++) {
            in.add(bobView(k));
            if (k <= 5) {
                in.add(bobDwell(k));
            }
        }
        in.add(view("cyd", 1, "cyd-v1", at(12, 0), "c1"));
        in.add(dwell("cyd", 0, "cyd-d1", at(13, 0), "c1", 45_000));
        in.add(view("dan", 0, "dan-v1", at(5, 0), "d1", "news.health"));
        in.add(dwell("dan", 1, "dan-d1", at(6, 0), "d1", 20_000));
        return byTime(in);
    }

    /**
     * The events after the savepoint, in event-time order: the first is ada's VIEW of 09:10:00 again
     * (a duplicate: same event id, the first record of clickstream partition 0 after the savepoint's
     * offset); then the sessions continue.
     */
    static List<Input> afterSavepoint() {
        List<Input> in = new ArrayList<>();
        in.add(view("ada", 0, "ada-v1", at(10, 0), "a1", POLITICS)); // the duplicate
        in.add(view("ada", 0, "ada-v3", at(35, 0), "a3", POLITICS));
        in.add(dwell("ada", 0, "ada-d3", at(36, 10), "a3", 70_000));
        in.add(view("ada", 0, "ada-v4", at(40, 0), "a4", POLITICS));
        in.add(dwell("ada", 0, "ada-d4", at(40, 8), "a4", 8_000));
        in.add(bobDwell(6));
        for (int k = 7; k <= 10; k++) {
            in.add(bobView(k));
            in.add(bobDwell(k));
        }
        in.add(view("cyd", 1, "cyd-v2", at(41, 0), "c2"));
        in.add(dwell("cyd", 0, "cyd-d2", at(42, 0), "c2", 50_000));
        return byTime(in);
    }

    /**
     * {@code in} in event-time order (stable): every partition gets its records in event-time
     * order, so no split's watermark passes a record still to come (which could make it TOO_LATE).
     */
    static List<Input> byTime(List<Input> in) {
        List<Input> out = new ArrayList<>(in);
        out.sort(java.util.Comparator.comparing(LayoutSavepoints::time));
        return out;
    }

    static Instant time(Input in) {
        return in.value() instanceof ClickEvent c ? c.getEventTime() : ((DwellEvent) in.value()).getEventTime();
    }

    static String topic(JobOptions o, Topic t) {
        return switch (t) {
            case CLICKSTREAM -> o.clickstreamTopic;
            case DWELL -> o.dwellTopic;
            case BUDGETS -> o.budgetsTopic;
            case CATALOG -> o.catalogTopic;
        };
    }

    /**
     * Sends {@code inputs} in order, each to its partition (partitions of one topic in the order
     * given: one request in flight, acks all).
     */
    static void produce(String bootstrapServers, JobOptions o, List<Input> inputs) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (Input in : inputs) {
                producer.send(new ProducerRecord<>(
                                topic(o, in.topic()),
                                in.partition(),
                                in.key().getBytes(StandardCharsets.UTF_8),
                                AvroRecordSerializer.encode(in.value())))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Sends {@code count} records to {@code topic}'s {@code partition}, each {@code value}, with the
     * keys {@code offset-filler-<i>} (the catalog topic is compacted: it refuses records without a key).
     */
    static void produceRaw(String bootstrapServers, String topic, int partition, long count, byte[] value)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (long i = 0; i < count; i++) {
                byte[] key = ("offset-filler-" + i).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, partition, key, value))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // as UpgradeITCase.producer: see there
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** @return the accumulator {@code name} of {@code job} (0 when not there yet) */
    static long accumulator(JobClient job, String name) {
        try {
            Object v = job.getAccumulators().get(30, TimeUnit.SECONDS).get(name);
            return v instanceof Number n ? n.longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ reading a savepoint

    /**
     * The Kafka splits in the savepoint, of every source: "topic-partition" -> the offset the source
     * resumes at (a record count; a negative marker such as -2, "earliest", for a partition that
     * never had a record).
     */
    static Map<String, Long> sourceOffsets(String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<byte[]> splits = null;
        for (String uid : SOURCE_UIDS) {
            // SourceOperator keeps its reader's splits in this list state, each in SimpleVersionedSerialization
            DataStream<byte[]> s = reader.readListState(
                    OperatorIdentifier.forUid(uid),
                    SPLIT_STATE_NAME,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            splits = splits == null ? s : splits.union(s);
        }
        Map<String, Long> out = new TreeMap<>();
        KafkaPartitionSplitSerializer serializer = new KafkaPartitionSplitSerializer();
        try (CloseableIterator<byte[]> it = splits.executeAndCollect("read the savepoint's Kafka splits")) {
            while (it.hasNext()) {
                KafkaPartitionSplit split =
                        SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, it.next());
                out.put(split.getTopic() + "-" + split.getPartition(), split.getStartingOffset());
            }
        }
        return out;
    }

    /** Pseudonym -> {@link UserStateSummary} line, for every key of the per-user operator's state. */
    static Map<String, String> userStates(String savepoint) throws Exception {
        return readKeyed(savepoint, Uids.USER_ACTIVITY, new UserStateSummary());
    }

    /** Item id -> its topics and weights, from the catalog join's state. */
    static Map<String, String> catalogStates(String savepoint) throws Exception {
        return readKeyed(savepoint, Uids.CATALOG_JOIN, new CatalogStateSummary());
    }

    private static Map<String, String> readKeyed(
            String savepoint, String uid, KeyedStateReaderFunction<String, String> f) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<String> rows = reader.readKeyedState(OperatorIdentifier.forUid(uid), f, Types.STRING, Types.STRING);
        Map<String, String> out = new TreeMap<>();
        try (CloseableIterator<String> it = rows.executeAndCollect("read " + uid)) {
            it.forEachRemaining(
                    line -> out.put(line.substring(0, line.indexOf('|')), line.substring(line.indexOf('|') + 1)));
        }
        return out;
    }

    /**
     * One line per user: {@code pseudonym|sessions=[start..end events=N engaged_ms=N open|closed]
     * pending=[time KIND item, ...] dedupe=N budgets=[...] stretch=start..end interest=[topics]
     * trend_windows=[starts] timers=[...]}, read with the job's descriptors (no TTL: Flink migrates
     * the TTL state of the savepoint) and timer service ({@code user-timers}).
     */
    static final class UserStateSummary extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<UserState> state;
        private transient ListState<AttentionEvent> pending;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(UserStateDescriptors.stateDescriptor());
            pending = getRuntimeContext().getListState(UserStateDescriptors.pendingDescriptor(0));
        }

        @Override
        public void readKey(String user, Context ctx, Collector<String> out) throws Exception {
            UserState st = state.value();
            List<AttentionEvent> waiting = new ArrayList<>();
            if (st != null) {
                waiting.addAll(st.getPending()); // values written before pending-events existed
            }
            for (AttentionEvent e : pending.get()) {
                waiting.add(e);
            }
            waiting.sort(java.util.Comparator.comparingLong(AttentionEvent::getEventTime));
            StringBuilder b = new StringBuilder(user).append('|');
            if (st != null) {
                b.append("sessions=")
                        .append(st.getSessions().stream()
                                .map(LayoutSavepoints::session)
                                .toList());
            }
            b.append(" pending=")
                    .append(waiting.stream()
                            .map(e -> Instant.ofEpochMilli(e.getEventTime()) + " " + e.getKind()
                                    + (e.getItemId() == null ? "" : " " + e.getItemId()))
                            .toList());
            if (st != null) {
                b.append(" dedupe=").append(st.getDedupeHashes().size());
                AttentionState a = st.getAttention();
                if (a != null) {
                    b.append(" budgets=")
                            .append(a.getBudgets().stream()
                                    .map(LayoutSavepoints::budget)
                                    .toList());
                    b.append(" stretch=")
                            .append(Instant.ofEpochMilli(a.getStretchStart()))
                            .append("..")
                            .append(Instant.ofEpochMilli(a.getStretchEnd()));
                }
                InterestState v = st.getInterest();
                b.append(" interest=")
                        .append(
                                v == null
                                        ? "none"
                                        : v.getTopics().stream()
                                                        .map(i -> st.getTopicDictionary()
                                                                .get(i))
                                                        .sorted()
                                                        .toList()
                                                + " events_counted=" + v.getEventsCounted());
                b.append(" trend_windows=")
                        .append(st.getTrendWindows().stream()
                                .map(w ->
                                        Instant.ofEpochMilli(w.getWindowStart()).toString())
                                .toList());
            }
            b.append(" timers=")
                    .append(Stream.of(ctx.registeredEventTimeTimers().toArray(new Long[0]))
                            .sorted()
                            .map(Instant::ofEpochMilli)
                            .toList());
            out.collect(b.toString());
        }
    }

    static String session(SessionState s) {
        return Instant.ofEpochMilli(s.getStart()) + ".." + Instant.ofEpochMilli(s.getEnd()) + " id=" + s.getSessionId()
                + " events=" + s.getEventCount() + " engaged_ms=" + s.getEngagedMs()
                + (s.getClosed() ? " closed" : " open");
    }

    static String budget(BudgetEntry e) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < e.getCategories().size(); i++) {
            b.append(e.getCategories().get(i))
                    .append('=')
                    .append(e.getMinutes().get(i))
                    .append(" min ");
        }
        return b.append("from ")
                .append(Instant.ofEpochMilli(e.getFrom()))
                .append(" zone ")
                .append(e.getZone())
                .append(e.getAlertsEnabled() ? "" : " alerts off")
                .toString();
    }

    /** {@code item|topic=weight,...} of the catalog join's {@code item-topics}. */
    static final class CatalogStateSummary extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<ItemTopics> state;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(CatalogJoinFunction.stateDescriptor());
        }

        @Override
        public void readKey(String item, Context ctx, Collector<String> out) throws Exception {
            ItemTopics t = state.value();
            if (t != null) {
                Map<String, Double> m = new TreeMap<>();
                for (int i = 0; i < t.getTopics().size(); i++) {
                    m.put(t.getTopics().get(i), t.getWeights().get(i));
                }
                out.collect(item + "|" + m);
            }
        }
    }

    /** Operator uid (sinks: also their committers) -> state size in the savepoint's metadata, bytes. */
    static Map<String, Long> stateSizes(String savepoint) throws IOException {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(savepoint);
        Map<Object, String> names = new HashMap<>();
        List<String> uids = new ArrayList<>(List.of(
                Uids.SOURCE_CLICKSTREAM,
                Uids.SOURCE_DWELL,
                Uids.DOOR,
                Uids.SOURCE_BUDGETS,
                Uids.SOURCE_PRIVACY_REQUESTS,
                Uids.DOOR_CONTROL,
                Uids.DOOR_CATALOG,
                Uids.USER_ACTIVITY,
                Uids.TOPIC_TRENDS,
                Uids.SOURCE_CATALOG,
                Uids.TOPIC_DEPTH,
                Uids.CATALOG_JOIN,
                Uids.RECS_ITEM_GATE,
                Uids.RECS_USER_HISTORY,
                Uids.RECS_ITEM_NEIGHBOURS,
                Uids.RECS_POPULAR_ITEMS,
                Uids.RECS_TOPIC_ITEMS, // added after layout 2
                Uids.RECS_RANKING));
        for (String sink : List.of(
                Uids.SINK_SESSIONS,
                Uids.SINK_PAGE_VIEWS, // not in layout-1 (added after it): absent from its savepoint
                Uids.SINK_DLQ,
                Uids.SINK_INTEREST_VECTORS,
                Uids.SINK_LIVE_INTEREST_VECTORS, // added after layout 2
                Uids.SINK_TOPIC_TRENDS,
                Uids.SINK_PRIVACY_AUDIT,
                Uids.SINK_ALERTS,
                Uids.SINK_REPORTS,
                Uids.SINK_RECOMMENDATIONS)) {
            uids.add(sink);
            uids.add("Sink Committer: " + sink); // the uid Flink gives a sink's committer
        }
        for (String uid : uids) {
            names.put(OperatorIdentifier.forUid(uid).getOperatorId(), uid);
        }
        Map<String, Long> out = new TreeMap<>();
        for (OperatorState s : metadata.getOperatorStates()) {
            out.put(names.getOrDefault(s.getOperatorID(), "(no uid: " + s.getOperatorID() + ")"), s.getStateSize());
        }
        return out;
    }

    // ------------------------------------------------------------------ the writer

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    /**
     * Writes the savepoint of layout {@link #LAYOUT} into the directory given by the system property
     * {@code layout.savepoint.dir} (disabled without it; the class is neither a {@code *Test} nor an
     * {@code *ITCase}, so {@code mvn verify} never runs it):
     *
     * <pre>
     * mvn -o verify -pl tools -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LayoutSavepoints \
     *   -Dfailsafe.failIfNoSpecifiedTests=false -Dlayout.savepoint.dir=$PWD/tools/src/test/resources/savepoints/layout-2
     * </pre>
     *
     * An embedded broker, the job (the production graph, {@link AttentionJob#defineWorkflow}, RocksDB)
     * unbounded; the settings, then the events before the savepoint; once the sources have read them
     * all and the committed sessions show that the watermark has applied what it can (ada 2 events,
     * bob 11, cyd 2, dan 2) and a few checkpoints have passed without new output (so the sinks hold no
     * transaction to commit), {@code stopWithSavepoint} without drain, canonical format, with every
     * state handle inlined into {@code _metadata} ({@code execution.checkpointing.data-inline-threshold}
     * 1 MB). The savepoint's content is then checked against the scenario (it is what the restore
     * test relies on) and copied, {@code _metadata} and any other file, into the directory (its files
     * other than {@code README.md} are deleted first), with {@code contents.txt}: what the savepoint
     * holds, as read back with the State Processor API.
     */
    @Test
    @EnabledIfSystemProperty(named = "layout.savepoint.dir", matches = ".+")
    void writeSavepoint() throws Exception {
        Path target = Path.of(System.getProperty("layout.savepoint.dir"));
        Path keyFile = Files.writeString(dir.resolve("pseudonym.key"), KEY);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobOptions options = options(
                    LAYOUT,
                    kafka.bootstrapServers(),
                    keyFile.toString(),
                    dir.resolve("checkpoints").toUri().toString());
            try (var admin = kafka.admin()) {
                Topics.createAll(admin, options, 2);
            }
            produce(kafka.bootstrapServers(), options, settings());

            Configuration conf = JobConfiguration.of(options);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            conf.set(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, MemorySize.parse("1mb"));
            JobClient job =
                    TestJobs.graph(conf, options, UnaryOperator.identity()).executeAsync(options.jobName);
            String savepoint;
            Pseudonymizer pseudonyms = new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8));
            Map<String, Integer> applied = Map.of(
                    pseudonyms.pseudonym("ada"),
                    2,
                    pseudonyms.pseudonym("bob"),
                    11,
                    pseudonyms.pseudonym("cyd"),
                    2,
                    pseudonyms.pseudonym("dan"),
                    2);
            try {
                Committed.await(
                        "the budget and both catalog profiles are read",
                        Duration.ofSeconds(90),
                        () -> accumulator(job, PipelineCounters.BUDGETS_IN) == 1
                                && accumulator(job, PipelineCounters.CATALOG_UPDATES_IN) == 2);
                Thread.sleep(2_000); // the profiles reach the catalog join's state
                produce(kafka.bootstrapServers(), options, beforeSavepoint());
                int events = beforeSavepoint().size();
                Committed.await(
                        "the sources have read the " + events + " events",
                        Duration.ofSeconds(90),
                        () -> accumulator(job, PipelineCounters.EVENTS_IN) == events);
                Committed.await(
                        "committed OPEN sessions with the events the watermark has passed " + applied,
                        Duration.ofSeconds(90),
                        () -> {
                            Map<String, Integer> latest = new TreeMap<>();
                            Committed.drain(
                                            kafka,
                                            options.sessionsTopic,
                                            Map.of(),
                                            v -> Committed.decode(() ->
                                                    SessionSummary.getDecoder().decode(v)))
                                    .forEach(k -> latest.put(k.key(), k.value().getEventCount()));
                            return latest.equals(new TreeMap<>(applied));
                        });
                Thread.sleep(3_000); // several checkpoints without new output: no open transaction in the savepoint
                savepoint = job.stopWithSavepoint(
                                false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(90, TimeUnit.SECONDS);
            } catch (Exception | AssertionError e) {
                job.cancel();
                throw e;
            }
            List<Keyed<SessionSummary>> sessions = Committed.drain(
                    kafka,
                    options.sessionsTopic,
                    Map.of(),
                    v -> Committed.decode(() -> SessionSummary.getDecoder().decode(v)));
            assertThat(sessions)
                    .allSatisfy(k -> assertThat(k.value().getStatus()).isEqualTo(SessionStatus.OPEN));
            List<Keyed<InterestVector>> vectors = Committed.drain(
                    kafka,
                    options.interestVectorsTopic,
                    Map.of(),
                    v -> Committed.decode(() -> InterestVector.getDecoder().decode(v)));
            assertThat(vectors)
                    .as("cyd's vector has the catalog's topics: the profiles were joined")
                    .anySatisfy(k -> {
                        assertThat(k.key()).isEqualTo(pseudonyms.pseudonym("cyd"));
                        assertThat(k.value().getTop())
                                .extracting(t -> t.getTopic())
                                .contains("news.technology");
                    });

            Map<String, String> states = userStates(savepoint);
            Map<String, Long> offsets = sourceOffsets(savepoint);
            Map<String, String> catalog = catalogStates(savepoint);
            Map<String, Long> sizes = stateSizes(savepoint);
            System.out.println("LayoutSavepoints: savepoint " + savepoint);
            states.forEach((p, line) -> System.out.println("  user-state " + p + " " + line));
            System.out.println("  Kafka splits " + offsets);
            System.out.println("  catalog join " + catalog);
            System.out.println("  state size by operator " + sizes);
            assertThat(states.keySet()).containsExactlyInAnyOrderElementsOf(applied.keySet());
            assertThat(states.get(pseudonyms.pseudonym("ada")))
                    .contains(
                            "pending=[2025-03-03T09:26:00Z CLICK a2, 2025-03-03T09:30:30Z DWELL a2]",
                            "events=2 ",
                            "politics=10 min");
            assertThat(states.get(pseudonyms.pseudonym("bob")))
                    .contains("pending=[2025-03-03T09:29:30Z DWELL b5, 2025-03-03T09:30:00Z CLICK b6]", "events=11 ");
            assertThat(states.get(pseudonyms.pseudonym("cyd"))).contains("pending=[]", "events=2 ");
            assertThat(states.get(pseudonyms.pseudonym("dan")))
                    .contains("pending=[]", "events=2 ", "timers=[2025-03-03T09:36:00Z]");
            assertThat(catalog).containsOnlyKeys("c1", "c2");
            assertThat(offsets)
                    .containsEntry(options.clickstreamTopic + "-0", 3L)
                    .containsEntry(options.clickstreamTopic + "-1", 8L)
                    .containsEntry(options.dwellTopic + "-0", 3L)
                    .containsEntry(options.dwellTopic + "-1", 7L)
                    .containsEntry(options.budgetsTopic + "-0", 1L)
                    .containsEntry(options.catalogTopic + "-0", 2L);

            Files.createDirectories(target);
            try (Stream<Path> old = Files.list(target)) {
                for (Path p : old.filter(p -> !p.getFileName().toString().equals("README.md"))
                        .toList()) {
                    Files.delete(p);
                }
            }
            Path from = Path.of(java.net.URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint));
            long total = 0;
            try (Stream<Path> files = Files.list(from)) {
                for (Path p : files.toList()) {
                    Files.copy(p, target.resolve(p.getFileName()));
                    total += Files.size(p);
                }
            }
            List<String> contents = new ArrayList<>();
            contents.add("# Written by LayoutSavepoints.writeSavepoint (layout " + LAYOUT
                    + "); pseudonyms under the key \"" + KEY + "\"");
            for (String user : USERS) {
                contents.add("user-state " + user + " = " + pseudonyms.pseudonym(user) + ": "
                        + states.get(pseudonyms.pseudonym(user)));
            }
            contents.add("catalog-join item-topics: " + catalog);
            contents.add(
                    "Kafka splits (topic-partition=offset to resume at; -2: earliest, no record read): " + offsets);
            contents.add("state size by operator uid, bytes: " + sizes);
            contents.add("files: " + total + " bytes");
            Files.write(target.resolve("contents.txt"), contents);
            try (Stream<Path> files = Files.list(target)) {
                System.out.println("LayoutSavepoints: wrote " + total + " bytes to " + target + ": "
                        + files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(", ")));
            }
        }
    }
}
