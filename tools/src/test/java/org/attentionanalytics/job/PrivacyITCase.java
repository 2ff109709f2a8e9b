package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Committed.decode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
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
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.BucketMembers;
import org.attentionanalytics.avro.internal.ClientSession;
import org.attentionanalytics.avro.internal.DecayedCount;
import org.attentionanalytics.avro.internal.ItemEngagement;
import org.attentionanalytics.avro.internal.ItemRow;
import org.attentionanalytics.avro.internal.ItemTopics;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RecsHistory;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.interest.CatalogJoinFunction;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.Topics;
import org.attentionanalytics.pipeline.Uids;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.recommend.RecsState;
import org.attentionanalytics.session.ClientSessionRouting;
import org.attentionanalytics.session.Erasure;
import org.attentionanalytics.session.SessionMode;
import org.attentionanalytics.session.UserStateDescriptors;
import org.attentionanalytics.testutil.Committed;
import org.attentionanalytics.testutil.Committed.Keyed;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy through the production graph ({@link AttentionJob#defineWorkflow}: Kafka in and out,
 * RocksDB, exactly-once sinks) on a MiniCluster and an embedded broker (DESIGN.md section 9).
 *
 * <ol>
 *   <li>{@link #erasureLeavesNoStateInAnyKeyedOperator}: three users read catalog items (views with
 *       inline topics, dwell events without topics, which pass the catalog join keyed by item id);
 *       once their vectors are committed, an {@code ErasureRequest} for one of them (key and
 *       {@code user_id}: the raw id) is sent to the real {@code privacy-requests} topic, as {@code
 *       bin/attention erase} sends it, and reaches the per-user operator through the job's control
 *       source and door (pseudonymized there). After the confirmation is committed the
 *       job stops with a savepoint, read with the State Processor API: the erased pseudonym has no
 *       state in the per-user operator, the others do; the catalog join holds exactly the catalog's
 *       item ids (no pseudonym); the client-session routing ({@code --sessions client}, on in this
 *       test: each user's events carry the session id {@code <user>-s}) holds alice's and carol's
 *       sessions and not bob's. {@code interest-vectors} ends the erased user's records with a
 *       tombstone, {@code privacy-audit} has the confirmation.
 *   <li>{@link #savepointWithoutTtlRestoresIntoTheTtlJob}: a job with {@code --state-ttl 0} (the
 *       descriptor exactly as before retention existed) stops with a savepoint in open sessions; the
 *       job with the default 30-day TTL restores from it and continues the same sessions.
 * </ol>
 *
 * Redacted dead letters through the whole graph are in the fast tier ({@code PrivacyTest} of the job module).
 */
class PrivacyITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(TestJobs.smallNetworkBuffers())
            .build());

    static final Duration WAIT = Duration.ofSeconds(90);
    static final List<String> USERS = List.of("alice", "bob", "carol");
    static final String ERASED = "bob";
    static final String REQUEST_ID = "req-bob-1";
    static final List<String> ITEMS = List.of("article-0", "article-1", "article-2");

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static final Map<String, String> PREFIXES = new java.util.concurrent.ConcurrentHashMap<>();
    static Path key;
    static Pseudonymizer pseudonyms;

    @BeforeAll
    static void startKafka() throws IOException {
        kafka = SharedKafka.get();
        key = dir.resolve("key");
        Files.writeString(key, "privacy-it-key\n");
        pseudonyms = new Pseudonymizer(Pseudonymizer.loadKey(key.toString()));
    }

    // ------------------------------------------------------------------------------------------
    // 1. Erasure through the real graph, savepoint, State Processor API
    // ------------------------------------------------------------------------------------------

    @Test
    void erasureLeavesNoStateInAnyKeyedOperator() throws Exception {
        long started = System.currentTimeMillis();
        JobOptions options = options("e1");
        options.sessions = SessionMode.CLIENT; // the client-session routing is a keyed operator too
        try (var admin = kafka.admin()) {
            Topics.createAll(admin, options, 2);
        }
        publishCatalog(options);
        long base = System.currentTimeMillis() - Duration.ofMinutes(20).toMillis();
        produceSessionEvents(options, base, 0, 3);

        Configuration conf = JobConfiguration.of(options);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobClient job = TestJobs.graph(conf, options, UnaryOperator.identity()).executeAsync(options.jobName);
        String bob = pseudonyms.pseudonym(ERASED);
        String savepoint;
        try {
            awaitCondition(
                    "every user has a committed interest vector",
                    () -> drain(options.interestVectorsTopic, v -> v).stream()
                                    .map(Keyed::key)
                                    .collect(Collectors.toSet())
                                    .size()
                            == USERS.size());
            try (KafkaProducer<byte[], byte[]> producer = producer()) { // as bin/attention erase sends it
                producer.send(new ProducerRecord<>(
                                options.privacyRequestsTopic,
                                ERASED.getBytes(StandardCharsets.UTF_8),
                                AvroRecordSerializer.encode(ErasureRequest.newBuilder()
                                        .setRequestId(REQUEST_ID)
                                        .setUserId(ERASED)
                                        .setRequestedAt(Instant.ofEpochMilli(System.currentTimeMillis() - 60_000))
                                        .build())))
                        .get();
            }
            awaitCondition(
                    "the erasure confirmation is committed",
                    () -> !drain(options.privacyAuditTopic, v -> v).isEmpty());
            savepoint = UpgradeITCase.stopWithSavepoint(
                    job, false, dir.resolve("savepoints-e1").toUri().toString());
        } catch (Exception | AssertionError e) {
            job.cancel();
            throw e;
        }
        long stopped = System.currentTimeMillis();

        // privacy-audit: exactly one confirmation, for bob's pseudonym
        List<Keyed<ErasureConfirmation>> audit = drain(
                options.privacyAuditTopic,
                v -> decode(() -> ErasureConfirmation.getDecoder().decode(v)));
        System.out.println("PrivacyITCase 1: privacy-audit " + audit);
        assertThat(audit).hasSize(1);
        ErasureConfirmation c = audit.get(0).value();
        assertThat(audit.get(0).key()).isEqualTo(bob);
        assertThat(c.getRequestId()).isEqualTo(REQUEST_ID);
        assertThat(c.getUser()).isEqualTo(bob);
        assertThat(c.getErasedAt().toEpochMilli())
                .as("erased_at: processing time")
                .isBetween(started, stopped);
        assertThat(c.getCleared())
                .as("bob had an open session, dedupe memory, an interest vector and a timer")
                .contains(Erasure.DEDUPE, Erasure.SESSIONS, Erasure.INTEREST_VECTOR, Erasure.TIMERS);

        // interest-vectors: bob's vectors, then the tombstone last; the others' vectors untouched
        List<Keyed<byte[]>> vectors = drain(options.interestVectorsTopic, v -> v);
        List<byte[]> bobs = vectors.stream()
                .filter(k -> bob.equals(k.key()))
                .map(Keyed::value)
                .toList();
        System.out.printf(
                "PrivacyITCase 1: interest-vectors: %d records, %d of bob (last a tombstone: %s)%n",
                vectors.size(), bobs.size(), bobs.isEmpty() ? "-" : bobs.get(bobs.size() - 1) == null);
        assertThat(bobs).hasSizeGreaterThanOrEqualTo(2);
        assertThat(bobs.get(bobs.size() - 1))
                .as("bob's last record in interest-vectors: the tombstone")
                .isNull();
        assertThat(bobs.subList(0, bobs.size() - 1))
                .as("bob's records before it: vectors")
                .doesNotContainNull();
        InterestVector bobsLast = decode(() -> InterestVector.getDecoder().decode(bobs.get(bobs.size() - 2)));
        assertThat(bobsLast.getUser()).isEqualTo(bob);
        for (String u : USERS) {
            if (!u.equals(ERASED)) {
                String p = pseudonyms.pseudonym(u);
                assertThat(vectors)
                        .as("records of %s", u)
                        .filteredOn(k -> p.equals(k.key()))
                        .isNotEmpty()
                        .allSatisfy(k -> assertThat(k.value()).isNotNull());
            }
        }

        // attention-sessions: bob's session only OPEN records (dropped without a summary)
        List<Keyed<SessionSummary>> sessions = drain(
                options.sessionsTopic,
                v -> decode(() -> SessionSummary.getDecoder().decode(v)));
        assertThat(sessions)
                .filteredOn(k -> bob.equals(k.key()))
                .isNotEmpty()
                .allSatisfy(k -> assertThat(k.value().getStatus()).isEqualTo(SessionStatus.OPEN));

        // The savepoint, through the State Processor API
        Map<String, String> userState = readUserState(savepoint, options.stateTtl.toMillis());
        System.out.println("PrivacyITCase 1: user-state keys in the savepoint " + userState);
        Set<String> expectedUsers = new TreeSet<>();
        for (String u : USERS) {
            if (!u.equals(ERASED)) {
                expectedUsers.add(pseudonyms.pseudonym(u));
            }
        }
        assertThat(userState.keySet()).as("pseudonyms with per-user state").isEqualTo(expectedUsers);
        userState.forEach((p, line) -> assertThat(line).as("state of %s", p).startsWith("sessions=1 "));
        Set<String> catalogKeys = readCatalogJoinKeys(savepoint);
        System.out.println("PrivacyITCase 1: catalog-join keys in the savepoint " + catalogKeys);
        assertThat(catalogKeys)
                .as("catalog join: keyed by item id, nothing of any user")
                .isEqualTo(new TreeSet<>(ITEMS));
        assertThat(catalogKeys).doesNotContain(bob);
        // recommendations: bob's last record is the tombstone
        List<Keyed<byte[]>> lists = drain(options.recommendationsTopic, v -> v);
        List<byte[]> bobsLists = lists.stream()
                .filter(k -> bob.equals(k.key()))
                .map(Keyed::value)
                .toList();
        System.out.printf("PrivacyITCase 1: recommendations: %d records, %d of bob%n", lists.size(), bobsLists.size());
        assertThat(bobsLists).isNotEmpty();
        assertThat(bobsLists.get(bobsLists.size() - 1))
                .as("bob's last record in recommendations: the tombstone")
                .isNull();
        // the recommendation operators: the user-keyed history holds nothing of bob (at most the
        // time of the erasure, until the lateness is over); the item-keyed ones are keyed by item id
        long ttl = options.stateTtl.toMillis();
        Map<String, String> history = readRecs(
                savepoint,
                Uids.RECS_USER_HISTORY,
                new RecsReader<>(
                        RecsState.HISTORY,
                        RecsHistory.class,
                        ttl,
                        h -> "recent=" + h.getRecentItems().size() + " sessions="
                                + h.getSessions().size() + " purchased="
                                + h.getPurchased().size()));
        System.out.println("PrivacyITCase 1: recommendation history in the savepoint " + history);
        assertThat(history.keySet()).containsAll(expectedUsers);
        if (history.containsKey(bob)) {
            assertThat(history.get(bob)).as("bob's history").isEqualTo("recent=0 sessions=0 purchased=0");
        }
        // the ranking's per-user state: the last ranked list and the mode, none of bob's (here the
        // others' lists still wait for the watermark, so the ranking holds none yet: RankingModesTest
        // checks that an erasure clears both)
        Map<String, String> lastLists = readRecs(
                savepoint,
                Uids.RECS_RANKING,
                new RecsReader<>(
                        RecsState.LAST_LIST,
                        org.attentionanalytics.avro.Recommendation.class,
                        ttl,
                        l -> "items=" + l.getItems().size()));
        Map<String, String> modes = readRecs(
                savepoint,
                Uids.RECS_RANKING,
                new RecsReader<>(RecsState.MODE, RankMessage.class, ttl, m -> m.getMode()));
        System.out.println("PrivacyITCase 1: the ranking's last lists " + lastLists + " and modes " + modes);
        Map<String, String> rankingVectors = readRecs(
                savepoint,
                Uids.RECS_RANKING,
                new RecsReader<>(RecsState.INTERESTS, RankMessage.class, ttl, m -> "topics=" + m.getItems()));
        System.out.println("PrivacyITCase 1: the ranking's interest vectors " + rankingVectors);
        assertThat(lastLists).doesNotContainKey(bob);
        assertThat(modes).doesNotContainKey(bob);
        assertThat(rankingVectors).doesNotContainKey(bob);
        Map<String, String> similarUsersItems = readRecs(
                savepoint,
                Uids.RECS_RANKING,
                new RecsReader<>(RecsState.SIMILAR_USERS, RankMessage.class, ttl, m -> "items=" + m.getItems()));
        System.out.println("PrivacyITCase 1: the ranking's similar users' items " + similarUsersItems);
        assertThat(similarUsersItems).doesNotContainKey(bob);
        // similar users: keyed by LSH bucket, each holding its members' pseudonyms; bob left his at the erasure
        Map<Long, List<String>> buckets = readBuckets(savepoint, ttl);
        System.out.println("PrivacyITCase 1: the buckets of similar users " + buckets);
        assertThat(buckets).as("buckets: the users had interest vectors").isNotEmpty();
        assertThat(buckets.values())
                .allSatisfy(members -> assertThat(members).doesNotContain(bob).isSubsetOf(expectedUsers));
        // content matching's tables: keyed by topic, holding item ids and counts only
        Map<String, String> topicTables = readRecs(
                savepoint,
                Uids.RECS_TOPIC_ITEMS,
                new RecsReader<>(RecsState.TOPIC_TABLE, PopularItems.class, 0, t -> String.join(",", t.getItems())));
        System.out.println("PrivacyITCase 1: the topics' tables " + topicTables);
        assertThat(topicTables).as("topic tables: some topics were viewed").isNotEmpty();
        assertThat(topicTables.keySet()).doesNotContain(bob);
        assertThat(topicTables.values())
                .allSatisfy(items -> assertThat(List.of(items.split(","))).isSubsetOf(ITEMS));
        Map<String, String> gate = readRecs(
                savepoint,
                Uids.RECS_ITEM_GATE,
                new RecsReader<>(RecsState.ITEM_INTERACTIONS, DecayedCount.class, ttl, count -> "count"));
        Map<String, String> rows = readRecs(
                savepoint,
                Uids.RECS_ITEM_NEIGHBOURS,
                new RecsReader<>(RecsState.ITEM_ROW, ItemRow.class, ttl, r -> "neighbours=" + r.getNeighbours()));
        Map<String, String> engagement = readRecs(
                savepoint,
                Uids.RECS_ITEM_GATE,
                new RecsReader<>(RecsState.ITEM_ENGAGEMENT, ItemEngagement.class, ttl, e -> "views=" + e.getViews()));
        System.out.println("PrivacyITCase 1: item gate and item rows in the savepoint " + gate.keySet() + " " + rows
                + ", mean engaged times " + engagement);
        assertThat(engagement.keySet())
                .as("mean engaged times: keyed by item id")
                .isSubsetOf(ITEMS);
        assertThat(gate.keySet()).as("item gate: keyed by item id").isNotEmpty().isSubsetOf(ITEMS);
        assertThat(rows.keySet()).as("item rows: keyed by item id").isSubsetOf(ITEMS);
        assertThat(rows.values()).allSatisfy(r -> assertThat(r).doesNotContain(bob));
        Map<String, String> routing = readClientSessions(savepoint);
        System.out.println("PrivacyITCase 1: client-session routing in the savepoint " + routing);
        Map<String, String> expectedRouting = new TreeMap<>();
        for (String u : USERS) {
            if (!u.equals(ERASED)) {
                expectedRouting.put(pseudonyms.pseudonym(u + "-s"), pseudonyms.pseudonym(u));
            }
        }
        assertThat(routing)
                .as("client sessions (session id pseudonym -> user): bob's forgotten")
                .isEqualTo(expectedRouting);
    }

    /** Key -> described value of every key with a value of one recommendation operator's state in the savepoint. */
    static Map<String, String> readRecs(String savepoint, String uid, RecsReader<?> reader) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader savepoints = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<String> rows =
                savepoints.readKeyedState(OperatorIdentifier.forUid(uid), reader, Types.STRING, Types.STRING);
        Map<String, String> out = new TreeMap<>();
        try (CloseableIterator<String> it = rows.executeAndCollect("read " + uid)) {
            it.forEachRemaining(
                    row -> out.put(row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1)));
        }
        return out;
    }

    /** Reads one value state of a recommendation operator (descriptor as the job's, TTL included). */
    static final class RecsReader<T extends org.apache.avro.specific.SpecificRecordBase>
            extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final Class<T> type;
        private final long ttlMs;
        private final org.apache.flink.util.function.SerializableFunction<T, String> describe;
        private transient ValueState<T> state;

        RecsReader(
                String name,
                Class<T> type,
                long ttlMs,
                org.apache.flink.util.function.SerializableFunction<T, String> describe) {
            this.name = name;
            this.type = type;
            this.ttlMs = ttlMs;
            this.describe = describe;
        }

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(RecsState.value(name, type, ttlMs));
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String> out) throws Exception {
            if (state.value() != null) {
                out.collect(key + "|" + describe.apply(state.value()));
            }
        }
    }

    /** Bucket key -> member pseudonyms of every bucket of similar users in the savepoint. */
    static Map<Long, List<String>> readBuckets(String savepoint, long ttlMs) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<String> rows = reader.readKeyedState(
                OperatorIdentifier.forUid(Uids.RECS_SIMILAR_USERS),
                new BucketMembersReader(ttlMs),
                Types.LONG,
                Types.STRING);
        Map<Long, List<String>> out = new TreeMap<>();
        try (CloseableIterator<String> it = rows.executeAndCollect("read buckets")) {
            it.forEachRemaining(row -> out.put(
                    Long.parseLong(row.substring(0, row.indexOf('|'))),
                    List.of(row.substring(row.indexOf('|') + 1).split(","))));
        }
        return out;
    }

    static final class BucketMembersReader extends KeyedStateReaderFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final long ttlMs;
        private transient ValueState<BucketMembers> state;

        BucketMembersReader(long ttlMs) {
            this.ttlMs = ttlMs;
        }

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(RecsState.value(RecsState.BUCKET_MEMBERS, BucketMembers.class, ttlMs));
        }

        @Override
        public void readKey(Long key, Context ctx, Collector<String> out) throws Exception {
            BucketMembers b = state.value();
            if (b != null) {
                List<String> users = new java.util.ArrayList<>();
                b.getMembers().forEach(m -> users.add(m.getUser()));
                out.collect(key + "|" + String.join(",", users));
            }
        }
    }

    /** Session id pseudonym -> user of every key of the client-session routing's state in the savepoint. */
    static Map<String, String> readClientSessions(String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<String> rows = reader.readKeyedState(
                OperatorIdentifier.forUid(Uids.CLIENT_SESSIONS), new ClientSessionUsers(), Types.STRING, Types.STRING);
        Map<String, String> out = new TreeMap<>();
        try (CloseableIterator<String> it = rows.executeAndCollect("read client sessions")) {
            it.forEachRemaining(row -> out.put(row.split("=")[0], row.split("=")[1]));
        }
        return out;
    }

    static final class ClientSessionUsers extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<ClientSession> state;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(ClientSessionRouting.sessionDescriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String> out) throws Exception {
            if (state.value() != null) {
                out.collect(key + "=" + state.value().getUser());
            }
        }
    }

    /** Pseudonym -> "sessions=N timers=[...]" of every key with a non-null user-state. */
    static Map<String, String> readUserState(String savepoint, long ttlMs) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<String> rows = reader.readKeyedState(
                OperatorIdentifier.forUid(Uids.USER_ACTIVITY), new UserStateReader(ttlMs), Types.STRING, Types.STRING);
        Map<String, String> out = new TreeMap<>();
        try (CloseableIterator<String> it = rows.executeAndCollect("read user-state")) {
            it.forEachRemaining(
                    line -> out.put(line.substring(0, line.indexOf('|')), line.substring(line.indexOf('|') + 1)));
        }
        return out;
    }

    static final class UserStateReader extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private final long ttlMs;
        private transient ValueState<UserState> state;
        private transient org.apache.flink.api.common.state.ListState<
                        org.attentionanalytics.avro.internal.AttentionEvent>
                pending;
        private transient ValueState<Long> timer;

        UserStateReader(long ttlMs) {
            this.ttlMs = ttlMs;
        }

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(UserStateDescriptors.stateDescriptor(ttlMs));
            pending = getRuntimeContext().getListState(UserStateDescriptors.pendingDescriptor(ttlMs));
            timer = getRuntimeContext().getState(UserStateDescriptors.timerDescriptor(ttlMs));
        }

        @Override
        public void readKey(String user, Context ctx, Collector<String> out) throws Exception {
            UserState st = state.value();
            int buffered = 0;
            for (var e : pending.get()) {
                buffered++;
            }
            if (st != null || buffered > 0 || timer.value() != null) {
                out.collect(
                        user + "|sessions=" + (st == null ? 0 : st.getSessions().size()) + " events="
                                + (st == null
                                        ? 0
                                        : st.getSessions().stream()
                                                .mapToInt(s -> s.getEventCount())
                                                .sum())
                                + " pending=" + buffered + " timer=" + timer.value() + " timers="
                                + ctx.registeredEventTimeTimers());
            }
        }
    }

    /** Keys of the catalog join's keyed state in the savepoint. */
    static Set<String> readCatalogJoinKeys(String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        DataStream<String> keys = reader.readKeyedState(
                OperatorIdentifier.forUid(Uids.CATALOG_JOIN), new CatalogKeys(), Types.STRING, Types.STRING);
        Set<String> out = new TreeSet<>();
        try (CloseableIterator<String> it = keys.executeAndCollect("read catalog-join keys")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    static final class CatalogKeys extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<ItemTopics> state;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(CatalogJoinFunction.stateDescriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String> out) throws Exception {
            if (state.value() != null
                    || !ctx.registeredEventTimeTimers().isEmpty()
                    || !ctx.registeredProcessingTimeTimers().isEmpty()) {
                out.collect(key);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // 2. A savepoint taken before TTL was configured restores into the job with TTL
    // ------------------------------------------------------------------------------------------

    static final java.util.concurrent.atomic.AtomicLong EVENTS_SEEN = new java.util.concurrent.atomic.AtomicLong();

    /** The same stateless counting map in both runs (the MiniCluster runs in this JVM). */
    static UnaryOperator<DataStream<AttentionEvent>> countingMap() {
        return s -> s.map(e -> {
                    EVENTS_SEEN.incrementAndGet();
                    return e;
                })
                .returns(s.getType())
                .uid("privacy-test-count")
                .name("Test: count events");
    }

    @Test
    void savepointWithoutTtlRestoresIntoTheTtlJob() throws Exception {
        JobOptions before = options("t2");
        before.stateTtl = Duration.ZERO; // the descriptor as it was before retention
        try (var admin = kafka.admin()) {
            Topics.createAll(admin, before, 2);
        }
        publishCatalog(before);
        long base = System.currentTimeMillis() - Duration.ofMinutes(20).toMillis();
        produceSessionEvents(before, base, 0, 3);
        Configuration conf = JobConfiguration.of(before);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobClient job = TestJobs.graph(conf, before, countingMap()).executeAsync(before.jobName + " (no TTL)");
        String savepoint;
        try {
            awaitCondition(
                    "every user has a committed OPEN session",
                    () -> drain(before.sessionsTopic, v -> v).stream()
                                    .map(Keyed::key)
                                    .collect(Collectors.toSet())
                                    .size()
                            == USERS.size());
            savepoint = UpgradeITCase.stopWithSavepoint(
                    job, false, dir.resolve("savepoints-t2").toUri().toString());
        } catch (Exception | AssertionError e) {
            job.cancel();
            throw e;
        }
        Map<String, String> withoutTtl = readUserState(savepoint, 0);
        assertThat(withoutTtl).hasSize(USERS.size());

        JobOptions after = options("t2");
        assertThat(after.stateTtl).isEqualTo(Duration.ofDays(30));
        produceSessionEvents(after, base, 3, 6);
        Configuration conf2 = JobConfiguration.of(after);
        conf2.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf2.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        EVENTS_SEEN.set(0);
        JobClient job2 = TestJobs.graph(conf2, after, countingMap()).executeAsync(after.jobName + " (TTL, restored)");
        String savepoint2;
        long expected = USERS.size() * 3L * 2;
        try {
            awaitCondition(
                    "the restored job has read the " + expected + " new events", () -> EVENTS_SEEN.get() >= expected);
            savepoint2 = UpgradeITCase.stopWithSavepoint(
                    job2, true, dir.resolve("savepoints-t2-restored").toUri().toString());
        } catch (Exception | AssertionError e) {
            job2.cancel();
            throw e;
        }
        List<Keyed<SessionSummary>> sessions = drain(
                after.sessionsTopic,
                v -> decode(() -> SessionSummary.getDecoder().decode(v)));
        Map<String, Set<String>> ids = new TreeMap<>();
        sessions.forEach(k ->
                ids.computeIfAbsent(k.key(), x -> new TreeSet<>()).add(k.value().getSessionId()));
        System.out.println("PrivacyITCase 2: session ids across the restore into TTL state " + ids);
        assertThat(ids).hasSize(USERS.size());
        ids.forEach((u, s) -> assertThat(s)
                .as("session ids of %s before and after the restore", u)
                .hasSize(1));
        Map<String, SessionSummary> closed = sessions.stream()
                .filter(k -> k.value().getStatus() == SessionStatus.CLOSED)
                .collect(Collectors.toMap(Keyed::key, Keyed::value, (a, b) -> b, TreeMap::new));
        assertThat(closed).hasSize(USERS.size());
        closed.forEach((u, s) -> {
            assertThat(s.getEventCount())
                    .as("events of %s: 6 views and 6 dwell events over both runs", u)
                    .isEqualTo(12);
            assertThat(s.getEngagedMs()).as("engaged ms of %s", u).isEqualTo(6 * 15_000L);
        });
        Map<String, String> ttlState = readUserState(savepoint2, after.stateTtl.toMillis());
        System.out.println("PrivacyITCase 2: user-state of the TTL savepoint " + ttlState);
        assertThat(ttlState.keySet()).isEqualTo(withoutTtl.keySet());
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /** The options of run {@code name}: its topics on the shared broker, the same at every call (a restore reads them on). */
    static JobOptions options(String name) {
        String p = PREFIXES.computeIfAbsent(name, n -> SharedKafka.prefix(PrivacyITCase.class, n));
        JobOptions o = TestJobs.defaults();
        o.bootstrapServers = kafka.bootstrapServers();
        o.pseudonymKeyFile = key.toString();
        o.bounded = false;
        o.parallelism = 2;
        o.recsEnabled = true; // the recommendation operators are keyed operators too
        o.recsWeightSimilarUsers = 1; // and the buckets of similar users
        o.idleness = Duration.ofHours(1); // every partition gets events: none may go idle
        o.checkpointInterval = Duration.ofMillis(300);
        o.checkpointDir = dir.resolve("checkpoints-" + name).toUri().toString();
        o.jobName = "privacy-" + name;
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

    static void publishCatalog(JobOptions options) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String item : ITEMS) {
                producer.send(new ProducerRecord<>(
                                options.catalogTopic,
                                item.getBytes(StandardCharsets.UTF_8),
                                AvroRecordSerializer.encode(ContentProfile.newBuilder()
                                        .setItemId(item)
                                        .setTopics(Map.of("news.politics", 0.7, "news.economy", 0.3))
                                        .build())))
                        .get();
            }
        }
    }

    /**
     * Pairs {@code from..to-1} of every user: a VIEW with inline topics at base + 2 min * pair + 5 s
     * * user, and a DwellEvent without topics 20 s later (15 s engaged), which passes the catalog
     * join. Users alternate between the 2 partitions of both topics (alice and carol 0, bob 1), so
     * every partition has events.
     */
    static void produceSessionEvents(JobOptions options, long base, int from, int to) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int pair = from; pair < to; pair++) {
                for (int u = 0; u < USERS.size(); u++) {
                    String user = USERS.get(u);
                    long t = base + Duration.ofMinutes(2L * pair).toMillis() + 5_000L * u;
                    String item = ITEMS.get(pair % ITEMS.size());
                    byte[] k = user.getBytes(StandardCharsets.UTF_8);
                    int partition = u % 2;
                    producer.send(new ProducerRecord<>(
                            options.clickstreamTopic,
                            partition,
                            k,
                            AvroRecordSerializer.encode(ClickEvent.newBuilder()
                                    .setEventId(user + "-v" + pair)
                                    .setUserId(user)
                                    .setEventTime(Instant.ofEpochMilli(t))
                                    .setEventType(EventType.VIEW)
                                    .setItemId(item)
                                    .setTopics(List.of("news.politics"))
                                    .setSessionId(user + "-s")
                                    .build())));
                    producer.send(new ProducerRecord<>(
                            options.dwellTopic,
                            partition,
                            k,
                            AvroRecordSerializer.encode(DwellEvent.newBuilder()
                                    .setEventId(user + "-d" + pair)
                                    .setUserId(user)
                                    .setEventTime(Instant.ofEpochMilli(t + 20_000))
                                    .setItemId(item)
                                    .setDwellMs(15_000L)
                                    .setSessionId(user + "-s")
                                    .build())));
                }
            }
            producer.flush();
        }
    }

    static KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // see UpgradeITCase#producer
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static <V> List<Keyed<V>> drain(String topic, Function<byte[], V> decode) {
        return Committed.drain(kafka, topic, Map.of(), decode);
    }

    static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        Committed.await(what, WAIT, condition);
    }
}
