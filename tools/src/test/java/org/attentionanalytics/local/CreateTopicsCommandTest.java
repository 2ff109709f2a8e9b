package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.attentionanalytics.cli.AttentionCli;
import org.attentionanalytics.job.CliSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of {@code create-topics}: only those it reads; creating topics is in {@link EmbeddedKafkaITCase}. */
class CreateTopicsCommandTest {
    @Test
    void helpListsOnlyTheOptionsCreateTopicsReads() {
        String help =
                AttentionCli.commandLine().getSubcommands().get("create-topics").getUsageMessage();
        assertThat(help)
                .contains(
                        "--bootstrap-servers",
                        "--partitions",
                        "--config=FILE",
                        "--state-ttl",
                        "--kafka.<property>=<value>",
                        "--topic.clickstream",
                        "--topic.dwell-time",
                        "--topic.privacy-requests",
                        "--topic.budgets",
                        "--topic.catalog",
                        "--topic.sessions",
                        "--topic.page-views",
                        "--topic.interest-vectors",
                        "--topic.interest-vectors-live",
                        "--topic.recommendations-live",
                        "--topic.alerts",
                        "--topic.reports",
                        "--topic.focus-blocks",
                        "--topic.focus-block-reports",
                        "--topic.trends",
                        "--topic.privacy-audit",
                        "--topic.dlq",
                        "--snowplow",
                        "--topic.snowplow",
                        "--schema-registry-url",
                        "--schema-registry-property");
        assertThat(help)
                .doesNotContain(
                        "--inactivity-gap", "--topic-depth", "--checkpoint-interval", "--group-id", "--limits.");
        assertThat(help.lines().filter(l -> l.stripLeading().startsWith("-"))).hasSize(28); // 26 options, help, version
    }

    @Test
    void topicNamesRetentionAndPartitionsReachTheTopics() {
        CreateTopicsCommand command = new CreateTopicsCommand();
        new CommandLine(command)
                .parseArgs(
                        "--topic.sessions",
                        "my-sessions",
                        "--topic.focus-block-reports",
                        "my-focus-reports",
                        "--state-ttl",
                        "2 d",
                        "--partitions",
                        "3",
                        "--bootstrap-servers",
                        "kafka:9092");
        assertThat(command.options.bootstrapServers).isEqualTo("kafka:9092");
        Map<String, NewTopic> topics = new java.util.HashMap<>();
        Topics.all(command.options, command.partitions).forEach(t -> topics.put(t.name(), t));
        assertThat(topics)
                .containsKeys("my-sessions", "clickstream", "interest-vectors", "attention-dlq")
                .doesNotContainKey("attention-sessions");
        assertThat(topics.get("my-sessions").numPartitions()).isEqualTo(3);
        assertThat(topics.get("my-sessions").configs()).containsEntry("retention.ms", "172800000");
        assertThat(topics.get("interest-vectors").configs()).containsEntry("retention.ms", "172800000");
        assertThat(topics.get("attention-page-views").configs()).containsEntry("retention.ms", "172800000");
        assertThat(topics.get("my-focus-reports").configs()).containsEntry("retention.ms", "172800000");
        assertThat(topics.get("focus-blocks").configs()).isEmpty();
        assertThat(command.options.inactivityGap)
                .as("the job's other options keep their defaults")
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theJobsOtherOptionsAreUnknownHere() {
        StringWriter err = new StringWriter();
        int code = CliSupport.execute(
                new CommandLine(new CreateTopicsCommand()).setErr(new PrintWriter(err, true)),
                "--inactivity-gap",
                "5 min");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--inactivity-gap', '5 min'");
    }

    @Test
    void kafkaPropertiesAndAConfigFileOfTheJobPassThrough(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, """
        inactivity-gap: 20 min
        topic:
          dlq: my-dlq
        """);
        CommandLine cli = AttentionCli.commandLine();
        StringWriter err = new StringWriter();
        cli.getSubcommands().get("create-topics").setErr(new PrintWriter(err, true));
        // an unknown security protocol: the Kafka client refuses it at once, so nothing waits for a broker
        int code = CliSupport.execute(
                cli,
                "create-topics",
                "--config",
                yaml.toString(),
                "--bootstrap-servers",
                "localhost:1",
                "--kafka.security.protocol=NOPE");
        CreateTopicsCommand command = cli.getSubcommands().get("create-topics").getCommand();
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot reach Kafka at localhost:1");
        assertThat(command.options.kafkaProperties).containsEntry("security.protocol", "NOPE");
        assertThat(command.options.dlqTopic).isEqualTo("my-dlq");
    }
}
