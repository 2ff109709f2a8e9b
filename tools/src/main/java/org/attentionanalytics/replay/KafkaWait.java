package org.attentionanalytics.replay;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaPreflight;
import picocli.CommandLine;

/**
 * Lets a producer of the command-line tools ({@code replay}, {@code erase}, {@code budget}) wait
 * for an absent Kafka broker, at the start or in the middle, up to {@code --max-wait}, and says on
 * stderr what it waits for.
 *
 * <p>Design: the tools never resend a record themselves. Each record is handed to the producer
 * once, in order, and the producer does the retrying: it is idempotent ({@code
 * enable.idempotence=true}, {@code acks=all}), so the broker writes a retried batch once and keeps
 * each partition's batches in order (producer id and sequence numbers, which the broker keeps with
 * its log across a restart). {@link #configure} lets it retry for as long as {@code --max-wait}: {@code
 * max.block.ms} (how long {@code send} may block for metadata or buffer space) and {@code
 * delivery.timeout.ms} (how long a batch may wait to be acknowledged). Its first error therefore
 * is the end: the tool stops there and says how many records were acknowledged, never skipping one
 * silently. A watcher thread meanwhile notices when records are pending and nothing has been
 * acknowledged for {@link #QUIET}, asks the cluster whether it answers ({@link
 * KafkaPreflight#answers}) and prints what it waits for, at most every {@link #EVERY}, and a line
 * when records are acknowledged again.
 */
public final class KafkaWait implements AutoCloseable {
    /** The default {@code --max-wait} of the commands that send to Kafka, as the option reads it. */
    public static final String MAX_WAIT = "10 min";
    /** {@link #MAX_WAIT} as a duration. */
    public static final Duration DEFAULT_MAX_WAIT = JobOptions.parseDuration(MAX_WAIT);
    /** Nothing acknowledged for this long while records are pending: say so. */
    static final Duration QUIET = Duration.ofSeconds(10);
    /**
     * System property that replaces {@link #QUIET} (a duration as {@code --max-wait} reads it, e.g.
     * {@code 1 s}): the ITCases that stop a broker set it lower so as not to wait 10 s for the line.
     */
    public static final String QUIET_PROPERTY = "attention.kafka-wait.quiet";
    /** At most one waiting line per this interval. */
    static final Duration EVERY = Duration.ofSeconds(15);
    /** How long the watcher asks the cluster whether it answers. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final String bootstrapServers;
    private final Duration maxWait;
    private final PrintWriter err;
    private final boolean newLineFirst;
    private final LongSupplier clock;
    private final BooleanSupplier probe;
    private final ScheduledExecutorService ticker;
    private final long quietNanos;

    /** Records handed to the producer (or being handed) and neither acknowledged nor failed. */
    private final AtomicLong pending = new AtomicLong();

    private volatile long lastProgress;
    private volatile String topic;

    // watcher state, guarded by this
    private long stallStart = -1;
    private long lastLine = -1;
    private Boolean answered;

    /**
     * Starts a watcher of one producer.
     *
     * @param producerProps the producer's properties, for the watcher's own admin client (the
     *     producer-only ones are left out)
     * @param err where the waiting lines go
     * @param newLineFirst a progress bar may be drawn on the current line: start each line on a new one
     */
    public KafkaWait(
            String bootstrapServers, Map<?, ?> producerProps, Duration maxWait, PrintWriter err, boolean newLineFirst) {
        this(
                bootstrapServers,
                maxWait,
                err,
                newLineFirst,
                System::nanoTime,
                () -> KafkaPreflight.answers(producerProps, PROBE_TIMEOUT),
                true);
    }

    KafkaWait(
            String bootstrapServers,
            Duration maxWait,
            PrintWriter err,
            boolean newLineFirst,
            LongSupplier clock,
            BooleanSupplier probe,
            boolean startTicker) {
        this.bootstrapServers = bootstrapServers;
        this.maxWait = maxWait;
        this.err = err;
        this.newLineFirst = newLineFirst;
        this.clock = clock;
        this.probe = probe;
        this.quietNanos = quiet().toNanos();
        this.lastProgress = clock.getAsLong();
        if (startTicker) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kafka-wait");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /**
     * Sets {@code max.block.ms} and {@code delivery.timeout.ms} to {@code maxWait} unless the
     * properties set them. {@code delivery.timeout.ms} is at least {@code request.timeout.ms +
     * linger.ms} (the producer requires it; 30 s by default) and at most {@link Integer#MAX_VALUE}
     * ms (about 24 days).
     */
    public static void configure(Properties producerProps, Duration maxWait) {
        producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxWait.toMillis()));
        if (!producerProps.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            long floor = Long.parseLong(String.valueOf(
                                    producerProps.getOrDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000"))
                            .strip())
                    + Long.parseLong(String.valueOf(producerProps.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "5"))
                            .strip());
            producerProps.put(
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    String.valueOf(Math.min(Integer.MAX_VALUE, Math.max(maxWait.toMillis(), floor))));
        }
    }

    /** Whether a producer error means it waited for Kafka as long as it was allowed to. */
    public static boolean isGiveUp(Throwable error) {
        return error instanceof TimeoutException;
    }

    /** Call before handing a record to the producer ({@code send} may block while Kafka is away). */
    public void sending(String topic) {
        this.topic = topic;
        if (pending.getAndIncrement() == 0) {
            lastProgress = clock.getAsLong(); // idle time is no waiting
        }
    }

    /** Call from the send callback when the record was acknowledged. */
    public void acknowledged() {
        lastProgress = clock.getAsLong();
        pending.decrementAndGet();
    }

    /** Call from the send callback when the record failed. */
    public void failed() {
        pending.decrementAndGet();
    }

    /**
     * The error to end with when the producer gave up waiting: one line, no cause, e.g. {@code gave
     * up after 10 min 0 s: no answer from Kafka at localhost:9092 (--max-wait 10 min); 120 of 500
     * records acknowledged ...}.
     *
     * @param outcome what was and was not written, e.g. {@code 120 of 500 records acknowledged}
     */
    public KafkaException gaveUp(String outcome) {
        String waited = duration(clock.getAsLong() - lastProgress);
        String what = probe.getAsBoolean()
                ? "Kafka at " + bootstrapServers + " answers but acknowledged no record"
                        + (topic == null ? "" : " for " + topic)
                : "no answer from Kafka at " + bootstrapServers;
        return new KafkaException("gave up after " + waited + ": " + what + " (--max-wait "
                + TimeUtils.formatWithHighestUnit(maxWait) + "); " + outcome);
    }

    /** One look at the producer's progress; the watcher thread calls it every second. */
    synchronized void tick() {
        reportResumed();
        long last = lastProgress;
        long now = clock.getAsLong();
        if (pending.get() > 0 && now - last >= quietNanos && (lastLine < 0 || now - lastLine >= EVERY.toNanos())) {
            answered = probe.getAsBoolean();
            now = clock.getAsLong();
            if (lastProgress != last) {
                return; // acknowledged while we asked
            }
            String limit =
                    "retrying, at most " + TimeUtils.formatWithHighestUnit(maxWait) + " (--max-wait); Ctrl-C to stop";
            String t = topic;
            print(
                    answered
                            ? String.format(
                                    Locale.ROOT,
                                    "waiting for Kafka at %s to accept records%s (it answers, but has acknowledged none for %s:"
                                            + " does the topic exist, and has it a leader?; %s)",
                                    bootstrapServers,
                                    t == null ? "" : " for " + t,
                                    duration(now - last),
                                    limit)
                            : String.format(
                                    Locale.ROOT,
                                    "waiting for Kafka at %s (no answer for %s; %s)",
                                    bootstrapServers,
                                    duration(now - last),
                                    limit));
            stallStart = last;
            lastLine = now;
        }
    }

    /** After a waiting line: once a record is acknowledged again, one line that says so. */
    private void reportResumed() {
        long last = lastProgress;
        if (stallStart >= 0 && last > stallStart) {
            print(String.format(
                    Locale.ROOT,
                    "Kafka at %s %s after %s; going on",
                    bootstrapServers,
                    Boolean.TRUE.equals(answered) ? "acknowledges records again" : "answers again",
                    duration(last - stallStart)));
            stallStart = -1;
            lastLine = -1;
            answered = null;
        }
    }

    private void print(String line) {
        synchronized (err) {
            if (newLineFirst) {
                err.println();
            }
            err.println(line);
            err.flush();
        }
    }

    /** @return {@link #QUIET}, or the positive duration of {@link #QUIET_PROPERTY} when it is set */
    static Duration quiet() {
        String value = System.getProperty(QUIET_PROPERTY);
        if (value == null || value.isBlank()) {
            return QUIET;
        }
        Duration d = JobOptions.parseDuration(value);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(QUIET_PROPERTY + " must be positive, got '" + value + "'");
        }
        return d;
    }

    /** {@code 20 s}, {@code 3 min 5 s}. */
    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        return s < 120 ? s + " s" : s / 60 + " min " + s % 60 + " s";
    }

    /** Stops the watcher, with the line that records were acknowledged again if it is still due. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(PROBE_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            reportResumed();
        }
    }

    /** picocli converter of {@code --max-wait}: a positive duration ({@link JobOptions#parseDuration}). */
    public static final class MaxWaitConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = JobOptions.parseDuration(value);
            if (d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException("must be positive, got '" + value + "'");
            }
            return d;
        }
    }
}
