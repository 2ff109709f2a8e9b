package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bounded run's output files do not depend on {@code --output-format}: the REES46 sample
 * ({@code ../shared/data/rees46/2019-Oct-head.csv}, 5,019 views, skipped without it) with
 * recommendations on and one pseudonym key, written as {@code avro}, {@code json} and {@code
 * avro-registry} (the local run starts its own registry), gives the same lines in every output
 * file. Lines are compared as sets per file: the order across a topic's partitions is the order
 * the job's two tasks wrote in. {@code topic-trends.jsonl} is left out, and so is its count in
 * {@code summary.json}: its values carry fresh Laplace noise in every run, whatever the format.
 * Live topics are off ({@code --live.enabled false}): what they hold depends on processing time.
 */
@Tag("slow")
class BoundedOutputFormatsITCase {
    static final Path DATA = Path.of(System.getProperty("attention.sharedData", "../../shared/data"))
            .resolve("rees46/2019-Oct-head.csv");

    @TempDir
    Path dir;

    @Test
    void theOutputFilesAreTheSameInEveryFormat() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(DATA), "no " + DATA);
        Path key = Files.writeString(dir.resolve("pseudonym.key"), "bounded-formats-key\n");
        Path avro = run("avro", key);
        for (String format : List.of("json", "avro-registry")) {
            Path other = run(format, key);
            try (Stream<Path> files = Files.list(avro)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals("topic-trends.jsonl")) {
                        continue;
                    }
                    assertThat(lines(other.resolve(name)))
                            .as(format + " " + name)
                            .containsExactlyInAnyOrderElementsOf(lines(file));
                }
            }
        }
        assertThat(lines(avro.resolve("attention-sessions.jsonl"))).hasSizeGreaterThan(1000);
    }

    private static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.contains("\"topic-trends\"")) {
                out.add(line);
            }
        }
        return out;
    }

    private Path run(String format, Path key) {
        Path out = dir.resolve(format);
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = new CommandLine(new LocalCommand())
                .setOut(new PrintWriter(stdout))
                .setErr(new PrintWriter(stderr))
                .execute(
                        "--dataset",
                        "rees46:" + DATA,
                        "--bounded",
                        "--recs.enabled",
                        "true",
                        "--live.enabled",
                        "false",
                        "--output-format",
                        format,
                        "--pseudonym-key-file",
                        key.toString(),
                        "--output-dir",
                        out.toString(),
                        "--state-dir",
                        dir.resolve("state-" + format).toString(),
                        "--web-port",
                        "0");
        assertThat(code).as(stdout + "\n" + stderr).isZero();
        assertThat(stdout.toString()).contains("Output format:           " + format);
        return out;
    }
}
