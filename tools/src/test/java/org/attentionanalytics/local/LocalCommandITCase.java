package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.replay.ReplayResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bounded local run end to end with a stand-in dataset publisher (writes one session and one
 * dead letter straight to the output topics) and a stand-in graph (counts duplicates and bots):
 * broker, topics, key file, MiniCluster with web UI, accumulators, output files, exit code.
 */
class LocalCommandITCase {
    @TempDir
    Path dir;

    @Test
    void boundedRunReplaysThenRunsTheJobThenWritesTheOutputFiles() throws Exception {
        List<String> calls = new ArrayList<>();
        DatasetPublisher publisher = (replay, props, options, progress) -> {
            calls.add(replay.dataset + " speedup=" + replay.speedup);
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(
                                options.sessionsTopic,
                                0,
                                bytes("u1"),
                                OutputFilesITCase.encode(OutputFilesITCase.session("u1", SessionStatus.CLOSED))))
                        .get();
                producer.send(new ProducerRecord<>(
                                options.dlqTopic,
                                1,
                                null,
                                OutputFilesITCase.encode(OutputFilesITCase.deadLetter(
                                        "clickstream", 0, 10, DeadLetterReason.TOO_LATE, "late", null, 2))))
                        .get();
            }
            return new ReplayResult(3, 2, 1);
        };
        BiConsumer<StreamExecutionEnvironment, JobOptions> workflow = (env, options) -> {
            calls.add("workflow bounded=" + options.bounded + " parallelism=" + options.parallelism);
            env.fromData(1, 2, 3).map(new CountingMap()).sinkTo(new DiscardingSink<>());
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dataset =
                Files.writeString(dir.resolve("data.csv"), "user_id,event_time\n"); // the fake publisher ignores it
        Path outputDir = dir.resolve("out");
        Path stateDir = dir.resolve("state");

        int code = new CommandLine(new LocalCommand(
                        publisher,
                        () -> {
                            throw new AssertionError("no demo traffic in a dataset run");
                        },
                        workflow))
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(
                        "--dataset",
                        "csv:" + dataset,
                        "--bounded",
                        "--output-dir",
                        outputDir.toString(),
                        "--state-dir",
                        stateDir.toString(),
                        "--web-port",
                        "0",
                        "--partitions",
                        "2");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(calls).containsExactly("csv:" + dataset + " speedup=0.0", "workflow bounded=true parallelism=2");
        assertThat(Files.readAllLines(outputDir.resolve("attention-sessions.jsonl")))
                .hasSize(1)
                .allSatisfy(l -> assertThat(l).startsWith("{\"_key\":\"u1\",\"session_id\":\"s-u1\""));
        assertThat(outputDir.resolve("topic-trends.jsonl")).isEmptyFile();
        String summary = Files.readString(outputDir.resolve("summary.json"));
        assertThat(summary)
                .contains(
                        "\"attention-sessions\": 1",
                        "\"attention-dlq\": 1",
                        "\"TOO_LATE\": 1",
                        "\"duplicates\": 3",
                        "\"duplicate_views\": 3",
                        "\"bots\": 6");
        assertThat(stateDir.resolve("pseudonym.key")).exists();
        assertThat(out.toString())
                .contains(
                        "Kafka bootstrap servers: localhost:",
                        "Flink web UI:            http://localhost:0",
                        "pseudonym.key (generated now",
                        "Output topics:           attention-sessions, attention-page-views, interest-vectors",
                        "Replayed 3 clicks and 2 dwell events (1 rows skipped: invalid 1)",
                        "dead letters  TOO_LATE")
                .doesNotContain(
                        Files.readString(stateDir.resolve("pseudonym.key")).trim());
    }

    @Test
    void aSnowplowDatasetTurnsTheSnowplowSourceOnAndCreatesItsTopic() throws Exception {
        List<String> calls = new ArrayList<>();
        DatasetPublisher publisher = (replay, props, options, progress) -> {
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
                calls.add("publish snowplow=" + options.snowplow + " topic exists="
                        + admin.listTopics().names().get().contains(options.snowplowTopic));
            }
            return new ReplayResult(0, 0, 0, 0, 0, 0, 0, 4, java.util.Map.of(), 4);
        };
        BiConsumer<StreamExecutionEnvironment, JobOptions> workflow = (env, options) -> {
            calls.add("workflow snowplow=" + options.snowplow);
            env.fromData(1).map(new CountingMap()).sinkTo(new DiscardingSink<>());
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dataset = Files.writeString(dir.resolve("enriched.tsv"), "a\tb\n"); // the fake publisher ignores it

        int code = new CommandLine(new LocalCommand(
                        publisher,
                        () -> {
                            throw new AssertionError("no demo traffic in a dataset run");
                        },
                        workflow))
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(
                        "--dataset",
                        "snowplow:" + dataset,
                        "--bounded",
                        "--output-dir",
                        dir.resolve("sp-out").toString(),
                        "--state-dir",
                        dir.resolve("sp-state").toString(),
                        "--web-port",
                        "0",
                        "--partitions",
                        "1");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(calls).containsExactly("publish snowplow=true topic exists=true", "workflow snowplow=true");
        assertThat(out.toString()).contains("Replayed 4 Snowplow events (0 rows skipped)");
        assertThat(Files.readString(dir.resolve("sp-out").resolve("summary.json")))
                .contains("\"snowplow_events\": 4");
    }

    @Test
    void withoutDatasetStartsTheDemoTrafficAndPrintsTheStatusUntilTheJobEnds() {
        List<String> calls = new ArrayList<>();
        TrafficSource traffic = new TrafficSource() {
            @Override
            public void start(String bootstrapServers, JobOptions options, int users, double eventsPerSecond) {
                calls.add("start " + bootstrapServers.startsWith("localhost:") + " " + users + " " + eventsPerSecond);
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        // a job that ends by itself after about 3 s, so the status loop prints and then sees FINISHED
        BiConsumer<StreamExecutionEnvironment, JobOptions> workflow = (env, options) ->
                env.fromData(1).map(new CountingMap().sleepingMillis(3000)).sinkTo(new DiscardingSink<>());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = new CommandLine(new LocalCommand(
                        (replay, props, options, progress) -> {
                            throw new AssertionError("no dataset in a demo run");
                        },
                        () -> traffic,
                        workflow))
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(
                        "--state-dir",
                        dir.resolve("state").toString(),
                        "--web-port",
                        "0",
                        "--demo-users",
                        "10",
                        "--demo-rate",
                        "5");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(calls).containsExactly("start true 10 5.0", "close");
        assertThat(out.toString())
                .contains(
                        "Demo traffic: 10 users",
                        "Press Ctrl-C to stop.",
                        "events 0/s (0 total) | sessions 0 open, 0 closed",
                        "The job finished.");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds 1 duplicate, 1 duplicate view and 2 bots per element, like the job's counters. */
    static final class CountingMap extends RichMapFunction<Integer, Integer> {
        private long sleepMillis;
        private transient LongCounter duplicates;
        private transient LongCounter duplicateViews;
        private transient LongCounter bots;

        @Override
        public void open(OpenContext context) {
            duplicates = new LongCounter();
            duplicateViews = new LongCounter();
            bots = new LongCounter();
            getRuntimeContext().addAccumulator(PipelineCounters.DUPLICATES, duplicates);
            getRuntimeContext().addAccumulator(PipelineCounters.DUPLICATE_VIEWS, duplicateViews);
            getRuntimeContext().addAccumulator(PipelineCounters.BOTS, bots);
        }

        CountingMap sleepingMillis(long millis) {
            sleepMillis = millis;
            return this;
        }

        @Override
        public Integer map(Integer value) throws InterruptedException {
            Thread.sleep(sleepMillis);
            duplicates.add(1);
            duplicateViews.add(1);
            bots.add(2);
            return value;
        }
    }
}
