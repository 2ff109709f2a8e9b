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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of DESIGN.md section 10, read the way an operator (or a dashboard) reads them: over
 * the REST API of a running cluster ({@code /jobs/<jid>}, {@code /jobs/<jid>/vertices/<vid>/metrics}).
 * The unbounded job's whole graph on a MiniCluster (parallelism 2) on the fast tier ({@link
 * GraphRun}: in-memory partitions read through the job's doors), and in the clickstream topic: good
 * events, a duplicate, a bot's event and an undecodable record; one event in every other partition
 * of both topics.
 *
 * <p>Events are stamped relative to now; the latest, at T0-1m in every partition, put the
 * watermark at T0-1m30s (30 s out-of-orderness), so u1's events (T0-5m, T0-4m) are applied and
 * u1's session stays open (gap 10 min); the others wait for the watermark. The test polls the metrics until all are as
 * expected (60 s at most), prints every metric name it found, and cancels the job.
 */
class MetricsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster(fastMetricFetcher());

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The REST API caches metrics for 10 s by default ({@code metrics.fetcher.update-interval}): 200 ms here. */
    static Configuration fastMetricFetcher() {
        Configuration conf = new Configuration();
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(200));
        return conf;
    }

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path keyFile;

    @BeforeAll
    static void writeKey() throws Exception {
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, "metrics-it-key\n");
    }

    @Test
    void metricsAreReadableOverRest() throws Exception {
        JobOptions options = WatermarkTest.options("metrics", keyFile);
        options.inactivityGap = Duration.ofMinutes(10);
        // No partition goes idle during the test: every partition of both topics has an event at T0-1m.
        // (Idle event inputs let the catalog's MAX watermark through the catalog join: see the report.)
        options.idleness = Duration.ofMinutes(5);
        String d = options.dwellTopic;
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String c = options.clickstreamTopic;
        ClickEvent bot = WatermarkTest.click("b-1", "crawler", "a", t0.minus(4, ChronoUnit.MINUTES));
        bot.setUserAgent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        List<WatermarkTest.Input> in = List.of(
                WatermarkTest.record(
                        c, 0, "u1", WatermarkTest.click("u1-1", "u1", "a", t0.minus(5, ChronoUnit.MINUTES))),
                WatermarkTest.record(
                        c, 0, "u1", WatermarkTest.click("u1-2", "u1", "b", t0.minus(4, ChronoUnit.MINUTES))),
                WatermarkTest.record(
                        c, 0, "u1", WatermarkTest.click("u1-1", "u1", "a", t0.minus(5, ChronoUnit.MINUTES))),
                WatermarkTest.record(c, 0, "crawler", bot),
                new WatermarkTest.Input(c, RawRecord.bytes(0, "x", "not avro".getBytes(StandardCharsets.UTF_8))),
                WatermarkTest.record(
                        c, 0, "u2", WatermarkTest.click("u2-1", "u2", "c", t0.minus(1, ChronoUnit.MINUTES))),
                WatermarkTest.record(
                        c, 1, "u3", WatermarkTest.click("u3-1", "u3", "c", t0.minus(1, ChronoUnit.MINUTES))),
                WatermarkTest.record(
                        d, 0, "u4", WatermarkTest.dwell("u4-1", "u4", "c", 1_000, t0.minus(1, ChronoUnit.MINUTES))),
                WatermarkTest.record(
                        d, 1, "u5", WatermarkTest.dwell("u5-1", "u5", "c", 1_000, t0.minus(1, ChronoUnit.MINUTES))));

        Configuration client = FLINK.getClientConfiguration();
        URI rest = URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT));
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        try (GraphRun run = WatermarkTest.produce(options, in);
                WatermarkTest.RunningJob job = WatermarkTest.RunningJob.start(run)) {
            String jid = job.client.getJobID().toHexString();
            Metrics m = new Metrics(http, rest, jid);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            Predicate<Metrics> done = x -> x.sum(".deadLetters.UNDECODABLE") == 1
                    && x.sum(".duplicates") == 1
                    && x.sum(".bots") == 1
                    && x.sum(".eventsIn") == 7
                    && x.sum(".openSessions") >= 1
                    && lagSettled(x.max(".eventTimeLagMs"), t0)
                    && !x.named(".rocksdb_estimate-num-keys").isEmpty()
                    && x.sumSourceRecordsIn() >= 9;
            while (true) {
                job.assertAlive();
                m.read();
                if (done.test(m)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    break; // the assertions below say what is missing
                }
                Thread.sleep(500);
            }
            System.out.println("MetricsTest: metric names over REST, per vertex (subtask prefix 0. removed):");
            m.names.forEach((vertex, names) -> System.out.println("  " + vertex + ":\n    "
                    + names.stream()
                            .filter(n -> n.startsWith("0."))
                            .map(n -> n.substring(2))
                            .filter(n -> !n.contains("KafkaConsumer")
                                    && !n.contains("KafkaProducer")
                                    && !n.contains(".split.")
                                    && !n.startsWith("Shuffle")
                                    && !n.contains("PerSecond")
                                    && !n.contains("Kafka_sink")
                                    && !n.contains("numBytes")
                                    && !n.contains("timer_state")
                                    && !n.startsWith("Catalog")
                                    && !n.startsWith("Topics__"))
                            .sorted()
                            .collect(Collectors.joining("\n    "))));
            System.out.println("MetricsTest: values "
                    + m.values.entrySet().stream()
                            .filter(e -> e.getKey().contains("Per-user")
                                    || e.getKey().contains("Door__")
                                    || e.getKey().contains("numRecordsIn"))
                            .map(Object::toString)
                            .collect(Collectors.joining("\n  ", "\n  ", "")));

            assertThat(m.sum(".deadLetters.UNDECODABLE"))
                    .as("deadLetters.UNDECODABLE")
                    .isEqualTo(1);
            assertThat(m.sum(".duplicates")).as("duplicates").isEqualTo(1);
            assertThat(m.sum(".bots")).as("bots").isEqualTo(1);
            // u1 twice, u1's duplicate (dropped later, in the per-user operator), u2 to u5
            assertThat(m.sum(".eventsIn")).as("eventsIn").isEqualTo(7);
            assertThat(m.sum(".openSessions")).as("openSessions (u1)").isEqualTo(1);
            assertThat(m.sum(".sessionsStarted")).as("sessionsStarted").isEqualTo(1);
            // The watermark is at most the clock minus the out-of-orderness (30 s), and u2 holds it at T0-1m30s.
            long lag = m.max(".eventTimeLagMs");
            long sinceT0 = Duration.between(t0, Instant.now()).toMillis();
            assertThat(lag).as("eventTimeLagMs").isBetween(90_000L, 90_000L + sinceT0 + 1_000);
            assertThat(m.named(".user-state.rocksdb_estimate-num-keys"))
                    .as("RocksDB native metric")
                    .isNotEmpty();
            assertThat(m.named(".user-state.rocksdb_estimate-live-data-size")).isNotEmpty();
            assertThat(m.sumSourceRecordsIn()).as("numRecordsIn of the sources").isEqualTo(9);
        }
    }

    /** All metric values of the job's vertices, keyed by {@code <vertex name>/<subtask>.<operator>.<metric>}. */
    static final class Metrics {
        final HttpClient http;
        final URI rest;
        final String jid;
        final Map<String, List<String>> names = new LinkedHashMap<>();
        final Map<String, String> values = new TreeMap<>();

        Metrics(HttpClient http, URI rest, String jid) {
            this.http = http;
            this.rest = rest;
            this.jid = jid;
        }

        void read() throws Exception {
            names.clear();
            values.clear();
            for (JsonNode vertex : get("/jobs/" + jid).get("vertices")) {
                String path = "/jobs/" + jid + "/vertices/" + vertex.get("id").asText() + "/metrics";
                List<String> ids = new ArrayList<>();
                get(path).forEach(n -> ids.add(n.get("id").asText()));
                names.put(vertex.get("name").asText(), ids);
                List<String> wanted =
                        ids.stream().filter(id -> id.matches("\\d+\\..*")).toList();
                // The query string has a length limit: ask in batches.
                for (int i = 0; i < wanted.size(); i += 40) {
                    String get = String.join(",", wanted.subList(i, Math.min(wanted.size(), i + 40)));
                    for (JsonNode n : get(path + "?get=" + java.net.URLEncoder.encode(get, StandardCharsets.UTF_8))) {
                        values.put(
                                vertex.get("name").asText() + "/" + n.get("id").asText(),
                                n.get("value").asText());
                    }
                }
            }
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(rest.resolve(path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }

        /** @return the values of the metrics whose name ends with {@code suffix} */
        Map<String, Long> named(String suffix) {
            Map<String, Long> out = new TreeMap<>();
            values.forEach((k, v) -> {
                if (k.endsWith(suffix)) {
                    out.put(k, (long) Double.parseDouble(v));
                }
            });
            return out;
        }

        long sum(String suffix) {
            return named(suffix).values().stream().mapToLong(Long::longValue).sum();
        }

        long max(String suffix) {
            return named(suffix).values().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElse(Long.MIN_VALUE);
        }

        /** @return the sum of the source operators' {@code numRecordsIn} (named {@code Kafka source: <topic>}) */
        long sumSourceRecordsIn() {
            return values.entrySet().stream()
                    .filter(e -> e.getKey().matches("[^/]*/\\d+\\.Source__Kafka_source[^.]*\\.numRecordsIn"))
                    .mapToLong(e -> Long.parseLong(e.getValue()))
                    .sum();
        }
    }

    /**
     * Whether the gauge shows the final watermark, T0 - 1 min - 30 s out-of-orderness: between 90 s
     * and 90 s plus the time since T0 (before every partition's last event is read, a partition's
     * watermark can still be that of its first event, T0 - 5 min - 30 s).
     */
    private static boolean lagSettled(long lag, Instant t0) {
        return lag >= 90_000L
                && lag <= 90_000L + Duration.between(t0, Instant.now()).toMillis() + 1_000;
    }
}
