package org.attentionanalytics.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaIo;
import org.attentionanalytics.local.Topics;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * Part 2: latency through a real Kafka broker (the embedded KRaft broker of {@code bin/attention
 * local}, in a JVM of its own: {@link ChildKafka}) at a fixed rate, the full job on RocksDB on a
 * MiniCluster in this JVM.
 *
 * <p>A producer sends the generator's events at {@code rate} events/s (paced, acks=all,
 * idempotent, linger 5 ms), each with event time = Kafka record timestamp = the wall clock at send
 * ("append"). Two latencies of interest vectors, in HdrHistogram (ms):
 * <ul>
 *   <li>emission: a probe right after the per-user operator's interest-vector side output (before
 *       the sink) records {@code now - as_of}; {@code as_of} is the event time of the event that
 *       triggered the vector, i.e. its append time;
 *   <li>visibility: a {@code read_committed} consumer of {@code interest-vectors} records {@code now
 *       - as_of} per record it reads. Bounded below by the emission latency and above by it plus a
 *       checkpoint interval (the sink's transactions commit on checkpoints) plus the commit.
 *   <li>live visibility: the same consumer's {@code now - as_of} of {@code interest-vectors-live}
 *       records (DESIGN.md section 6: written as the events arrive, without transactions).
 * </ul>
 * Only vectors whose {@code as_of} lies in the measured window count (after a warm-up); the
 * producer keeps sending past the window for out-of-orderness + a checkpoint interval, so that
 * every vector of the window is emitted and committed. Vectors emitted when a session closes
 * ({@code as_of} = its last event, 30 min earlier) cannot fall in the window.
 *
 * <p>The producer starts once every task of the job runs (no backlog from the deployment), and
 * every 5 s a line gives the emission latency of all vectors emitted in those 5 s, window or not.
 * The job's options come from the caller ({@code --out-of-orderness}, {@code
 * --watermark-interval}, {@code --buffer-timeout} of {@code bin/attention bench}).
 */
final class LatencyBench {
    /** Shared with the probe (same JVM). */
    static final Recorder EMISSION = new Recorder(3);
    /**
     * Emission latency of vectors in and out of the window, for the progress lines; without those a
     * session close emits (as_of 30 min back), which would only blur how far behind the job is.
     */
    static final Recorder PROGRESS = new Recorder(3);
    /** Vectors with an {@code as_of} this far back are session closes, not the latency of the job. */
    private static final long SESSION_CLOSE_VECTORS_BEFORE_MS = 600_000;

    /** Heap of the broker's JVM. */
    private static final String BROKER_HEAP = "1g";

    static volatile long windowFrom = Long.MAX_VALUE;
    static volatile long windowTo = Long.MIN_VALUE;

    private final EventGenerator generator;
    private final EventGenerator.Plan plan;
    private final JobOptions options;
    private final MemorySize managedMemory;
    private final PrintStream out;

    LatencyBench(
            EventGenerator generator,
            EventGenerator.Plan plan,
            JobOptions options,
            MemorySize managedMemory,
            PrintStream out) {
        this.generator = generator;
        this.plan = plan;
        this.options = options;
        this.managedMemory = managedMemory;
        this.out = out;
    }

    /** Records {@code now - as_of} of vectors in the window (tombstones of erased users aside). */
    static final class EmissionProbe implements MapFunction<InterestVectorUpdate, InterestVectorUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        public InterestVectorUpdate map(InterestVectorUpdate u) {
            InterestVector v = u.getVector();
            if (v != null) {
                long asOf = v.getAsOf().toEpochMilli();
                long now = System.currentTimeMillis();
                if (asOf > now - SESSION_CLOSE_VECTORS_BEFORE_MS) {
                    PROGRESS.recordValue(Math.max(0, now - asOf));
                }
                if (asOf >= windowFrom && asOf <= windowTo) {
                    EMISSION.recordValue(Math.max(0, now - asOf));
                }
            }
            return u;
        }
    }

    /** Kafka I/O, with the probe before the interest-vector sink. */
    static final class ProbedKafkaIo extends KafkaIo {
        @Override
        @SuppressWarnings("unchecked")
        public <T> DataStreamSink<T> sink(
                DataStream<T> stream,
                JobOptions options,
                String topic,
                String name,
                SerializableFunction<T, String> keyOf,
                SerializableFunction<T, ? extends SpecificRecordBase> valueOf,
                Class<? extends SpecificRecordBase> valueType) {
            if (topic.equals(options.interestVectorsTopic)) {
                DataStream<T> probed = (DataStream<T>) ((DataStream<InterestVectorUpdate>) stream)
                        .map(new EmissionProbe())
                        .returns(((DataStream<InterestVectorUpdate>) stream).getType())
                        .name("Latency probe (bench)");
                return super.sink(probed, options, topic, name, keyOf, valueOf, valueType);
            }
            return super.sink(stream, options, topic, name, keyOf, valueOf, valueType);
        }
    }

    Map<String, Object> run(int rate, int seconds) throws Exception {
        int warmupSeconds = Math.min(10, Math.max(5, seconds / 2));
        long tailMs = options.outOfOrderness.toMillis() + options.checkpointInterval.toMillis() + 3_000;
        Map<String, Object> result = new LinkedHashMap<>();
        try (ChildKafka kafka = ChildKafka.start(BROKER_HEAP);
                Admin admin = kafka.admin();
                BenchRunner runner = new BenchRunner(options.parallelism, managedMemory)) {
            options.bootstrapServers = kafka.bootstrapServers();
            options.groupId = "attention-bench";
            Topics.createAll(admin, options, options.parallelism);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(runner.jobConfiguration(options, true));
            AttentionJob.defineWorkflow(env, options, new ProbedKafkaIo());
            JobID job = runner.submit(env);
            runner.awaitAllTasksRunning(job, Duration.ofMinutes(2));
            EMISSION.reset();
            PROGRESS.reset();
            Histogram visibility = new Histogram(3);
            Histogram liveVisibility = new Histogram(3);
            LiveReflection reflection = new LiveReflection();
            AtomicBoolean stop = new AtomicBoolean();
            Thread consumer = new Thread(
                    () -> consume(kafka.bootstrapServers(), stop, visibility, liveVisibility, reflection),
                    "bench-consumer");
            consumer.start();
            long start = System.currentTimeMillis();
            long from = start + warmupSeconds * 1000L;
            long to = from + seconds * 1000L;
            out.printf(
                    Locale.ROOT,
                    "Latency: %,d events/s to Kafka for %d s (+%d s warm-up, +%.0f s for the last events to be emitted and committed) ...%n",
                    rate,
                    seconds,
                    warmupSeconds,
                    tailMs / 1000.0);
            AtomicLong sent = new AtomicLong();
            windowFrom = from;
            windowTo = to;
            Thread progress = new Thread(() -> progress(start, stop), "bench-latency-progress");
            progress.setDaemon(true);
            progress.start();
            long sendingMs = produce(kafka.bootstrapServers(), rate, to + tailMs, sent, from, to, reflection);
            stop.set(true);
            consumer.join();
            Map<String, Object> checkpoints = runner.checkpointSummary(job);
            runner.cancel(job);
            Histogram emission = EMISSION.getIntervalHistogram();
            windowFrom = Long.MAX_VALUE;
            windowTo = Long.MIN_VALUE;
            result.put("rate_target", rate);
            result.put("rate_achieved_in_window", sendingMs <= 0 ? 0 : Math.round(sent.get() * 1000.0 / sendingMs));
            result.put("window_s", seconds);
            result.put("out_of_orderness_ms", options.outOfOrderness.toMillis());
            result.put("checkpoint_interval_ms", options.checkpointInterval.toMillis());
            result.put(
                    "watermark_interval_ms",
                    (options.watermarkInterval == null
                                    ? org.apache.flink.configuration.PipelineOptions.AUTO_WATERMARK_INTERVAL
                                            .defaultValue()
                                    : options.watermarkInterval)
                            .toMillis());
            result.put(
                    "buffer_timeout_ms",
                    (options.bufferTimeout == null
                                    ? org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT.defaultValue()
                                    : options.bufferTimeout)
                            .toMillis());
            result.put("emission_ms", summary(emission));
            result.put("visibility_read_committed_ms", summary(visibility));
            result.put("live_visibility_ms", summary(liveVisibility));
            Histogram perEvent = reflection.latency();
            Map<String, Object> live = summary(perEvent);
            live.put("events_in_window", reflection.appended());
            live.put("unreflected", reflection.unreflected());
            result.put("live_event_visibility_ms", live);
            result.put("live_min_interval_ms", options.liveEnabled ? options.liveMinInterval.toMillis() : null);
            result.put(
                    "live_linger_ms",
                    options.liveEnabled ? options.liveLingerCapped().toMillis() : null);
            result.put("broker", "own JVM");
            result.put("checkpoints", checkpoints);
            out.printf(Locale.ROOT, "  checkpoints: %s%n", checkpoints);
            if (emission.getTotalCount() == 0) {
                out.println(
                        "  no interest vector of the measured window was emitted before the end: the job ran behind the rate"
                                + " (its events were not applied yet); lower --rate or run on a quieter machine");
            }
            out.printf(
                    Locale.ROOT,
                    "  emission:   %,d vectors, p50 %,d ms, p99 %,d ms, max %,d ms%n",
                    emission.getTotalCount(),
                    emission.getValueAtPercentile(50),
                    emission.getValueAtPercentile(99),
                    emission.getMaxValue());
            out.printf(
                    Locale.ROOT,
                    "  visibility: %,d vectors, p50 %,d ms, p99 %,d ms, max %,d ms (read_committed)%n",
                    visibility.getTotalCount(),
                    visibility.getValueAtPercentile(50),
                    visibility.getValueAtPercentile(99),
                    visibility.getMaxValue());
            out.printf(
                    Locale.ROOT,
                    "  live:       %,d vectors, p50 %,d ms, p99 %,d ms, max %,d ms (%s, now - as_of per record)%n",
                    liveVisibility.getTotalCount(),
                    liveVisibility.getValueAtPercentile(50),
                    liveVisibility.getValueAtPercentile(99),
                    liveVisibility.getMaxValue(),
                    options.liveInterestVectorsTopic);
            out.printf(
                    Locale.ROOT,
                    "  live:       %,d of %,d events reflected, p50 %,d ms, p99 %,d ms, max %,d ms (append to the first live record at or after it)%n",
                    perEvent.getTotalCount(),
                    reflection.appended(),
                    perEvent.getValueAtPercentile(50),
                    perEvent.getValueAtPercentile(99),
                    perEvent.getMaxValue());
        }
        return result;
    }

    /** Prints, every 5 s, the emission latency of the vectors emitted in those 5 s (warm-up and tail too). */
    private void progress(long start, AtomicBoolean stop) {
        Histogram h = null;
        while (!stop.get()) {
            LockSupport.parkNanos(5_000_000_000L);
            h = PROGRESS.getIntervalHistogram(h);
            out.printf(
                    Locale.ROOT,
                    "  +%3d s: %,7d vectors emitted, p50 %,6d ms, p99 %,6d ms%n",
                    (System.currentTimeMillis() - start) / 1000,
                    h.getTotalCount(),
                    h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99));
        }
    }

    private static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(50));
        m.put("p99", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99));
        m.put("max", h.getTotalCount() == 0 ? null : h.getMaxValue());
        return m;
    }

    /** Sends paced events until {@code untilMs}; returns the ms spent sending the window's events. */
    private long produce(
            String bootstrap,
            int rate,
            long untilMs,
            AtomicLong sentInWindow,
            long from,
            long to,
            LiveReflection reflection) {
        Pseudonymizer pseudonymizer =
                options.liveEnabled ? new Pseudonymizer(Pseudonymizer.loadKey(options.pseudonymKeyFile)) : null;
        Map<Integer, String> pseudonyms = new java.util.HashMap<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            long i = 0;
            long firstInWindow = -1;
            long lastInWindow = -1;
            while (true) {
                long now = System.currentTimeMillis();
                if (now >= untilMs) {
                    break;
                }
                long due = t0 + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                int j = (int) (i % plan.size());
                byte[] value = generator.encode(plan, j, now, i);
                String topic =
                        EventGenerator.isClickTopic(plan.kind[j]) ? options.clickstreamTopic : options.dwellTopic;
                byte[] key = BenchCommand.utf8(EventGenerator.userId(plan.user[j]));
                producer.send(new ProducerRecord<>(topic, null, now, key, value));
                if (now >= from && now <= to) {
                    sentInWindow.incrementAndGet();
                    if (pseudonymizer != null) {
                        String user = pseudonyms.computeIfAbsent(
                                plan.user[j], u -> pseudonymizer.pseudonym(EventGenerator.userId(u)));
                        reflection.appended(user, now);
                    }
                    if (firstInWindow < 0) {
                        firstInWindow = now;
                    }
                    lastInWindow = now;
                }
                i++;
            }
            return lastInWindow - firstInWindow;
        }
    }

    /**
     * Reads {@code interest-vectors} ({@code read_committed}: its records show once their transaction
     * commits) and {@code interest-vectors-live} (no transactions: at once), recording {@code now -
     * as_of} of the window's vectors in {@code visibility} and {@code liveVisibility}.
     */
    private void consume(
            String bootstrap,
            AtomicBoolean stop,
            Histogram visibility,
            Histogram liveVisibility,
            LiveReflection reflection) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "attention-bench-visibility");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(options.interestVectorsTopic, options.liveInterestVectorsTopic));
            var decoder = InterestVector.getDecoder();
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    try {
                        InterestVector v = decoder.decode(r.value());
                        long asOf = v.getAsOf().toEpochMilli();
                        if (r.topic().equals(options.liveInterestVectorsTopic)) {
                            reflection.seen(v.getUser(), asOf, now);
                        }
                        if (asOf >= windowFrom && asOf <= windowTo) {
                            (r.topic().equals(options.interestVectorsTopic) ? visibility : liveVisibility)
                                    .recordValue(Math.max(0, now - asOf));
                        }
                    } catch (Exception e) {
                        // not ours
                    }
                }
            }
        }
    }
}
