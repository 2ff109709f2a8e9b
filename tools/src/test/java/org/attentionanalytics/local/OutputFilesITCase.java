package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.TopicWeight;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.testutil.SharedKafka;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Output files and the consume command against a real broker: committed records in partition then
 * offset order, tombstones, an aborted transaction that must not appear, empty topics, and the
 * summary. Expected lines are written out by hand.
 */
class OutputFilesITCase {
    private static final Instant T0 = Instant.parse("2023-02-02T07:20:24Z");

    private static EmbeddedKafka kafka;
    private static JobOptions options;

    // partition 0 of sessions: u2 OPEN (txn 1), then an aborted u3 (txn 2), then u2 CLOSED (txn 3)
    private static final String U2_OPEN = "{\"_key\":\"u2\",\"session_id\":\"s-u2\",\"user\":\"u2\","
            + "\"start\":\"2023-02-02T07:20:24.000Z\",\"end\":\"2023-02-02T07:21:24.000Z\",\"duration_ms\":60000,"
            + "\"event_count\":2,\"views\":1,\"clicks\":0,\"engaged_ms\":5000,\"distinct_items\":1,"
            + "\"top_topics\":[\"news\"],\"topic_switches\":0,\"bounce\":true,\"engaged\":false,"
            + "\"engaged_inferred\":false,\"status\":\"OPEN\"}";
    private static final String U2_CLOSED = "{\"_key\":\"u2\",\"session_id\":\"s-u2\",\"user\":\"u2\","
            + "\"start\":\"2023-02-02T07:20:24.000Z\",\"end\":\"2023-02-02T07:21:24.000Z\",\"duration_ms\":60000,"
            + "\"event_count\":2,\"views\":1,\"clicks\":0,\"engaged_ms\":5000,\"distinct_items\":1,"
            + "\"top_topics\":[\"news\"],\"topic_switches\":0,\"bounce\":true,\"engaged\":false,"
            + "\"engaged_inferred\":false,\"status\":\"CLOSED\"}";
    // partition 1 of sessions
    private static final String U1_SUPERSEDED = "{\"_key\":\"u1\",\"session_id\":\"s-u1\",\"user\":\"u1\","
            + "\"start\":\"2023-02-02T07:20:24.000Z\",\"end\":\"2023-02-02T07:21:24.000Z\",\"duration_ms\":60000,"
            + "\"event_count\":2,\"views\":1,\"clicks\":0,\"engaged_ms\":5000,\"distinct_items\":1,"
            + "\"top_topics\":[\"news\"],\"topic_switches\":0,\"bounce\":true,\"engaged\":false,"
            + "\"engaged_inferred\":false,\"status\":\"SUPERSEDED\"}";

    // partition 0 of page views: u1 OPEN (txn 1), an aborted u3 (txn 2), u1 CLOSED (txn 3); partition 1: u2 (txn 3)
    private static final String PV_U1_OPEN = "{\"_key\":\"u1\",\"view_id\":\"pv-u1\",\"session_id\":\"s-u1\","
            + "\"user\":\"u1\",\"item_id\":\"i1\",\"topics\":[\"news\"],\"start\":\"2023-02-02T07:20:24.000Z\","
            + "\"last_activity\":\"2023-02-02T07:20:49.000Z\",\"engaged_ms\":25000,\"absolute_ms\":25000,"
            + "\"max_scroll_pct\":60,\"status\":\"OPEN\"}";
    private static final String PV_U1_CLOSED = PV_U1_OPEN.replace("\"OPEN\"", "\"CLOSED\"");
    private static final String PV_U2_SUPERSEDED = "{\"_key\":\"u2\",\"view_id\":\"pv-u2\",\"session_id\":\"s-u2\","
            + "\"user\":\"u2\",\"item_id\":null,\"topics\":[],\"start\":\"2023-02-02T07:20:24.000Z\","
            + "\"last_activity\":\"2023-02-02T07:20:24.000Z\",\"engaged_ms\":0,\"absolute_ms\":0,"
            + "\"max_scroll_pct\":null,\"status\":\"SUPERSEDED\"}";

    private static final String VECTOR_U1 = "{\"_key\":\"u1\",\"user\":\"u1\",\"as_of\":\"2023-02-02T07:21:24.000Z\","
            + "\"top\":[{\"topic\":\"news\",\"weight\":1.0}],\"norm\":2.5,\"events_counted\":2}";
    private static final String TOMBSTONE_U1 = "{\"_key\":\"u1\",\"_tombstone\":true}";
    private static final String RECS_U1 = "{\"_key\":\"u1\",\"user\":\"u1\",\"as_of\":\"2023-02-02T07:21:24.000Z\","
            + "\"mode\":\"NORMAL\",\"items\":[{\"item_id\":\"i2\",\"score\":0.75,\"reason\":\"SIMILAR_TO_RECENT\"},"
            + "{\"item_id\":\"i3\",\"score\":4.0,\"reason\":\"POPULAR\"}]}";

    private static final String DLQ_TOO_LATE_1 = "{\"_key\":\"u1\",\"source_topic\":\"clickstream\",\"partition\":0,"
            + "\"offset\":10,\"reason\":\"TOO_LATE\",\"detail\":\"late\",\"raw_value\":\"AQI=\",\"raw_sha256\":\"00ff\","
            + "\"raw_length\":2,\"observed_at\":\"2023-02-02T07:20:24.000Z\"}";
    private static final String DLQ_TOO_LATE_2 = "{\"_key\":\"u2\",\"source_topic\":\"clickstream\",\"partition\":0,"
            + "\"offset\":11,\"reason\":\"TOO_LATE\",\"detail\":\"late\",\"raw_value\":\"AQI=\",\"raw_sha256\":\"00ff\","
            + "\"raw_length\":2,\"observed_at\":\"2023-02-02T07:20:24.000Z\"}";
    private static final String DLQ_UNDECODABLE = "{\"_key\":null,\"source_topic\":\"dwell-time\",\"partition\":1,"
            + "\"offset\":3,\"reason\":\"UNDECODABLE\",\"detail\":\"bad header\",\"raw_value\":null,\"raw_sha256\":\"00ff\","
            + "\"raw_length\":7,\"observed_at\":\"2023-02-02T07:20:24.000Z\"}";

    @BeforeAll
    static void startAndProduce() throws Exception {
        kafka = SharedKafka.get(); // the of-* topics are this class's own
        options = new JobOptions();
        new CommandLine(options)
                .parseArgs(
                        "--bootstrap-servers=" + kafka.bootstrapServers(),
                        "--topic.sessions=of-sessions",
                        "--topic.page-views=of-page-views",
                        "--topic.interest-vectors=of-vectors",
                        "--topic.interest-vectors-live=of-live",
                        "--topic.recommendations=of-recs",
                        "--topic.recommendations-live=of-recs-live",
                        "--topic.alerts=of-alerts",
                        "--topic.reports=of-reports",
                        "--topic.focus-block-reports=of-focus-reports",
                        "--topic.focus-blocks=of-focus-blocks",
                        "--topic.trends=of-trends",
                        "--topic.privacy-audit=of-audit",
                        "--topic.dlq=of-dlq",
                        "--topic.clickstream=of-clickstream",
                        "--topic.dwell-time=of-dwell-time",
                        "--topic.catalog=of-catalog",
                        "--topic.budgets=of-budgets",
                        "--topic.privacy-requests=of-privacy-requests");
        try (Admin admin = kafka.admin()) {
            Topics.createAll(admin, options, 2);
        }

        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "output-files-test");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();

            producer.beginTransaction();
            send(producer, "of-sessions", 1, "u1", session("u1", SessionStatus.SUPERSEDED));
            send(producer, "of-sessions", 0, "u2", session("u2", SessionStatus.OPEN));
            send(producer, "of-page-views", 0, "u1", pageView("u1", "i1", SessionStatus.OPEN));
            send(
                    producer,
                    "of-vectors",
                    0,
                    "u1",
                    InterestVector.newBuilder()
                            .setUser("u1")
                            .setAsOf(T0.plusSeconds(60))
                            .setTop(List.of(new TopicWeight("news", 1.0)))
                            .setNorm(2.5)
                            .setEventsCounted(2)
                            .build());
            send(producer, "of-vectors", 0, "u1", null);
            send(
                    producer,
                    "of-recs",
                    1,
                    "u1",
                    Recommendation.newBuilder()
                            .setUser("u1")
                            .setAsOf(T0.plusSeconds(60))
                            .setMode(RecommendationMode.NORMAL)
                            .setItems(List.of(
                                    new RecommendedItem("i2", 0.75, RecommendationReason.SIMILAR_TO_RECENT),
                                    new RecommendedItem("i3", 4.0, RecommendationReason.POPULAR)))
                            .build());
            send(producer, "of-recs", 1, "u1", null);
            send(
                    producer,
                    "of-dlq",
                    1,
                    null,
                    deadLetter("dwell-time", 1, 3, DeadLetterReason.UNDECODABLE, "bad header", null, 7));
            send(
                    producer,
                    "of-dlq",
                    0,
                    "u1",
                    deadLetter("clickstream", 0, 10, DeadLetterReason.TOO_LATE, "late", new byte[] {1, 2}, 2));
            producer.commitTransaction();

            producer.beginTransaction();
            send(producer, "of-sessions", 0, "u3", session("u3", SessionStatus.OPEN));
            send(producer, "of-page-views", 0, "u3", pageView("u3", "i3", SessionStatus.OPEN));
            send(
                    producer,
                    "of-dlq",
                    0,
                    "u3",
                    deadLetter("clickstream", 0, 99, DeadLetterReason.MISSING_FIELD, "aborted", null, 1));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            send(producer, "of-sessions", 0, "u2", session("u2", SessionStatus.CLOSED));
            send(producer, "of-page-views", 0, "u1", pageView("u1", "i1", SessionStatus.CLOSED));
            send(producer, "of-page-views", 1, "u2", pageView("u2", null, SessionStatus.SUPERSEDED));
            send(
                    producer,
                    "of-dlq",
                    0,
                    "u2",
                    deadLetter("clickstream", 0, 11, DeadLetterReason.TOO_LATE, "late", new byte[] {1, 2}, 2));
            producer.commitTransaction();
        }
    }

    @Test
    void writesEveryOutputTopicInPartitionThenOffsetOrderAndTheSummary(@TempDir Path dir) throws Exception {
        RunSummary summary = OutputFiles.write(options, dir.resolve("out"), 7, 2, 3);
        Path out = dir.resolve("out");

        assertThat(Files.readAllLines(out.resolve("of-sessions.jsonl")))
                .containsExactly(U2_OPEN, U2_CLOSED, U1_SUPERSEDED);
        assertThat(Files.readAllLines(out.resolve("of-page-views.jsonl")))
                .containsExactly(PV_U1_OPEN, PV_U1_CLOSED, PV_U2_SUPERSEDED);
        assertThat(Files.readAllLines(out.resolve("of-vectors.jsonl"))).containsExactly(VECTOR_U1, TOMBSTONE_U1);
        assertThat(Files.readAllLines(out.resolve("of-recs.jsonl"))).containsExactly(RECS_U1, TOMBSTONE_U1);
        assertThat(Files.readAllLines(out.resolve("of-dlq.jsonl")))
                .containsExactly(DLQ_TOO_LATE_1, DLQ_TOO_LATE_2, DLQ_UNDECODABLE);
        for (String empty : List.of(
                "of-live", "of-recs-live", "of-alerts", "of-reports", "of-focus-reports", "of-trends", "of-audit")) {
            assertThat(out.resolve(empty + ".jsonl")).exists().isEmptyFile();
        }
        assertThat(Files.readString(out.resolve("of-sessions.jsonl"))).endsWith("\n");

        String expectedSummary = """
        {
          "records": {
            "of-sessions": 3,
            "of-page-views": 3,
            "of-vectors": 2,
            "of-live": 0,
            "of-recs": 2,
            "of-recs-live": 0,
            "of-alerts": 0,
            "of-reports": 0,
            "of-focus-reports": 0,
            "of-trends": 0,
            "of-audit": 0,
            "of-dlq": 3
          },
          "dead_letters": {
            "UNDECODABLE": 1,
            "UNKNOWN_SCHEMA": 0,
            "MISSING_FIELD": 0,
            "NEGATIVE_DWELL": 0,
            "DWELL_TOO_LONG": 0,
            "FUTURE_TIMESTAMP": 0,
            "TOO_LATE": 2,
            "INVALID_TIME_ZONE": 0,
            "FIELD_TOO_LARGE": 0,
            "BEYOND_MAX_SESSION": 0,
            "INVALID_FOCUS_BLOCK": 0
          },
          "duplicates": 7,
          "duplicate_views": 2,
          "bots": 3
        }
        """;
        assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(expectedSummary);
        assertThat(summary.toJson()).isEqualTo(expectedSummary);
    }

    @Test
    void consumePrintsTheSameLinesFindingTheTypeByFingerprint() {
        Run run = consume("--topic", "of-sessions");
        assertThat(run.exitCode).isZero();
        assertThat(run.out.lines()).containsExactly(U2_OPEN, U2_CLOSED, U1_SUPERSEDED);
        assertThat(run.err).isEqualTo("3 records\n");

        Run dlq = consume("--topic", "of-dlq", "--max-records", "2", "--kafka.client.id=consume-test");
        assertThat(dlq.out.lines()).containsExactly(DLQ_TOO_LATE_1, DLQ_TOO_LATE_2);

        assertThat(consume("--topic", "of-page-views").out.lines())
                .containsExactly(PV_U1_OPEN, PV_U1_CLOSED, PV_U2_SUPERSEDED);

        assertThat(consume("--topic", "of-vectors", "--type", "InterestVector")
                        .out
                        .lines())
                .containsExactly(VECTOR_U1, TOMBSTONE_U1);
        assertThat(consume("--topic", "of-recs").out.lines()).containsExactly(RECS_U1, TOMBSTONE_U1);
    }

    @Test
    void consumeReportsWrongTypesUnknownTopicsAndBadArguments() {
        Run wrongType = consume("--topic", "of-sessions", "--type", "DeadLetter");
        assertThat(wrongType.exitCode).isZero();
        assertThat(wrongType.out).isEmpty();
        assertThat(wrongType.err.lines()).hasSize(4).last().isEqualTo("0 records, 3 skipped");
        assertThat(wrongType.err.lines().limit(3)).allSatisfy(l -> assertThat(l).startsWith("skipping of-sessions-"));

        Run missing = consume("--topic", "no-such-topic");
        assertThat(missing.exitCode).isEqualTo(1);
        assertThat(missing.err).contains("topic no-such-topic does not exist");

        assertThat(consume("--topic", "of-sessions", "--bogus").exitCode).isEqualTo(2);
        assertThat(consume("--topic", "of-sessions", "--type", "Nope").exitCode).isEqualTo(2);
    }

    /** An empty topic: nothing on stdout, and stderr says that it was read and had no records. */
    @Test
    void consumeOfAnEmptyTopicSaysZeroRecords() {
        Run empty = consume("--topic", "of-alerts");
        assertThat(empty.exitCode).isZero();
        assertThat(empty.out).isEmpty();
        assertThat(empty.err).isEqualTo("0 records\n");

        Run one = consume("--topic", "of-dlq", "--max-records", "1");
        assertThat(one.out.lines()).containsExactly(DLQ_TOO_LATE_1);
        assertThat(one.err).isEqualTo("1 record\n");
    }

    record Run(int exitCode, String out, String err) {}

    static Run consume(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-servers";
        all[1] = kafka.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = org.attentionanalytics.job.CliSupport.execute(
                new CommandLine(new ConsumeCommand())
                        .setOut(new PrintWriter(out))
                        .setErr(new PrintWriter(err)),
                all);
        return new Run(code, out.toString(), err.toString());
    }

    static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, int partition, String key, SpecificRecordBase value)
            throws Exception {
        producer.send(new ProducerRecord<>(
                        topic,
                        partition,
                        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                        value == null ? null : encode(value)))
                .get();
    }

    static byte[] encode(SpecificRecordBase value) throws Exception {
        ByteBuffer buffer =
                new BinaryMessageEncoder<SpecificRecordBase>(value.getSpecificData(), value.getSchema()).encode(value);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** u1's view (25 s engaged, scrolled to 60 %), else a view without item, topics or activity after its start. */
    static PageView pageView(String user, String item, SessionStatus status) {
        boolean read = item != null;
        return PageView.newBuilder()
                .setViewId("pv-" + user)
                .setSessionId("s-" + user)
                .setUser(user)
                .setItemId(item)
                .setTopics(read ? List.of("news") : List.of())
                .setStart(T0)
                .setLastActivity(read ? T0.plusSeconds(25) : T0)
                .setEngagedMs(read ? 25_000 : 0)
                .setAbsoluteMs(read ? 25_000 : 0)
                .setMaxScrollPct(read ? 60 : null)
                .setStatus(status)
                .build();
    }

    static SessionSummary session(String user, SessionStatus status) {
        return SessionSummary.newBuilder()
                .setSessionId("s-" + user)
                .setUser(user)
                .setStart(T0)
                .setEnd(T0.plusSeconds(60))
                .setDurationMs(60_000)
                .setEventCount(2)
                .setViews(1)
                .setClicks(0)
                .setEngagedMs(5000)
                .setDistinctItems(1)
                .setTopTopics(List.of("news"))
                .setTopicSwitches(0)
                .setBounce(true)
                .setEngaged(false)
                .setEngagedInferred(false)
                .setStatus(status)
                .build();
    }

    static DeadLetter deadLetter(
            String source, int partition, long offset, DeadLetterReason reason, String detail, byte[] raw, int length) {
        return DeadLetter.newBuilder()
                .setSourceTopic(source)
                .setPartition(partition)
                .setOffset(offset)
                .setReason(reason)
                .setDetail(detail)
                .setRawValue(raw == null ? null : ByteBuffer.wrap(raw))
                .setRawSha256("00ff")
                .setRawLength(length)
                .setObservedAt(T0)
                .build();
    }
}
