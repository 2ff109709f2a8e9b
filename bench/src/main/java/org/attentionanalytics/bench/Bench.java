package org.attentionanalytics.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;
import org.attentionanalytics.job.JobOptions;

/** The benchmark's steps; {@link BenchCommand} calls them and writes what they return. */
public final class Bench {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

    private final int parallelism;
    private final MemorySize managedMemory;
    private final Duration checkpointInterval;
    private final long seed;
    private final PrintStream out;
    private final EventGenerator generator;
    /** Flink settings on top of the job's for every variant ({@code --flink-conf}). */
    private Map<String, String> flinkConf = Map.of();
    /** The job's {@code --max-watermark-drift} in every part, or null for the job's default. */
    private Duration maxWatermarkDrift;

    public Bench(int parallelism, MemorySize managedMemory, Duration checkpointInterval, long seed, PrintStream out) {
        this.parallelism = parallelism;
        this.managedMemory = managedMemory;
        this.checkpointInterval = checkpointInterval;
        this.seed = seed;
        this.out = out;
        this.generator = new EventGenerator(seed);
    }

    /** Sets Flink settings on top of the job's for every variant of the throughput part. */
    public Bench withFlinkConf(Map<String, String> conf) {
        this.flinkConf = Map.copyOf(conf);
        return this;
    }

    /** Sets the job's {@code --max-watermark-drift} (null: the job's default) in every part. */
    public Bench withMaxWatermarkDrift(Duration drift) {
        this.maxWatermarkDrift = drift;
        return this;
    }

    /** Settings as reported in the JSON. */
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("parallelism", parallelism);
        s.put("taskmanager.memory.managed.size", managedMemory.toString());
        s.put("state.backend.rocksdb.memory.managed", true);
        s.put("checkpoint_interval_ms", checkpointInterval.toMillis());
        s.put("checkpointing_mode", "EXACTLY_ONCE");
        s.put("incremental_checkpoints", true);
        s.put("seed", seed);
        s.put("flink_conf", new java.util.TreeMap<>(flinkConf));
        s.put(
                "max_watermark_drift_ms",
                (maxWatermarkDrift != null ? maxWatermarkDrift : JobOptions.defaults().maxWatermarkDrift).toMillis());
        s.put(
                "generator",
                Map.of(
                        "zipf_s",
                        EventGenerator.ZIPF_S,
                        "max_sessions_per_user",
                        EventGenerator.MAX_SESSIONS_PER_USER,
                        "period_h",
                        EventGenerator.PERIOD_MS / 3_600_000,
                        "read_time_lognormal_mu",
                        EventGenerator.READ_MU,
                        "read_time_lognormal_sigma",
                        EventGenerator.READ_SIGMA,
                        "zero_read_share",
                        EventGenerator.ZERO_READ_SHARE,
                        "reads_per_session",
                        EventGenerator.READS_PER_SESSION,
                        "items",
                        EventGenerator.ITEMS,
                        "topics",
                        EventGenerator.TOPICS));
        s.put("sql", Variants.sqlText(30));
        return s;
    }

    /** The job's options for the benchmark: defaults, parallelism, checkpoint interval, a pseudonym key. */
    JobOptions options() throws Exception {
        JobOptions options = JobOptions.defaults();
        options.parallelism = parallelism;
        options.checkpointInterval = checkpointInterval;
        Path key = Files.createTempFile("attention-bench", ".key");
        Files.writeString(key, "benchmark-pseudonym-key-" + seed);
        key.toFile().deleteOnExit();
        options.pseudonymKeyFile = key.toString();
        options.jobName = "Attention Analytics benchmark";
        if (maxWatermarkDrift != null) {
            options.maxWatermarkDrift = maxWatermarkDrift;
        }
        return options;
    }

    /**
     * {@link #options()} for the in-memory (bounded) inputs: {@code bounded} picks the watermark
     * strategy without idleness, so every source reaches its end active and its final watermark
     * gets through (see {@code EventWatermarks#boundedStrategy}).
     */
    JobOptions boundedOptions() throws Exception {
        JobOptions options = options();
        options.bounded = true;
        return options;
    }

    /** Generates {@code events} events of {@code users} users into registered topics; returns their name. */
    String generate(JobOptions options, int users, long events, Map<String, Object> info) {
        long t0 = System.nanoTime();
        EventGenerator.Plan plan = generator.plan(users, events, System.currentTimeMillis() - 60_000);
        MemoryTopics topics = new MemoryTopics(parallelism);
        generator.fill(plan, topics, options.clickstreamTopic, options.dwellTopic, options.catalogTopic);
        String name = "bench-" + users + "-" + events;
        topics.register(name);
        long records = topics.records(options.clickstreamTopic) + topics.records(options.dwellTopic);
        info.put("users", users);
        info.put("events", records);
        info.put("heaviest_user_events", plan.heaviestUserEvents);
        info.put("input_bytes", topics.bytes());
        out.printf(
                Locale.ROOT,
                "Generated %,d events (%,d clicks/views, %,d dwell; catalog %,d items) of %,d users in %.1f s, %,d MB in memory; the heaviest user has %,d events%n",
                records,
                topics.records(options.clickstreamTopic),
                topics.records(options.dwellTopic),
                EventGenerator.ITEMS,
                users,
                (System.nanoTime() - t0) / 1e9,
                topics.bytes() >> 20,
                plan.heaviestUserEvents);
        return name;
    }

    /**
     * Warms the JVM up (JIT, class loading); nothing reported. The full job, the slowest to warm up
     * and the one most of the others' code is shared with, runs on {@code events} (20,000 users);
     * the other variants on a third of that, so the warm-up does not dominate {@code --quick}.
     */
    public void warmUp(long events, List<Variants> variants) throws Exception {
        JobOptions options = boundedOptions();
        String full = generate(options, 20_000, events, new LinkedHashMap<>());
        String small = null;
        try (BenchRunner runner = new BenchRunner(parallelism, managedMemory, flinkConf)) {
            for (Variants v : variants) {
                String topics = full;
                if (v != Variants.FULL) {
                    if (small == null) {
                        small = generate(options, 20_000, Math.max(1, events / 3), new LinkedHashMap<>());
                    }
                    topics = small;
                }
                BenchRunner.Result r = runner.run(v, options, topics, RUN_TIMEOUT);
                out.printf(Locale.ROOT, "  warm-up %-18s %,12.0f events/s%n", v.id, r.eventsPerS());
            }
        } finally {
            MemoryTopics.unregister(full);
            if (small != null) {
                MemoryTopics.unregister(small);
            }
        }
    }

    /** Part 1 at one user count: every variant on the same events. */
    public Map<String, Object> throughput(int users, long events, List<Variants> variants) throws Exception {
        JobOptions options = boundedOptions();
        Map<String, Object> point = new LinkedHashMap<>();
        String topics = generate(options, users, events, point);
        Map<String, Object> results = new LinkedHashMap<>();
        try (BenchRunner runner = new BenchRunner(parallelism, managedMemory, flinkConf)) {
            for (Variants v : variants) {
                System.gc(); // each variant starts on a collected heap: none pays for the garbage of the one before
                BenchRunner.Result r = runner.run(v, options, topics, RUN_TIMEOUT);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("events_per_s", Math.round(r.eventsPerS()));
                m.put("records", r.records());
                m.put("seconds", r.seconds());
                m.put("state_backend", r.stateBackend());
                m.put("checkpoints", r.checkpoints());
                m.put("last_checkpoint_bytes", r.lastCheckpointBytes());
                m.put(
                        "state_bytes_per_user",
                        r.lastCheckpointBytes() < 0 ? null : r.lastCheckpointBytes() / (double) users);
                m.put("last_checkpoint_ms", r.lastCheckpointMs());
                m.put("max_checkpoint_ms", r.maxCheckpointMs());
                m.put("max_periodic_checkpoint_ms", r.maxPeriodicCheckpointMs());
                m.put("state_bytes_by_operator", r.stateBytesByOperator());
                m.put("slowest_checkpoint", r.slowestCheckpoint());
                results.put(v.id, m);
                out.printf(
                        Locale.ROOT,
                        "  %,9d users %-18s %,12.0f events/s  (%,d records in %.1f s; last checkpoint %,d bytes = %,.0f B/user, %d ms; %d checkpoints, max %d ms, max while reading %d ms; %s)%n",
                        users,
                        v.id,
                        r.eventsPerS(),
                        r.records(),
                        r.seconds(),
                        r.lastCheckpointBytes(),
                        r.lastCheckpointBytes() / (double) users,
                        r.lastCheckpointMs(),
                        r.checkpoints(),
                        r.maxCheckpointMs(),
                        r.maxPeriodicCheckpointMs(),
                        r.stateBackend());
                r.slowestCheckpoint()
                        .forEach((task, parts) ->
                                out.printf(Locale.ROOT, "      slowest checkpoint, %s: %s%n", task, parts));
            }
        } finally {
            MemoryTopics.unregister(topics);
        }
        point.put("variants", results);
        Double full = rate(results, "full");
        Double sql = rate(results, "sql");
        Double ceiling = rate(results, "stateful_ceiling");
        point.put("ratio_vs_sql", full != null && sql != null ? full / sql : null);
        point.put("ratio_vs_stateful_ceiling", full != null && ceiling != null ? full / ceiling : null);
        return point;
    }

    @SuppressWarnings("unchecked")
    private static Double rate(Map<String, Object> results, String id) {
        Object v = results.get(id);
        return v == null ? null : ((Number) ((Map<String, Object>) v).get("events_per_s")).doubleValue();
    }

    /** Part 2: latency through Kafka ({@link LatencyBench}). */
    public Map<String, Object> latency(
            int users, int rate, int seconds, java.util.function.Consumer<JobOptions> settings) throws Exception {
        JobOptions options = options();
        settings.accept(options);
        EventGenerator.Plan plan =
                generator.plan(users, Math.max(1_000_000L, (long) rate * (seconds + 120)), System.currentTimeMillis());
        return new LatencyBench(generator, plan, options, managedMemory, out).run(rate, seconds);
    }
}
