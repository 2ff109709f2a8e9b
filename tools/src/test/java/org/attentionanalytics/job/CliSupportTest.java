package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.attentionanalytics.cli.AttentionCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Options from the command line, a YAML file and {@code --kafka.*}, and the checks at start. */
class CliSupportTest {
    @TempDir
    Path dir;

    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        JobOptions options = new JobOptions();

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    void yamlConfigSetsOptionsAndTheCommandLineWins() throws Exception {
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, """
        inactivity-gap: 20 min
        allowed-lateness: 2 min
        topic:
          sessions: my-sessions
        kafka:
          security.protocol: SASL_SSL
          acks: all
        """);
        Probe probe = new Probe();
        int code = CliSupport.execute(
                probe,
                "--config",
                yaml.toString(),
                "--allowed-lateness",
                "7 min",
                "--kafka.acks=1",
                "--kafka.client.id",
                "me");
        assertThat(code).isZero();
        JobOptions o = probe.options;
        assertThat(o.inactivityGap).isEqualTo(Duration.ofMinutes(20));
        assertThat(o.allowedLateness).isEqualTo(Duration.ofMinutes(7));
        assertThat(o.sessionsTopic).isEqualTo("my-sessions");
        assertThat(o.maxSessionDuration).isEqualTo(Duration.ofHours(12)); // default untouched
        assertThat(o.kafkaProperties)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("acks", "1")
                .containsEntry("client.id", "me");
        assertThat(o.toConfigMap()).containsEntry("inactivity-gap", "PT20M").containsEntry("kafka.acks", "1");
    }

    @Test
    void aTransactionTimeoutAboveTheBrokerMaximumIsRefusedWithAClearMessage() {
        Probe probe = new Probe();
        CliSupport.execute(probe, "--transaction-timeout", "20 min");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AttentionJob.validate(probe.options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transaction.timeout.ms is 1200000 ms")
                .hasMessageContaining("transaction.max.timeout.ms");
        Probe viaKafka = new Probe();
        CliSupport.execute(viaKafka, "--kafka.transaction.timeout.ms=3600000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AttentionJob.validate(viaKafka.options))
                .hasMessageContaining("3600000 ms");
        Probe ok = new Probe();
        CliSupport.execute(ok);
        AttentionJob.validate(ok.options);
    }

    @Test
    void runRefusesToStartWithoutAPseudonymKey() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("ATTENTION_PSEUDONYM_KEY") == null);
        java.io.StringWriter err = new java.io.StringWriter();
        int code = CliSupport.execute(
                new picocli.CommandLine(new RunCommand()).setErr(new java.io.PrintWriter(err, true)),
                "--pseudonym-key-file",
                " ");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no pseudonym key", "--pseudonym-key-file", "ATTENTION_PSEUDONYM_KEY");
    }

    /** The jar's main runs inside the JobManager for REST submissions: it must never exit the JVM. */
    @Test
    void theJarsMainThrowsOnBadOptionsAndReturnsOnHelp() throws Exception {
        org.attentionanalytics.job.AttentionJob.main(new String[] {"--help"});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.attentionanalytics.job.AttentionJob.main(
                        new String[] {"--transaction-timeout", "1h", "--pseudonym-key-file", "k"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transaction.max.timeout.ms");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> org.attentionanalytics.job.AttentionJob.main(new String[] {"--no-such-option"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--no-such-option");
    }

    @Test
    void aMisspelledConfigKeyIsAnErrorNotASilentDefault() throws Exception {
        Path yaml = dir.resolve("typo.yaml");
        Files.writeString(yaml, "inactivty-gap: 5 min\n");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = CliSupport.execute(
                new picocli.CommandLine(new Probe()).setErr(new java.io.PrintWriter(err, true)),
                "--config",
                yaml.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--config: no such option: inactivty-gap");
    }

    @Test
    void durationsThatWouldLoseEventsAreRefused() {
        for (String[] bad : new String[][] {
            {"--inactivity-gap", "0"},
            {"--max-session-duration", "0 s"},
            {"--allowed-lateness", "-5 min"},
            {"--dedupe-window", "0"},
            {"--checkpoint-interval", "1"},
            {"--watermark-interval", "0 ms"},
            {"--buffer-timeout", "-1 ms"},
            {"--state-cache-users", "-2"}
        }) {
            Probe probe = new Probe();
            assertThat(CliSupport.execute(probe, bad)).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AttentionJob.validate(probe.options))
                    .as(String.join(" ", bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad[0]);
        }
    }

    @Test
    void latencyKnobsReachFlinksConfigurationOnlyWhenGiven() {
        Probe given = new Probe();
        CliSupport.execute(given, "--watermark-interval", "10 ms", "--buffer-timeout", "5 ms");
        AttentionJob.validate(given.options);
        var conf = JobConfiguration.of(given.options);
        assertThat(conf.get(org.apache.flink.configuration.PipelineOptions.AUTO_WATERMARK_INTERVAL))
                .isEqualTo(Duration.ofMillis(10));
        assertThat(conf.get(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT))
                .isEqualTo(Duration.ofMillis(5));
        Probe defaults = new Probe();
        CliSupport.execute(defaults);
        var untouched = JobConfiguration.of(defaults.options);
        assertThat(untouched.contains(org.apache.flink.configuration.PipelineOptions.AUTO_WATERMARK_INTERVAL))
                .isFalse();
        assertThat(untouched.contains(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT))
                .isFalse();
    }

    /** A value an option's converter refuses: the option and the converter's message, no Java class names. */
    @Test
    void aRefusedValueNamesTheOptionAndTheReasonOnly() throws Exception {
        assertThat(errorOf("local", "--dataset", "foo:x.csv"))
                .isEqualTo(
                        "Error: --dataset: unknown dataset kind 'foo'; known: ebnerd-history, ebnerd-behaviors, rees46, csv, snowplow\n"
                                + "Try 'attention local --help' for the options.\n");
        assertThat(errorOf("local", "--inactivity-gap", "foo"))
                .startsWith("Error: --inactivity-gap: not a duration: 'foo' (examples: 30 s, 5 min, 12 h, PT30M)\n");
        assertThat(errorOf("run", "--limits.record-bytes", "foo"))
                .startsWith("Error: --limits.record-bytes: not a size: 'foo' (examples: 256 kb, 1 mb, 262144)\n");
        assertThat(errorOf("run", "--limits.record-bytes", "3 gb"))
                .startsWith("Error: --limits.record-bytes: 3 gb is more than 2 GB\n");
        assertThat(errorOf("local", "--demo-users", "many")).startsWith("Error: --demo-users: 'many' is not an int\n");
        assertThat(errorOf("run", "--input-format", "xml"))
                .startsWith("Error: --input-format: must be avro, json, auto or avro-registry, not xml\n");
        assertThat(errorOf("consume", "--topic", "t", "--type", "Nope"))
                .startsWith("Error: --type: unknown record type 'Nope'; known: ");
        // the jar's main, inside a JobManager, throws the same message
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> org.attentionanalytics.job.AttentionJob.main(new String[] {"--inactivity-gap", "foo"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--inactivity-gap: not a duration: 'foo' (examples: 30 s, 5 min, 12 h, PT30M)");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> org.attentionanalytics.job.AttentionJob.main(new String[] {"--input-format", "xml"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--input-format: must be avro, json, auto or avro-registry, not xml");
    }

    private static String errorOf(String... args) {
        picocli.CommandLine cli = AttentionCli.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.getSubcommands().get(args[0]).setErr(new java.io.PrintWriter(err, true));
        assertThat(CliSupport.execute(cli, args)).as(String.join(" ", args)).isEqualTo(2);
        return err.toString();
    }
}
