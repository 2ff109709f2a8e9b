package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.OutputFiles;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.PoisonPills;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four records that put the job into a restart loop (issue 13), each followed by a valid
 * event, through a real broker into the job on a MiniCluster with a restart strategy that would
 * restart it: each gives its dead letter with the right reason, the valid events their session,
 * and the job never restarts (its {@code numRestarts} metric stays 0 while it runs, the finished
 * job never was RESTARTING, and its exception history is empty). Event, control and catalog topics; Avro and JSON.
 */
class PoisonPillITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant B = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);

    static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void shareKafka() {
        kafka = SharedKafka.get();
    }

    static ClickEvent view(String id, String user, Instant at) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setEventType(EventType.VIEW)
                .setItemId("a")
                .setTopics(List.of("news"))
                .build();
    }

    @Test
    void avroPillsOnEventControlAndCatalogTopicsAreDeadLettersAndTheJobNeverRestarts() throws Exception {
        JobOptions options = TestJobs.boundedOptions(
                kafka, dir.resolve("avro"), "pill-key", SharedKafka.prefix(PoisonPillITCase.class, "avro"));
        // Raised so that the megabyte dwell event passes the size checks and reaches its own reason,
        // NEGATIVE_DWELL, whose dead letter is then too large for the dead-letter topic (the fourth pill).
        options.limitRecordBytes = 2 << 20;
        options.limitIdLength = 2 << 20;
        String c = options.clickstreamTopic;
        String d = options.dwellTopic;
        String budgets = options.budgetsTopic;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(record(c, "u1", PoisonPills.hugeTopicCount()));
        records.add(record(c, "valid", AvroRecordSerializer.encode(view("v1", "valid", B))));
        records.add(record(d, "u1", PoisonPills.bigNegativeDwell("d-big", "u1", B, 1_048_450)));
        for (int i = 0; i < 3; i++) {
            records.add(record(c, "u2", PoisonPills.bigTopicClick("big-" + i, "u2", B.plusSeconds(i), 450_000)));
        }
        records.add(record(c, "valid", AvroRecordSerializer.encode(view("v2", "valid", B.plusSeconds(60)))));
        records.add(record(budgets, "u1", PoisonPills.hugeBudgetCount("u1")));
        records.add(record(budgets, "u3", PoisonPills.budget("u3", B, Long.MAX_VALUE)));
        records.add(record(budgets, "valid", PoisonPills.budget("valid", B, 30)));
        records.add(record(options.focusBlocksTopic, "u1", PoisonPills.hugeFocusBlockCount("u1")));
        records.add(record(options.catalogTopic, "item-x", KafkaFixtures.fiveRandomBytes()));
        produce(records);

        JsonNode summary = runAndCheckNoRestart(options, dir.resolve("avro-out"));
        assertThat(summary.get("dead_letters")).isEqualTo(JSON.readTree("""
        {"UNDECODABLE": 4, "UNKNOWN_SCHEMA": 0, "MISSING_FIELD": 0, "NEGATIVE_DWELL": 1, "DWELL_TOO_LONG": 1,
         "FUTURE_TIMESTAMP": 0, "TOO_LATE": 0, "INVALID_TIME_ZONE": 0, "FIELD_TOO_LARGE": 3,
         "BEYOND_MAX_SESSION": 0, "INVALID_FOCUS_BLOCK": 0}"""));
        Map<String, List<JsonNode>> byReason = deadLetters(options, dir.resolve("avro-out"));
        assertThat(byReason.get("UNDECODABLE"))
                .extracting(n -> n.get("source_topic").asText())
                .containsExactlyInAnyOrder(c, budgets, options.focusBlocksTopic, options.catalogTopic);
        assertThat(byReason.get("UNDECODABLE"))
                .extracting(n -> n.get("detail").asText())
                .contains("block of 2147483648 items cannot fit in the 0 bytes left");
        assertThat(byReason.get("FIELD_TOO_LARGE"))
                .extracting(n -> n.get("detail").asText())
                .containsOnly("topics[0] is 450000 characters, above --limits.topic-length 256");
        JsonNode cut = byReason.get("NEGATIVE_DWELL").get(0);
        assertThat(cut.get("raw_value").isNull()).isTrue();
        assertThat(cut.get("raw_length").asInt()).isEqualTo(1_048_450);
        assertThat(cut.get("detail").asText()).startsWith("dwell_ms -5000 < 0 [raw value cut: 1048450 bytes read");
        assertThat(byReason.get("DWELL_TOO_LONG").get(0).get("detail").asText())
                .startsWith("budget for category 'news' is 9223372036854775807 minutes > 1440");
        assertValidSession(options, dir.resolve("avro-out"));
    }

    @Test
    void jsonPillsOnEventAndControlTopicsAreDeadLettersAndTheJobNeverRestarts() throws Exception {
        JobOptions options = TestJobs.boundedOptions(
                kafka, dir.resolve("json"), "pill-key", SharedKafka.prefix(PoisonPillITCase.class, "json"));
        options.inputFormat = org.attentionanalytics.io.InputFormat.JSON;
        String c = options.clickstreamTopic;
        String budgets = options.budgetsTopic;
        produce(List.of(
                record(c, "u1", PoisonPills.farFutureJsonClick("far", "u1")),
                record(c, "valid", json(view("v1", "valid", B))),
                record(c, "u1", ("[".repeat(100_000)).getBytes(StandardCharsets.UTF_8)), // deep nesting
                record(c, "valid", json(view("v2", "valid", B.plusSeconds(60)))),
                record(budgets, "u1", PoisonPills.farFutureJsonBudget("u1")),
                record(
                        budgets,
                        "valid",
                        ("{\"user_id\": \"valid\", \"budgets\": {\"news\": 30}, \"updated_at\": \"" + B + "\"}")
                                .getBytes(StandardCharsets.UTF_8))));

        JsonNode summary = runAndCheckNoRestart(options, dir.resolve("json-out"));
        assertThat(summary.get("dead_letters").get("UNDECODABLE").asInt()).isEqualTo(3);
        assertThat(summary.get("records").get(options.dlqTopic).asInt()).isEqualTo(3);
        Map<String, List<JsonNode>> byReason = deadLetters(options, dir.resolve("json-out"));
        assertThat(byReason.get("UNDECODABLE"))
                .extracting(n -> n.get("detail").asText())
                .containsExactlyInAnyOrder(
                        "event_time lies outside the range of timestamp-millis (years -292,275,055 to 292,278,994)",
                        "updated_at lies outside the range of timestamp-millis (years -292,275,055 to 292,278,994)",
                        "StreamConstraintsException (message left out: dlq.redact)");
        assertValidSession(options, dir.resolve("json-out"));
    }

    /**
     * Malformed Snowplow enriched lines ({@code --snowplow}) among valid ones: a line of 130 fields,
     * one whose {@code derived_tstamp} is no timestamp, one whose {@code contexts} is broken JSON, a
     * {@code page_view} without a {@code web_page} context, and no value at all. Each is a dead
     * letter whose detail says what is wrong, and the job never restarts; the valid user's two page
     * views make one CLOSED session of two events.
     */
    @Test
    void snowplowPillsAreDeadLettersAndTheJobNeverRestarts() throws Exception {
        JobOptions options = TestJobs.boundedOptions(
                kafka, dir.resolve("snowplow"), "pill-key", SharedKafka.prefix(PoisonPillITCase.class, "snowplow"));
        options.snowplow = true;
        options.snowplowTopic = options.clickstreamTopic.replace("clickstream", "snowplow-enriched");
        String sp = options.snowplowTopic;
        String valid = snowplowView("v1", B).text();
        produce(List.of(
                record(sp, "k", snowplowView("v1", B).bytes()),
                record(sp, "k", valid.substring(0, valid.lastIndexOf('\t')).getBytes(StandardCharsets.UTF_8)),
                record(
                        sp,
                        "k",
                        snowplowView("bad-time", B)
                                .set("derived_tstamp", "yesterday")
                                .bytes()),
                record(
                        sp,
                        "k",
                        snowplowView("bad-json", B)
                                .set("contexts", "{\"schema\": ")
                                .bytes()),
                record(sp, "k", snowplowView("no-page", B).set("contexts", "").bytes()),
                new ProducerRecord<>(sp, "k".getBytes(StandardCharsets.UTF_8), null),
                record(sp, "k", snowplowView("v2", B.plusSeconds(60)).bytes())));

        JsonNode summary = runAndCheckNoRestart(options, dir.resolve("snowplow-out"));
        assertThat(summary.get("records").get(options.dlqTopic).asInt()).isEqualTo(5);
        Map<String, List<JsonNode>> byReason = deadLetters(options, dir.resolve("snowplow-out"));
        assertThat(byReason.get("UNDECODABLE"))
                .extracting(n -> n.get("detail").asText())
                .containsExactlyInAnyOrder(
                        "expected 131 tab-separated fields of a Snowplow enriched event, got 130",
                        "derived_tstamp is not a timestamp yyyy-MM-dd HH:mm:ss.SSS",
                        "contexts is not valid JSON",
                        "no value");
        assertThat(byReason.get("MISSING_FIELD"))
                .extracting(n -> n.get("detail").asText())
                .containsExactly("web_page context id is missing from contexts");
        List<String> lines = Files.readAllLines(dir.resolve("snowplow-out").resolve(options.sessionsTopic + ".jsonl"));
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.get("status").asText()).isEqualTo("CLOSED");
        assertThat(last.get("event_count").asInt()).isEqualTo(2);
        assertThat(last.get("views").asInt()).isEqualTo(2);
    }

    /** A valid Snowplow page_view of the user {@code duid-valid} at {@code at}, page view id {@code pv-<id>}. */
    private static org.attentionanalytics.testutil.SnowplowLines snowplowView(String id, Instant at) {
        return org.attentionanalytics.testutil.SnowplowLines.line()
                .set("event", "page_view")
                .set("event_id", id)
                .set("collector_tstamp", at)
                .set("derived_tstamp", at)
                .set("dvce_created_tstamp", at)
                .set("domain_userid", "duid-valid")
                .set("domain_sessionid", "s-valid")
                .set("page_urlpath", "/news/" + id)
                .webPage("pv-" + id);
    }

    /** The valid user's two views: one CLOSED session of two events. */
    private static void assertValidSession(JobOptions options, Path out) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve(options.sessionsTopic + ".jsonl"));
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.get("status").asText()).isEqualTo("CLOSED");
        assertThat(last.get("event_count").asInt()).isEqualTo(2);
        assertThat(last.get("start").asText()).isEqualTo(B.toString().replace("Z", ".000Z"));
        assertThat(Files.readAllLines(out.resolve(options.interestVectorsTopic + ".jsonl")))
                .isNotEmpty();
    }

    /**
     * Runs the bounded job with a restart strategy that would restart it (so a failing record would
     * show as a restart, not only as a failed job), polls {@code numRestarts} while it runs, writes
     * the output files to {@code out} and returns {@code summary.json}.
     */
    private static JsonNode runAndCheckNoRestart(JobOptions options, Path out) throws Exception {
        Configuration conf = JobConfiguration.of(options);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        JobClient job = TestJobs.graph(conf, options, UnaryOperator.identity()).executeAsync(options.jobName);
        Configuration client = FLINK.getClientConfiguration();
        URI rest = URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT));
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String jid = job.getJobID().toHexString();
        long maxRestarts = 0;
        int reads = 0;
        while (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
            JsonNode m = get(http, rest, "/jobs/" + jid + "/metrics?get=numRestarts");
            for (JsonNode n : m) {
                maxRestarts = Math.max(maxRestarts, n.get("value").asLong());
                reads++;
            }
            Thread.sleep(50);
        }
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS); // throws the cause of a failed job
        JsonNode finished = get(http, rest, "/jobs/" + jid);
        System.out.printf(
                "PoisonPillITCase: numRestarts read %d times, at most %d; RESTARTING timestamp %s%n",
                reads, maxRestarts, finished.get("timestamps").get("RESTARTING"));
        // numRestarts exists only while the job runs (a short run may end before the metric store has
        // it); the finished job's timestamps and exception history tell the same for the whole run.
        assertThat(maxRestarts).as("numRestarts").isZero();
        assertThat(finished.get("timestamps").get("RESTARTING").asLong())
                .as("the job was never RESTARTING")
                .isZero();
        assertThat(get(http, rest, "/jobs/" + jid + "/exceptions")
                        .get("exceptionHistory")
                        .get("entries"))
                .as("no task failed")
                .isEmpty();
        OutputFiles.write(options, out, 0, 0, 0);
        return JSON.readTree(out.resolve(OutputFiles.SUMMARY_FILE).toFile());
    }

    private static Map<String, List<JsonNode>> deadLetters(JobOptions options, Path out) throws Exception {
        Map<String, List<JsonNode>> byReason = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve(options.dlqTopic + ".jsonl"))) {
            JsonNode n = JSON.readTree(line);
            byReason.computeIfAbsent(n.get("reason").asText(), r -> new ArrayList<>())
                    .add(n);
        }
        return byReason;
    }

    private static JsonNode get(HttpClient http, URI rest, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(rest.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static byte[] json(ClickEvent e) {
        return ("{\"event_id\": \"" + e.getEventId() + "\", \"user_id\": \"" + e.getUserId() + "\", \"event_time\": \""
                        + e.getEventTime()
                        + "\", \"event_type\": \"VIEW\", \"item_id\": \"a\", \"topics\": [\"news\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Produces in order, with a request size that lets the megabyte record through. */
    private static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
