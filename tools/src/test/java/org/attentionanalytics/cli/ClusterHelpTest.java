package org.attentionanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/attention cluster}: listed by {@code bin/attention --help}, and its own help (the
 * script {@code deploy/local-cluster/cluster.sh}, run here from a copy of the project's two
 * scripts) names it as users type it and creates nothing.
 */
class ClusterHelpTest {
    @TempDir
    Path root;

    @Test
    void theTopLevelHelpListsCluster() {
        String help = AttentionCli.commandLine().getUsageMessage();
        assertThat(help).containsPattern("\\n  cluster +A local standalone Kafka and Flink cluster: up, submit,");
    }

    @Test
    void helpNamesItselfAndCreatesNoDirectory() throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("deploy/local-cluster"));
        Files.copy(Path.of("../bin/attention"), root.resolve("bin/attention"));
        Files.copy(Path.of("../deploy/local-cluster/cluster.sh"), root.resolve("deploy/local-cluster/cluster.sh"));
        for (List<String> args : List.<List<String>>of(List.of("--help"), List.of("-h"), List.of())) {
            Result r = run(args);
            String usage = args.isEmpty() ? r.err : r.out;
            assertThat(r.exitCode).as("%s", args).isEqualTo(args.isEmpty() ? 2 : 0);
            assertThat(usage)
                    .as("%s", args)
                    .startsWith("Usage: bin/attention cluster <command>")
                    .contains("bin/attention cluster up ", "bin/attention cluster stop-with-savepoint ")
                    .doesNotContain("cluster.sh up");
            assertThat(root.resolve(".attention")).as("%s", args).doesNotExist();
        }
        Result unknown = run(List.of("upp"));
        assertThat(unknown.exitCode).isEqualTo(2);
        assertThat(unknown.err).startsWith("cluster: unknown command 'upp'\nUsage: bin/attention cluster <command>");
        assertThat(root.resolve(".attention")).doesNotExist();
    }

    record Result(int exitCode, String out, String err) {}

    private Result run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "bin/attention", "cluster"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectOutput(root.resolve("out.txt").toFile())
                .redirectError(root.resolve("err.txt").toFile());
        pb.environment().remove("ATTENTION_CLUSTER_DIR");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(root.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(root.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
