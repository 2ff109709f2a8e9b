package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.attentionanalytics.cli.AttentionCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on the live demo, as a user stops it: {@code bin/attention local} in a process of its own
 * (the command line's main with this JVM's class path and module options, as the script starts
 * it), SIGINT once the status lines come, then exit code 0 after the job and the broker stopped.
 */
@Tag("slow") // about 17 s: the demo started, then stopped with SIGINT: mvn verify -Pslow
class LocalCtrlCITCase {
    @TempDir
    Path dir;

    @Test
    void ctrlCStopsTheLiveDemoWithExitCodeZero() throws Exception {
        assumeFalse(
                sigintIgnored(),
                "SIGINT is ignored by this JVM (started in the background), so it would be by the child");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")
                        || a.startsWith("--add-exports")
                        || a.startsWith("-Djava.io.tmpdir"))
                .forEach(command::add);
        command.add("-Dlog4j.configurationFile="
                + Path.of("../conf/log4j2-local.properties").toAbsolutePath());
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                AttentionCli.class.getName(),
                "local",
                "--demo-users",
                "20",
                "--web-port",
                "0",
                "--partitions",
                "1",
                "--state-dir",
                dir.resolve("state").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        try {
            CountDownLatch running = new CountDownLatch(1);
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader lines = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                output.append(line).append('\n');
                                if (line.startsWith("events ")) {
                                    running.countDown(); // the first status line: the job runs, the demo traffic flows
                                }
                            }
                        } catch (IOException e) {
                            output.append("(reading the output failed: ")
                                    .append(e)
                                    .append(")\n");
                        }
                    },
                    "local-output");
            reader.start();
            assertThat(running.await(180, TimeUnit.SECONDS))
                    .as("no status line:%n%s", output)
                    .isTrue();

            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                            .start()
                            .waitFor())
                    .isZero();

            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as("still running after Ctrl-C:%n%s", output)
                    .isTrue();
            reader.join(10_000);
            assertThat(process.exitValue())
                    .as("exit code after Ctrl-C:%n%s", output)
                    .isZero();
            assertThat(output.toString())
                    .contains("Press Ctrl-C to stop.", "Stopping: cancelling the job, stopping the broker...")
                    .doesNotContain("local: failed");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Whether this JVM ignores SIGINT (a child inherits that): bit 2 of {@code SigIgn} in {@code /proc/self/status}. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l ->
                        (Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16) & 2) != 0);
    }
}
