package org.attentionanalytics.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import org.attentionanalytics.cli.ExtraCommand;
import org.attentionanalytics.job.JobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/attention bench}: the benchmark of issue 7 (BENCHMARKS.md). Part 1: throughput of
 * five variants on the same pre-generated events, in one process, after a JVM warm-up run. Part 2:
 * latency through a real (embedded) Kafka broker at a fixed rate. Prints a table, writes {@code
 * --output} (JSON) and a PNG chart next to it.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark: events/s of the full job against a Flink SQL SESSION query and the keyed-state ceilings, "
                    + "on the same pre-generated events (RocksDB, exactly-once checkpoints, parallelism 2), then latency through Kafka.",
            "Writes --output (JSON) and a PNG chart next to it. See BENCHMARKS.md."
        })
public final class BenchCommand implements Callable<Integer>, ExtraCommand {
    @Option(
            names = "--quick",
            description = "100,000 users, 1 million events, a short latency run: under 3 minutes on 2 cores.")
    boolean quick;

    @Option(
            names = "--users",
            split = ",",
            description = "Active users per point. Default: 100000,1000000 (--quick: 100000).")
    List<Integer> users;

    @Option(
            names = "--events",
            description = "Events per point. Default: 10 per user, at least 5 million (--quick: 1 million).")
    Long events;

    @Option(
            names = "--variants",
            split = ",",
            defaultValue = "full,stateful_ceiling,sql,stateless_ceiling,full_heap",
            description = "Variants to run. Default: ${DEFAULT-VALUE}")
    List<String> variants;

    @Option(
            names = "--warmup-events",
            description =
                    "Events of the JVM warm-up run (full, then the others, on a small set; not reported). Default: 500000 (--quick: 300000).")
    Long warmupEvents;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}")
    int parallelism;

    @Option(
            names = "--managed-memory",
            defaultValue = "512m",
            description =
                    "taskmanager.memory.managed.size of the MiniCluster's TaskManager (RocksDB's memory, shared by the slots). Default: ${DEFAULT-VALUE}")
    String managedMemory;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = JobOptions.CHECKPOINT_INTERVAL,
            converter = JobOptions.DurationConverter.class,
            description = "Default: ${DEFAULT-VALUE}")
    Duration checkpointInterval;

    @Option(
            names = "--rate",
            defaultValue = "20000",
            description = "Events/s sent to Kafka in the latency part. Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(
            names = "--latency-seconds",
            description = "Measured seconds of the latency part. Default: 60 (--quick: 10); 0 skips it.")
    Integer latencySeconds;

    @Option(
            names = "--out-of-orderness",
            converter = JobOptions.DurationConverter.class,
            description = "The job's --out-of-orderness in the latency part. Default: the job's, "
                    + JobOptions.OUT_OF_ORDERNESS + " (events wait that long for the watermark)")
    Duration outOfOrderness;

    @Option(
            names = "--max-watermark-drift",
            converter = JobOptions.DurationConverter.class,
            description = "The job's --max-watermark-drift (watermark alignment of the event topics; 0s: off). "
                    + "Default: the job's")
    Duration maxWatermarkDrift;

    @Option(
            names = "--watermark-interval",
            converter = JobOptions.DurationConverter.class,
            description = "The job's --watermark-interval in the latency part. Default: the job's")
    Duration watermarkInterval;

    @Option(
            names = "--buffer-timeout",
            converter = JobOptions.DurationConverter.class,
            description = "The job's --buffer-timeout in the latency part. Default: the job's")
    Duration bufferTimeout;

    @Option(
            names = "--live.enabled",
            defaultValue = "false",
            arity = "1",
            paramLabel = "true|false",
            description =
                    "The job's --live.enabled in the latency part (true: also the latency of interest-vectors-live). "
                            + "Default: ${DEFAULT-VALUE}, as the job's")
    boolean liveEnabled;

    @Option(
            names = "--live.min-interval",
            converter = JobOptions.DurationConverter.class,
            description = "The job's --live.min-interval in the latency part. Default: the job's")
    Duration liveMinInterval;

    @Option(
            names = "--live.linger",
            converter = JobOptions.DurationConverter.class,
            description = "The job's --live.linger in the latency part. Default: the job's")
    Duration liveLinger;

    @Option(
            names = "--flink-conf",
            paramLabel = "KEY=VALUE",
            description =
                    "A Flink setting for every variant's job in the throughput part, over the job's own (repeatable), "
                            + "e.g. --flink-conf state.backend.rocksdb.timer-service.factory=HEAP. Default: none")
    Map<String, String> flinkConf = new LinkedHashMap<>();

    @Option(names = "--seed", defaultValue = "7", description = "Generator seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--output",
            defaultValue = "target/bench/bench.json",
            description = "JSON results; the chart goes next to it (same name, .png). Default: ${DEFAULT-VALUE}")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<Integer> points = users != null ? users : quick ? List.of(100_000) : List.of(100_000, 1_000_000);
        long warmup = warmupEvents != null ? warmupEvents : quick ? 300_000 : 500_000;
        int latency = latencySeconds != null ? latencySeconds : quick ? 10 : 60;
        List<Variants> selected = variants.stream().map(Variants::of).toList();
        Bench bench = new Bench(parallelism, MemorySize.parse(managedMemory), checkpointInterval, seed, System.out)
                .withFlinkConf(flinkConf)
                .withMaxWatermarkDrift(maxWatermarkDrift);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", Instant.now().toString());
        json.put("command", "bin/attention bench" + (quick ? " --quick" : ""));
        json.put("machine", Machine.describe());
        json.put("settings", bench.settings());
        List<Map<String, Object>> pointResults = new ArrayList<>();
        bench.warmUp(warmup, selected);
        json.put("throughput", pointResults);
        for (int u : points) {
            long n = events != null ? events : quick ? 1_000_000 : Math.max(5_000_000L, 10L * u);
            pointResults.add(bench.throughput(u, n, selected));
            writeJson(json); // after every part, so a later part that fails (e.g. out of heap) loses nothing measured
        }
        if (latency > 0) {
            json.put("latency", bench.latency(points.get(0), rate, latency, o -> {
                if (outOfOrderness != null) {
                    o.outOfOrderness = outOfOrderness;
                }
                o.watermarkInterval = watermarkInterval;
                o.liveEnabled = liveEnabled;
                if (liveMinInterval != null) {
                    o.liveMinInterval = liveMinInterval;
                }
                if (liveLinger != null) {
                    o.liveLinger = liveLinger;
                }
                o.bufferTimeout = bufferTimeout;
            }));
            writeJson(json);
        }
        Path png = output.resolveSibling(output.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        Chart.write(json, png);
        System.out.println();
        System.out.println(Report.table(json));
        System.out.println("Wrote " + output + " and " + png);
        return 0;
    }

    private void writeJson(Map<String, Object> json) throws java.io.IOException {
        Files.createDirectories(output.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.toFile(), json);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static void print(PrintStream out, String s) {
        out.println(s);
        out.flush();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
