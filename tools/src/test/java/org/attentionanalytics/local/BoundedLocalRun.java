package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The real {@link LocalCommand} run bounded in a test, as {@code bin/attention local --bounded --output-dir OUT ...}. */
final class BoundedLocalRun {
    private BoundedLocalRun() {}

    /**
     * Runs {@code local --bounded --output-dir out} with {@code args}, its state under {@code
     * dir/state} and the web UI on a free port, and asserts that it exits 0.
     *
     * @return what it printed to standard output
     */
    static String run(Path dir, Path out, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--bounded",
                "--output-dir",
                out.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--web-port",
                "0"));
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = new CommandLine(new LocalCommand())
                .setOut(new PrintWriter(stdout))
                .setErr(new PrintWriter(stderr))
                .execute(all.toArray(String[]::new));
        assertThat(code).as(stdout + "\n" + stderr).isZero();
        return stdout.toString();
    }
}
