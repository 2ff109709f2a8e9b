package org.attentionanalytics.local.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link DemoTraffic} to Kafka continuously, in real time, for {@code bin/attention local}
 * without a dataset. Every {@value #POLL_MS} ms it sends the records due by then: clicks to the
 * click topic, dwell to the dwell topic, the personas' budget to the budgets topic and their focus blocks to the
 * focus-blocks topic, keyed by the raw user id (UTF-8), values as produced (Avro
 * single-object encoding, or garbage for the intended bad records). The producer uses
 * {@code acks=all} and idempotence, so the broker holds each record once (the demo's intended
 * duplicates are separate records).
 *
 * <p>With {@link #asSnowplow} the same traffic goes out as Snowplow enriched TSV lines ({@link
 * DemoSnowplow}) to the Snowplow topic, the budget and the focus blocks as before, after the demo's content catalog
 * ({@link DemoSnowplow#catalog()}) to the catalog topic.
 *
 * <p>Use: {@link #start()} runs it in a daemon thread (or pass it to an executor, as a
 * {@link Runnable}); {@link #close()} stops it, flushes and closes the producer. Thread-safe.
 */
public final class DemoGenerator implements Runnable, AutoCloseable {
    /** Interval between two batches, ms. */
    public static final long POLL_MS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DemoGenerator.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final DemoTraffic traffic;
    private final String clickTopic;
    private final String dwellTopic;
    private final String budgetsTopic;
    private final String focusBlocksTopic;
    private String snowplowTopic;
    private String catalogTopic;
    private DemoSnowplow snowplow;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * Creates the producer; nothing is sent before {@link #start()} or {@link #run()}.
     *
     * @param bootstrapServers Kafka {@code bootstrap.servers}
     * @param clickTopic topic for {@code ClickEvent}s (the job's {@code clickstream} option)
     * @param dwellTopic topic for {@code DwellEvent}s (the job's {@code dwell-time} option)
     * @param budgetsTopic topic for the personas' {@code AttentionBudget} (the job's {@code
     *     attention-budgets} option)
     * @param focusBlocksTopic topic for the personas' {@code FocusBlocks} (the job's {@code
     *     focus-blocks} option)
     * @param users simulated people, e.g. {@link DemoTraffic#DEFAULT_USERS}
     * @param eventsPerSecondTarget approximate long-run records per second; 0 for the natural rate
     *     (about 0.027 per user); at most {@link DemoTraffic#maxEventsPerSecond(int)}
     * @param seed the same seed gives the same users and behaviour
     * @param extraKafkaProps producer properties (security and the like); they override the defaults
     */
    public DemoGenerator(
            String bootstrapServers,
            String clickTopic,
            String dwellTopic,
            String budgetsTopic,
            String focusBlocksTopic,
            int users,
            double eventsPerSecondTarget,
            long seed,
            Map<String, String> extraKafkaProps) {
        this(
                new KafkaProducer<>(producerConfig(bootstrapServers, extraKafkaProps)),
                new DemoTraffic(seed, users, Clock.systemUTC(), eventsPerSecondTarget, true),
                clickTopic,
                dwellTopic,
                budgetsTopic,
                focusBlocksTopic);
        if (eventsPerSecondTarget > DemoTraffic.maxEventsPerSecond(users)) {
            LOG.warn(
                    "Demo traffic: {} users give at most about {} records/s, not {}",
                    users,
                    Math.round(DemoTraffic.maxEventsPerSecond(users)),
                    eventsPerSecondTarget);
        }
    }

    /** For tests: any producer (e.g. a {@code MockProducer}) and any traffic. */
    DemoGenerator(
            Producer<byte[], byte[]> producer,
            DemoTraffic traffic,
            String clickTopic,
            String dwellTopic,
            String budgetsTopic,
            String focusBlocksTopic) {
        this.producer = producer;
        this.traffic = traffic;
        this.clickTopic = clickTopic;
        this.dwellTopic = dwellTopic;
        this.budgetsTopic = budgetsTopic;
        this.focusBlocksTopic = focusBlocksTopic;
    }

    /**
     * The producer properties: {@code bootstrap.servers}, byte-array serializers, {@code acks=all},
     * idempotence, 20 ms linger, then {@code extra} on top.
     */
    static Map<String, Object> producerConfig(String bootstrapServers, Map<String, String> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "attention-demo-generator");
        config.putAll(extra);
        return config;
    }

    /**
     * Sends the traffic as Snowplow enriched TSV lines instead of Avro ({@code bin/attention local
     * --snowplow}): to {@code snowplowTopic}, and first the catalog to {@code catalogTopic}. Call
     * before {@link #start()} or {@link #run()}.
     *
     * @return this
     */
    public DemoGenerator asSnowplow(String snowplowTopic, String catalogTopic) {
        this.snowplowTopic = snowplowTopic;
        this.catalogTopic = catalogTopic;
        this.snowplow = new DemoSnowplow();
        return this;
    }

    /**
     * Runs {@link #run()} in a new daemon thread named {@code attention-demo-generator}. The
     * simulation started at construction: records due since then go out in the first batch.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        checkStartable();
        Thread thread = new Thread(this::loop, "attention-demo-generator");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Publishes in the calling thread until {@link #close()} is called from another thread.
     *
     * @throws IllegalStateException when already started or closed
     */
    @Override
    public void run() {
        checkStartable();
        loop();
    }

    /** @return records the broker acknowledged so far */
    public long published() {
        return published.get();
    }

    /** @return records whose send failed so far (the first failure is logged) */
    public long failed() {
        return failed.get();
    }

    /**
     * Stops publishing, waits for the loop to finish its batch, sends what is buffered and closes
     * the producer (up to 30 s). Idempotent. An interrupt cuts the wait short (the flag is kept).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (running.getAndSet(false)) {
                stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            producer.flush();
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
    }

    private void checkStartable() {
        if (closed.get() || !running.compareAndSet(false, true)) {
            throw new IllegalStateException("the demo generator runs once");
        }
    }

    private void loop() {
        try {
            if (snowplow != null) {
                DemoSnowplow.catalog().forEach(this::send);
                producer.flush(); // the items' topics before their first events
            }
            while (running.get()) {
                List<DemoRecord> batch = traffic.nextBatch();
                if (snowplow == null) {
                    batch.forEach(this::send);
                } else {
                    long now = traffic.millis();
                    batch.forEach(r -> snowplow.convert(r, now).forEach(this::send));
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Demo traffic stopped", e);
        } finally {
            running.set(false);
            stopped.countDown();
        }
    }

    private void send(DemoRecord record) {
        String topic = switch (record.topic()) {
            case DemoRecord.CLICKSTREAM -> clickTopic;
            case DemoRecord.ATTENTION_BUDGETS -> budgetsTopic;
            case DemoRecord.FOCUS_BLOCKS -> focusBlocksTopic;
            case DemoRecord.SNOWPLOW -> snowplowTopic;
            case DemoRecord.CONTENT_CATALOG -> catalogTopic;
            default -> dwellTopic;
        };
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, record.value()), (metadata, error) -> {
            if (error == null) {
                published.incrementAndGet();
            } else if (failed.getAndIncrement() == 0) {
                LOG.warn("Demo traffic: a send to {} failed (later failures are only counted)", topic, error);
            }
        });
    }
}
