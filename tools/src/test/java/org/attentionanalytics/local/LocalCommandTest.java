package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.attentionanalytics.job.CliSupport;
import org.attentionanalytics.job.JobOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void controlFilesAreCheckedBeforeAnythingStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path dataset = java.nio.file.Path.of(
                LocalCommandTest.class.getResource("/replay/history.csv").toURI());
        java.nio.file.Path budgets = dir.resolve("b.csv");
        java.nio.file.Files.writeString(budgets, "user_id,time_zone,category,minutes\n100,UTC,news,ten\n");
        assertUsageError(
                "b.csv line 2: minutes 'ten' is not a whole number from 0 to 1440 (a day)",
                "--dataset",
                "ebnerd-history:" + dataset,
                "--budgets",
                "csv:" + budgets);
        assertUsageError(
                "cannot use the file: cannot read " + dir.resolve("none.csv") + ": no such file",
                "--dataset",
                "ebnerd-history:" + dataset,
                "--erasures",
                "csv:" + dir.resolve("none.csv"));
        assertUsageError(
                "--budgets, --erasures and --focus-blocks are replayed with a --dataset",
                "--budgets",
                "csv:" + budgets);
        java.nio.file.Path blocks = dir.resolve("f.csv");
        java.nio.file.Files.writeString(
                blocks, "user_id,name,days,local_start,local_end\n100,mornings,MON,09:00,09:00\n");
        assertUsageError(
                "f.csv line 2: block 'mornings': starts and ends at 09:00",
                "--dataset",
                "ebnerd-history:" + dataset,
                "--focus-blocks",
                "csv:" + blocks);
        assertUsageError(
                "--budgets, --erasures and --focus-blocks are replayed with a --dataset",
                "--focus-blocks",
                "csv:" + blocks);
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
        Configuration conf = LocalClusterConfig.of(options, 8082);
        assertThat(conf.get(RestOptions.PORT)).isEqualTo(8082);
        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
        assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE).getMebiBytes())
                .isEqualTo(256);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/s/checkpoints");
    }

    @Test
    void describesTheCauseChainOnce() {
        Exception e = new RuntimeException("job failed", new IllegalStateException("broker gone"));
        assertThat(org.attentionanalytics.job.CliSupport.describe(e)).isEqualTo("job failed\n  caused by: broker gone");
    }

    /**
     * A dataset that does not fit its kind or {@code --columns}: refused with exit code 2 and a
     * message naming the option before anything starts (no state directory, no broker, no job).
     */
    @Test
    void aDatasetThatDoesNotFitIsAUsageErrorBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path noUser = dir.resolve("no-user.csv");
        Files.writeString(noUser, "uid,time,item\nu1,2024-01-01T10:00:00Z,i1\n");
        assertThat(cliError(state, "--dataset", "csv:" + noUser))
                .isEqualTo("Error: --dataset csv:" + noUser
                        + ": csv needs user_id and event_time columns: name them so in the header row, or map them with"
                        + " --columns user_id=INDEX,event_time=INDEX (0-based); the header has uid, time, item");

        Path header =
                Path.of(LocalCommandTest.class.getResource("/replay/header.csv").toURI());
        assertThat(cliError(state, "--dataset", "csv:" + header, "--columns", "user_id=0,event_time=5"))
                .isEqualTo("Error: --dataset csv:" + header
                        + ": --columns event_time=5: header.csv's header has 4 columns (indexes 0 to 3)");

        Path history = dir.resolve("history.csv");
        Files.writeString(
                history, "impression_time,article_id,read_time_s,scroll_percentage\n2023-02-02T07:20:24,1,13,16\n");
        assertThat(cliError(state, "--dataset", "ebnerd-history:" + history))
                .isEqualTo(
                        "Error: --dataset ebnerd-history:" + history
                                + ": history.csv is not ebnerd-history: no column [user_id]; its header: impression_time, article_id, read_time_s, scroll_percentage");
        assertThat(state).doesNotExist();
    }

    /** The tester's usage errors: each names the option or the file, before anything starts. */
    @Test
    void replayUsageErrorsNameTheOptionOrFile(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path header =
                Path.of(LocalCommandTest.class.getResource("/replay/header.csv").toURI());
        assertThat(cliError(state, "--dataset", "csv:" + header, "--max-skipped", "-1"))
                .isEqualTo("Error: --max-skipped: must be 0 or more (the number of rows that may be skipped), got -1");

        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        assertThat(cliError(state, "--dataset", "csv:" + empty))
                .isEqualTo("Error: --dataset csv:" + empty + ": empty.csv is empty: no header row and no data rows");

        assertThat(cliError(state, "--dataset", "csv:" + header, "--time-format", "yyyy-MM-ddTHH"))
                .isEqualTo("Error: --dataset csv:" + header
                        + ": --time-format 'yyyy-MM-ddTHH' is not a valid pattern: Unknown pattern letter: T (quote "
                        + "literal letters, e.g. yyyy-MM-dd'T'HH:mm:ss; or ISO-8601, epoch-seconds, epoch-millis)");
        assertThat(state).doesNotExist();
    }

    /** As the other commands: one line, and with ATTENTION_DEBUG the stack trace after it. */
    @Test
    void aFailurePrintsTheStackTraceOnlyWhenDebugging() {
        Exception e = new RuntimeException("job failed", new IllegalStateException("broker gone"));
        StringWriter quiet = new StringWriter();
        LocalConsole.failure(new PrintWriter(quiet), e, false);
        assertThat(quiet.toString()).isEqualTo("local: failed: job failed\n  caused by: broker gone\n");

        StringWriter debug = new StringWriter();
        LocalConsole.failure(new PrintWriter(debug), e, true);
        assertThat(debug.toString())
                .startsWith(
                        "local: failed: job failed\n  caused by: broker gone\njava.lang.RuntimeException: job failed\n")
                .contains(
                        "\tat org.attentionanalytics.local.LocalCommandTest.",
                        "Caused by: java.lang.IllegalStateException: broker gone");
    }

    @Test
    void badDemoTrafficOptionsAreUsageErrorsBeforeAnythingStarts(@TempDir Path dir) {
        Path state = dir.resolve("state");
        assertThat(cliError(state, "--demo-users", "-5")).isEqualTo("Error: --demo-users must be at least 1, not -5");
        assertThat(cliError(state, "--demo-rate", "-1"))
                .isEqualTo("Error: --demo-rate must be 0 (the users' natural pace) or a positive number, not -1.0");
        assertThat(state).doesNotExist();
    }

    @Test
    void aBusyWebPortIsAUsageErrorBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        try (ServerSocket busy = new ServerSocket(0)) {
            int port = busy.getLocalPort();
            assertThat(cliError(state, "--web-port", String.valueOf(port)))
                    .isEqualTo("Error: --web-port " + port + " is in use; pick another with --web-port");
        }
        assertThat(state).doesNotExist();
    }

    /** Runs {@code local} as {@code bin/attention} does, expects exit code 2, and returns the first line on stderr. */
    private static String cliError(Path stateDir, String... args) {
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("--state-dir", stateDir.toString()), Arrays.stream(args))
                .toArray(String[]::new);
        int code = CliSupport.execute(new CommandLine(new LocalCommand()).setErr(new PrintWriter(err, true)), all);
        assertThat(code).as(String.join(" ", args)).isEqualTo(2);
        return err.toString().lines().findFirst().orElse("");
    }

    private static void assertUsageError(String message, String... args) {
        StringWriter err = new StringWriter();
        int code =
                new CommandLine(new LocalCommand()).setErr(new PrintWriter(err)).execute(args);
        assertThat(code).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }
}
