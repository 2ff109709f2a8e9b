package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.replay.DatasetReaderTest.fixture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.interest.CatalogDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Replays fixtures into a real in-process Kafka broker (KRaft, combined mode) and reads them back. */
class DatasetReplayITCase {
    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startKafka() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Two fresh topics of 2 partitions each: clicks, dwell. */
    static List<String> createTopics() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> names = List.of("clickstream-" + suffix, "dwell-time-" + suffix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(names.stream()
                            .map(n -> new NewTopic(n, 2, (short) 1))
                            .toList())
                    .all()
                    .get();
        }
        return names;
    }

    /** All records of a topic, partition by partition in offset order; waits for {@code expected} of them. */
    static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(out::add); // anything beyond the expected count
        }
        out.sort(Comparator.comparingInt(ConsumerRecord<byte[], byte[]>::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    /** Asserts the event times are in order within each partition. */
    static void assertOrderedPerPartition(
            List<ConsumerRecord<byte[], byte[]>> records, Function<byte[], Instant> time) {
        Map<Integer, List<Instant>> byPartition = records.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::partition,
                        Collectors.mapping(r -> time.apply(r.value()), Collectors.toList())));
        byPartition.values().forEach(times -> assertThat(times).isSortedAccordingTo(Comparator.naturalOrder()));
    }

    // behaviors.csv: 3 valid rows -> 3 VIEWs + 3 CLICKs (6 ClickEvents) and 3 DwellEvents; 1 malformed row.
    // Its event times span 07:45:40 .. 07:46:59 = 79 s: at --speedup 100 the replay lasts at least 0.79 s.
    @Test
    void avroThroughTheCommand() throws Exception {
        List<String> topics = createTopics();
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ReplayCommand(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "replay-itcase")));
        cmd.setOut(new PrintWriter(out, true));
        long start = System.nanoTime();
        int exit = cmd.execute(
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--topic.clickstream",
                topics.get(0),
                "--topic.dwell-time",
                topics.get(1),
                "--no-progress",
                "--speedup",
                "100",
                "--max-skipped",
                "1", // row 4: no impression_time
                "--dataset",
                "ebnerd-behaviors:" + fixture("behaviors.csv"));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(exit).isZero();
        assertThat(elapsedMs).isGreaterThanOrEqualTo(790);
        assertThat(out.toString())
                .contains(": 4 rows read, 6 clicks -> " + topics.get(0) + ", 3 dwells -> " + topics.get(1)
                        + ", 1 rows skipped (bad_time 1)");

        DatasetReader.Result expected =
                DatasetReader.read(ReplayOptions.parse("--dataset", "ebnerd-behaviors:" + fixture("behaviors.csv")));
        List<ConsumerRecord<byte[], byte[]>> clicks = consume(topics.get(0), 6);
        List<ConsumerRecord<byte[], byte[]>> dwells = consume(topics.get(1), 3);
        assertThat(clicks).hasSize(6);
        assertThat(dwells).hasSize(3);

        List<SpecificRecordBase> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : clicks) {
            ClickEvent c = ClickEvent.getDecoder().decode(r.value());
            assertThat(key(r)).isEqualTo(c.getUserId());
            decoded.add(c);
        }
        for (ConsumerRecord<byte[], byte[]> r : dwells) {
            DwellEvent d = DwellEvent.getDecoder().decode(r.value());
            assertThat(key(r)).isEqualTo(d.getUserId());
            decoded.add(d);
        }
        assertThat(decoded)
                .containsExactlyInAnyOrderElementsOf(
                        expected.events().stream().map(ReplayEvent::record).toList());
        assertThat(clicks).extracting(DatasetReplayITCase::key).containsOnly("11871", "22000");
        assertOrderedPerPartition(clicks, v -> decodeClick(v).getEventTime());
        assertOrderedPerPartition(dwells, v -> decodeDwell(v).getEventTime());
    }

    // history.csv: 4 valid rows -> 4 VIEWs and 4 DwellEvents for users 200 and 100; the file is sorted by user.
    @Test
    void jsonThroughTheApi() throws Exception {
        List<String> topics = createTopics();
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        ReplayResult result = DatasetReplay.replay(
                ReplayOptions.parse(
                        "--dataset",
                        "ebnerd-history:" + fixture("history.csv"),
                        "--replay-format",
                        "json",
                        "--max-skipped",
                        "1"),
                producer,
                topics.get(0),
                topics.get(1),
                true); // progress bar on stderr

        assertThat(result).isEqualTo(new ReplayResult(4, 4, 1, 0, 0, 0, 0, 5, Map.of(SkipReason.BAD_TIME, 1L)));
        ObjectMapper json = new ObjectMapper();
        List<ConsumerRecord<byte[], byte[]>> clicks = consume(topics.get(0), 4);
        List<ConsumerRecord<byte[], byte[]>> dwells = consume(topics.get(1), 4);
        assertThat(clicks).hasSize(4);
        assertThat(dwells).hasSize(4);
        List<JsonNode> all = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : concat(clicks, dwells)) {
            JsonNode n = json.readTree(r.value());
            assertThat(key(r)).isEqualTo(n.get("user_id").asText());
            all.add(n);
        }
        assertThat(all)
                .extracting(n -> n.get("event_id").asText())
                .containsExactlyInAnyOrder(
                        "history.csv:1:view",
                        "history.csv:2:view",
                        "history.csv:4:view",
                        "history.csv:5:view",
                        "history.csv:1:dwell",
                        "history.csv:2:dwell",
                        "history.csv:4:dwell",
                        "history.csv:5:dwell");
        Function<byte[], Instant> time = v -> {
            try {
                return Instant.ofEpochMilli(json.readTree(v).get("event_time").longValue());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        assertOrderedPerPartition(clicks, time);
        assertOrderedPerPartition(dwells, time);
    }

    /** A fresh catalog topic of 1 partition. */
    // A TSV with its own event ids, a ping mapped to HEARTBEAT, a list column and an NA user (allowed by --max-skipped
    // 1).
    @Test
    void aTrackedTsvWithHeartbeatsAndListsThroughTheCommand(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("tracked.tsv");
        Files.writeString(
                tsv,
                "event_id\tuser_id\tevent_time\tevent_type\titem_id\tview_id\tsession_id\tuser_agent\tclicked\n"
                        + "e1\tu1\t2024-01-01T10:00:00Z\tpv\t\"front\tv1\ts1\tUA\ta b\n"
                        + "e2\tu1\t2024-01-01T10:00:10Z\tping\t\"front\tv1\ts1\tUA\t\n"
                        + "e3\tNA\t2024-01-01T10:00:20Z\tping\t\"front\tv1\ts1\tUA\t\n");
        List<String> topics = createTopics();
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ReplayCommand());
        cmd.setOut(new PrintWriter(out, true));
        int exit = cmd.execute(
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--topic.clickstream",
                topics.get(0),
                "--topic.dwell-time",
                topics.get(1),
                "--no-progress",
                "--dataset",
                "csv:" + tsv,
                "--separator",
                "tab",
                "--quote",
                "none",
                "--event-types",
                "pv=VIEW,ping=HEARTBEAT",
                "--null-values",
                "NA",
                "--explode",
                "clicked=space:CLICK",
                "--max-skipped",
                "1");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains(": 3 rows read, 3 clicks -> " + topics.get(0) + ", 1 dwells -> " + topics.get(1)
                        + ", 1 rows skipped (no_user 1)");
        List<ClickEvent> clicks = consume(topics.get(0), 3).stream()
                .map(r -> decodeClick(r.value()))
                .toList();
        assertThat(clicks)
                .extracting(c -> c.getEventId() + " " + c.getEventType() + " " + c.getItemId() + " " + c.getViewId()
                        + " " + c.getSessionId() + " " + c.getUserAgent())
                .containsExactly("e1 VIEW \"front v1 s1 UA", "e1/0 CLICK a v1 s1 UA", "e1/1 CLICK b v1 s1 UA");
        DwellEvent ping = decodeDwell(consume(topics.get(1), 1).get(0).value());
        assertThat(ping.getEventId()).isEqualTo("e2");
        assertThat(ping.getKind()).isEqualTo(DwellKind.HEARTBEAT);
        assertThat(ping.getDwellMs()).isNull();
        assertThat(ping.getViewId()).isEqualTo("v1");
    }

    static String createCatalogTopic() throws Exception {
        String name = "content-catalog-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
        return name;
    }

    // catalog.csv: 2 items (a1, n7), 2 malformed rows; history.csv: 4 clicks, 4 dwells.
    @Test
    void theCatalogGoesFirstThroughTheCommand() throws Exception {
        List<String> topics = createTopics();
        String catalogTopic = createCatalogTopic();
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ReplayCommand());
        cmd.setOut(new PrintWriter(out, true));
        int exit = cmd.execute(
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--topic.clickstream",
                topics.get(0),
                "--topic.dwell-time",
                topics.get(1),
                "--topic.catalog",
                catalogTopic,
                "--no-progress",
                "--catalog",
                "csv:" + fixture("catalog.csv"),
                "--max-skipped",
                "1", // row 3: not-a-time
                "--dataset",
                "ebnerd-history:" + fixture("history.csv"));

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains(
                        ": 2 items -> " + catalogTopic + ", 2 malformed rows skipped",
                        ", 4 clicks -> " + topics.get(0) + ", 4 dwells -> " + topics.get(1));
        List<ConsumerRecord<byte[], byte[]>> catalog = consume(catalogTopic, 2);
        assertThat(catalog).extracting(DatasetReplayITCase::key).containsExactly("a1", "n7");
        ContentProfile a1 = ContentProfile.getDecoder().decode(catalog.get(0).value());
        assertThat(a1.getItemId()).isEqualTo("a1");
        assertThat(a1.getTopics())
                .isEqualTo(Map.of("appliances.kitchen.kettle", 3.0, "appliances.kitchen.toaster", 1.0, "home", 2.0));

        // Every catalog record was written (producer-stamped) no later than the first event.
        long lastCatalog =
                catalog.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        long firstEvent = concat(consume(topics.get(0), 4), consume(topics.get(1), 4)).stream()
                .mapToLong(ConsumerRecord::timestamp)
                .min()
                .orElseThrow();
        assertThat(lastCatalog).isLessThanOrEqualTo(firstEvent);
    }

    // budgets.csv: users 200 (news 30, shopping 15, Europe/Copenhagen) and 100 (news 60, alerts off);
    // erasures.csv: 200 at 09:00:00 (its last events' time), 100 at 07:20:50 (its dwell events' end).
    @Test
    void budgetsGoFirstAndErasuresAmongTheEventsThroughTheCommand() throws Exception {
        List<String> topics = createTopics();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String budgetsTopic = "attention-budgets-" + suffix;
        String requestsTopic = "privacy-requests-" + suffix;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(budgetsTopic, 1, (short) 1), new NewTopic(requestsTopic, 1, (short) 1)))
                    .all()
                    .get();
        }
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ReplayCommand());
        cmd.setOut(new PrintWriter(out, true));
        int exit = cmd.execute(
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--topic.clickstream",
                topics.get(0),
                "--topic.dwell-time",
                topics.get(1),
                "--topic.budgets",
                budgetsTopic,
                "--topic.privacy-requests",
                requestsTopic,
                "--no-progress",
                "--budgets",
                "csv:" + fixture("budgets.csv"),
                "--erasures",
                "csv:" + fixture("erasures.csv"),
                "--max-skipped",
                "1", // row 3: not-a-time
                "--dataset",
                "ebnerd-history:" + fixture("history.csv"));

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains(
                        ": 2 budgets -> " + budgetsTopic,
                        ": 2 erasure requests -> " + requestsTopic,
                        ", 4 clicks -> " + topics.get(0));
        List<ConsumerRecord<byte[], byte[]>> budgets = consume(budgetsTopic, 2);
        assertThat(budgets).extracting(DatasetReplayITCase::key).containsExactly("200", "100");
        AttentionBudget b200 =
                AttentionBudget.getDecoder().decode(budgets.get(0).value());
        assertThat(b200.getBudgets()).isEqualTo(Map.of("news", 30L, "shopping", 15L));
        assertThat(b200.getTimeZone()).isEqualTo("Europe/Copenhagen");
        assertThat(b200.getUpdatedAt())
                .as("the dataset's first event time")
                .isEqualTo(Instant.parse("2023-02-02T07:20:24Z"));
        assertThat(AttentionBudget.getDecoder().decode(budgets.get(1).value()).getAlertsEnabled())
                .isFalse();

        List<ConsumerRecord<byte[], byte[]>> requests = consume(requestsTopic, 2);
        assertThat(requests).extracting(DatasetReplayITCase::key).containsExactly("100", "200");
        ErasureRequest r100 = ErasureRequest.getDecoder().decode(requests.get(0).value());
        assertThat(r100.getRequestId()).isEqualTo("erasures.csv:2:erasure");
        assertThat(r100.getRequestedAt()).isEqualTo(Instant.parse("2023-02-02T07:20:50Z"));

        // Budgets were acknowledged before the first event was sent; each request was sent after the
        // events of its time (producer timestamps, ms: ties allowed).
        List<ConsumerRecord<byte[], byte[]>> events = concat(consume(topics.get(0), 4), consume(topics.get(1), 4));
        long lastBudget =
                budgets.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        assertThat(lastBudget)
                .isLessThanOrEqualTo(events.stream()
                        .mapToLong(ConsumerRecord::timestamp)
                        .min()
                        .orElseThrow());
        long lastEventOf100 = events.stream()
                .filter(r -> key(r).equals("100"))
                .mapToLong(ConsumerRecord::timestamp)
                .max()
                .orElseThrow();
        assertThat(requests.get(0).timestamp()).isGreaterThanOrEqualTo(lastEventOf100);
    }

    // focus-blocks.csv: user 200 (deep-work one-off, evenings weekly; Europe/Copenhagen), 100 (mornings weekly)
    @Test
    void focusBlocksGoBeforeTheEventsToTheirTopicThroughTheCommand() throws Exception {
        List<String> topics = createTopics();
        String focusTopic = "focus-blocks-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(focusTopic, 1, (short) 1)))
                    .all()
                    .get();
        }
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ReplayCommand());
        cmd.setOut(new PrintWriter(out, true));
        int exit = cmd.execute(
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--topic.clickstream",
                topics.get(0),
                "--topic.dwell-time",
                topics.get(1),
                "--topic.focus-blocks",
                focusTopic,
                "--no-progress",
                "--focus-blocks",
                "csv:" + fixture("focus-blocks.csv"),
                "--max-skipped",
                "1", // row 3: not-a-time
                "--dataset",
                "ebnerd-history:" + fixture("history.csv"));

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains(
                        "focus blocks csv:" + fixture("focus-blocks.csv") + ": 2 focus-block records -> " + focusTopic,
                        ", 4 clicks -> " + topics.get(0));
        List<ConsumerRecord<byte[], byte[]>> blocks = consume(focusTopic, 2);
        assertThat(blocks).extracting(DatasetReplayITCase::key).containsExactly("200", "100");
        FocusBlocks b200 = FocusBlocks.getDecoder().decode(blocks.get(0).value());
        assertThat(b200.getBlocks()).extracting(FocusBlock::getName).containsExactly("deep-work", "evenings");
        assertThat(b200.getTimeZone()).isEqualTo("Europe/Copenhagen");
        assertThat(b200.getUpdatedAt())
                .as("the dataset's first event time")
                .isEqualTo(Instant.parse("2023-02-02T07:20:24Z"));

        long lastBlocks =
                blocks.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        long firstEvent = concat(consume(topics.get(0), 4), consume(topics.get(1), 4)).stream()
                .mapToLong(ConsumerRecord::timestamp)
                .min()
                .orElseThrow();
        assertThat(lastBlocks).isLessThanOrEqualTo(firstEvent);
    }

    @Test
    void theCatalogAloneAsJsonReadsBackThroughTheJobsDeserializer() throws Exception {
        List<String> topics = createTopics();
        String catalogTopic = createCatalogTopic();
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        ReplayResult result = DatasetReplay.replay(
                ReplayOptions.parse("--catalog", "csv:" + fixture("catalog.csv"), "--replay-format", "json"),
                producer,
                topics.get(0),
                topics.get(1),
                catalogTopic,
                false);

        assertThat(result).isEqualTo(new ReplayResult(0, 0, 0, 2, 2));
        assertThat(consume(topics.get(0), 0)).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> catalog = consume(catalogTopic, 2);
        assertThat(catalog).hasSize(2);
        JsonNode n7 = new ObjectMapper().readTree(catalog.get(1).value());
        assertThat(n7.get("item_id").asText()).isEqualTo("n7");
        assertThat(n7.get("topics").get("news.economy").asDouble()).isEqualTo(0.5);

        List<CatalogUpdate> updates = new ArrayList<>();
        CatalogDeserializer deserializer = new CatalogDeserializer();
        for (ConsumerRecord<byte[], byte[]> r : catalog) {
            deserializer.deserialize(r, new org.apache.flink.util.Collector<>() {
                @Override
                public void collect(CatalogUpdate u) {
                    updates.add(u);
                }

                @Override
                public void close() {}
            });
        }
        assertThat(updates).extracting(CatalogUpdate::getItemId).containsExactly("a1", "n7");
        assertThat(updates.get(1).getTopics()).containsExactly("news.economy", "news.politics");
        assertThat(updates.get(1).getWeights()).containsExactly(0.5, 1.0);
    }

    static List<ConsumerRecord<byte[], byte[]>> concat(
            List<ConsumerRecord<byte[], byte[]>> a, List<ConsumerRecord<byte[], byte[]>> b) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static ClickEvent decodeClick(byte[] v) {
        try {
            return ClickEvent.getDecoder().decode(v);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static DwellEvent decodeDwell(byte[] v) {
        try {
            return DwellEvent.getDecoder().decode(v);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
