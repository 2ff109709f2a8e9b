package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.attentionanalytics.job.JobOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option checks (no broker or job starts for a usage error) and the MiniCluster configuration. */
class LocalCommandTest {
  @Test
  void usageErrorsExitWithTwoBeforeStartingAnything() {
    assertUsageError("--bounded needs at least one --dataset", "--bounded", "--output-dir", "out");
    assertUsageError("--bounded needs --output-dir", "--bounded", "--dataset", "ebnerd-history:/data");
    assertUsageError("add --bounded", "--dataset", "ebnerd-history:/data", "--output-dir", "out");
    assertUsageError("KIND:PATH", "--dataset", "/data");
    assertUsageError("Unknown option", "--nope");
    assertUsageError("--partitions", "--partitions", "0");
  }

  @Test
  void controlFilesAreCheckedBeforeAnythingStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path dataset = java.nio.file.Path.of(LocalCommandTest.class.getResource("/replay/history.csv").toURI());
    java.nio.file.Path budgets = dir.resolve("b.csv");
    java.nio.file.Files.writeString(budgets, "user_id,time_zone,category,minutes\n100,UTC,news,ten\n");
    assertUsageError("b.csv line 2: minutes 'ten' is not a whole number >= 0",
        "--dataset", "ebnerd-history:" + dataset, "--budgets", "csv:" + budgets);
    assertUsageError("cannot use the file: cannot read " + dir.resolve("none.csv") + ": no such file",
        "--dataset", "ebnerd-history:" + dataset, "--erasures", "csv:" + dir.resolve("none.csv"));
    assertUsageError("--budgets and --erasures are replayed with a --dataset", "--budgets", "csv:" + budgets);
  }

  @Test
  void jobOptionsAreOptionsOfTheCommand() {
    LocalCommand command = new LocalCommand();
    new CommandLine(command).parseArgs("--inactivity-gap", "5 min", "--parallelism", "3", "--web-port", "0");
    assertThat(command.options.inactivityGap).hasMinutes(5);
    assertThat(command.options.parallelism).isEqualTo(3);
    assertThat(command.webPort).isZero();
    assertThat(command.partitions).isEqualTo(2);
    assertThat(command.stateDir.toString()).isEqualTo(".attention");
  }

  @Test
  void miniClusterConfiguration() {
    JobOptions options = new JobOptions();
    new CommandLine(options).parseArgs("--parallelism", "2", "--checkpoint-dir", "file:///tmp/s/checkpoints");
    Configuration conf = LocalCommand.flinkConfiguration(options, 8082);
    assertThat(conf.get(RestOptions.PORT)).isEqualTo(8082);
    assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
    assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
    assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE).getMebiBytes()).isEqualTo(256);
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/s/checkpoints");
  }

  @Test
  void describesTheCauseChainOnce() {
    Exception e = new RuntimeException("job failed", new IllegalStateException("broker gone"));
    assertThat(org.attentionanalytics.cli.CliSupport.describe(e)).isEqualTo("job failed\n  caused by: broker gone");
  }

  private static void assertUsageError(String message, String... args) {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new LocalCommand()).setErr(new PrintWriter(err)).execute(args);
    assertThat(code).as(String.join(" ", args)).isEqualTo(2);
    assertThat(err.toString()).contains(message);
  }
}
