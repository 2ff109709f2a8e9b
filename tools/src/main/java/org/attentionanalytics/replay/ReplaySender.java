package org.attentionanalytics.replay;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka producing and acknowledgement part of {@link DatasetReplay}: one producer of the replay
 * with its {@link KafkaWait}: hands each record over once, in order, stops at the first one that
 * failed, and says how many were acknowledged when it gives up.
 */
final class ReplaySender implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaWait wait;
    private final long total;
    private final String what;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final Callback callback;
    private boolean finished;

    ReplaySender(Properties producerProps, Waiting waiting, long total, String what, boolean progressBar) {
        Properties props = producerProperties(producerProps);
        KafkaWait.configure(props, waiting.maxWait());
        this.producer = new KafkaProducer<>(props);
        this.wait = new KafkaWait(
                String.valueOf(props.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)),
                props,
                waiting.maxWait(),
                waiting.err(),
                progressBar);
        this.total = total;
        this.what = what;
        this.callback = (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
                wait.acknowledged();
            } else {
                failure.compareAndSet(null, error);
                wait.failed();
            }
        };
    }

    /** Hands one record to the producer; blocks while Kafka is away and the producer's buffer is full. */
    void send(ProducerRecord<byte[], byte[]> record) {
        throwIfFailed();
        wait.sending(record.topic());
        producer.send(record, callback);
    }

    /** Waits until every record is acknowledged. */
    void finish() {
        producer.flush();
        throwIfFailed();
        finished = true;
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e == null) {
            return;
        }
        long acked = acknowledged.get();
        String outcome = String.format(
                Locale.ROOT,
                "%d of %d %s acknowledged, the other %d may be missing",
                acked,
                total,
                what,
                total - acked);
        if (KafkaWait.isGiveUp(e)) {
            throw wait.gaveUp(outcome);
        }
        throw new KafkaException("replay: send failed (" + outcome + "): " + e, e);
    }

    @Override
    public void close() {
        try {
            // after a failure, what is still pending is not waited for: the error says it may be missing
            producer.close(finished ? Duration.ofMillis(Long.MAX_VALUE) : Duration.ZERO);
        } finally {
            wait.close();
        }
    }

    /** How long to wait for Kafka ({@code --max-wait}) and where to say so. */
    record Waiting(Duration maxWait, PrintWriter err) {
        static final Waiting DEFAULT = new Waiting(KafkaWait.DEFAULT_MAX_WAIT, new PrintWriter(System.err, true));
    }

    static Properties producerProperties(Properties producerProps) {
        if (producerProps.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            throw new IllegalArgumentException(
                    "the replay producer is not transactional: remove " + ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One batch in flight per partition: right after topic creation, a retried first batch with
        // more behind it was seen to end in OutOfOrderSequenceException and a 2-minute stall.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.putAll(producerProps);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }
}
