package org.attentionanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.attentionanalytics.job.CliSupport;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.TopicDrain;
import org.attentionanalytics.replay.KafkaWait;
import org.attentionanalytics.testutil.FreePorts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --max-wait} through {@code bin/attention}'s entry point: {@code erase} waits for a broker
 * that starts late; {@code replay} and {@code erase} give up with one line and exit code 1 when no
 * broker comes.
 */
@Tag("slow") // about 14 s of waiting for brokers that do not answer: mvn verify -Pslow
class MaxWaitITCase {
    @TempDir
    Path dir;

    /** A port for the broker the test starts later: {@link FreePorts#belowEphemeralRange()}. */
    static int freePort() throws IOException {
        return FreePorts.belowEphemeralRange();
    }

    record Run(int exit, String out, String err) {}

    static CompletableFuture<Run> run(String... args) {
        return CompletableFuture.supplyAsync(() -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = AttentionCli.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = CliSupport.execute(cl, args);
            return new Run(code, out.toString(), err.toString());
        });
    }

    /**
     * Erase says that it waits once nothing was acknowledged for 2 s rather than 10 s ({@link
     * KafkaWait#QUIET_PROPERTY}): the same line, 8 s sooner. (The give-up test keeps the 10 s: with
     * {@code --max-wait 3 s} it must end with its one line and no waiting line before it.)
     */
    @Test
    void eraseWaitsForABrokerThatStartsLate() throws Exception {
        System.setProperty(KafkaWait.QUIET_PROPERTY, "2 s");
        try {
            eraseWaitsForABrokerThatStartsLate2sQuiet();
        } finally {
            System.clearProperty(KafkaWait.QUIET_PROPERTY);
        }
    }

    private void eraseWaitsForABrokerThatStartsLate2sQuiet() throws Exception {
        int port = freePort();
        StringWriter err = new StringWriter();
        CommandLine cl = AttentionCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> CliSupport.execute(
                cl, "erase", "--bootstrap-servers", "localhost:" + port, "--user-id", "u-late", "--max-wait", "1 min"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!err.toString().contains("waiting for Kafka at localhost:" + port + " (no answer for ")) {
            assertThat(System.nanoTime())
                    .as("the waiting line; stderr so far: " + err)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of(), port)) {
            assertThat(exit.get(60, TimeUnit.SECONDS))
                    .as("exit code; stderr: " + err)
                    .isZero();
            assertThat(err.toString())
                    .contains("Kafka at localhost:" + port + " answers again after ", "erase: request ");
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            try (Consumer<byte[], byte[]> c = TopicDrain.newConsumer(kafka.bootstrapServers(), Map.of())) {
                TopicDrain.drain(c, "privacy-requests", -1, Duration.ofSeconds(30), records::add);
            }
            assertThat(records)
                    .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactly("u-late");
        }
    }

    @Test
    void replayAndEraseGiveUpAfterMaxWaitWithOneLine() throws Exception {
        int port = freePort();
        Path csv = Files.write(
                dir.resolve("few.csv"),
                List.of(
                        "user_id,event_time",
                        "u1,2024-05-01T08:00:00Z",
                        "u2,2024-05-01T08:00:01Z",
                        "u1,2024-05-01T08:00:02Z"));
        CompletableFuture<Run> replay = run(
                "replay",
                "--bootstrap-servers",
                "localhost:" + port,
                "--no-progress",
                "--max-wait",
                "3 s",
                "--dataset",
                "csv:" + csv);
        CompletableFuture<Run> erase =
                run("erase", "--bootstrap-servers", "localhost:" + port, "--user-id", "u1", "--max-wait", "PT3S");

        Run r = replay.get(60, TimeUnit.SECONDS);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList())
                .singleElement()
                .asString()
                .matches("Error: gave up after [3-9] s: no answer from Kafka at " + "localhost:" + port
                        + " \\(--max-wait 3 s\\); 0 of 3 events acknowledged, the other 3 may be missing");
        assertThat(r.out()).isEmpty();

        Run e = erase.get(60, TimeUnit.SECONDS);
        assertThat(e.exit()).isEqualTo(1);
        assertThat(e.err().lines().toList())
                .singleElement()
                .asString()
                .matches("Error: gave up after [3-9] s: no answer from Kafka at " + "localhost:" + port
                        + " \\(--max-wait 3 s\\); the record may not have been written");
    }
}
