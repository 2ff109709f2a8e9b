package org.attentionanalytics.local;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows one output topic ({@code read_committed}, every partition from the beginning) in a
 * daemon thread and hands each record's value bytes to a callback, so the local run can show what
 * the job writes while it runs. Tombstones (null values) are skipped; a callback that throws skips
 * that record only (it was not what the callback expected). The thread stops quietly when the
 * broker goes away with the run, or on {@link #close()}.
 */
final class TopicFollower implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ValueHandler onValue;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param threadName name of the daemon thread
     * @param onValue called in that thread with each non-null value, in partition order
     * @throws org.apache.kafka.common.KafkaException when the topic does not exist
     */
    TopicFollower(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            String threadName,
            ValueHandler onValue) {
        this.onValue = onValue;
        consumer = TopicDrain.newConsumer(bootstrapServers, kafkaProperties);
        var partitions = TopicDrain.partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        try {
                            onValue.accept(r.value());
                        } catch (Exception e) {
                            // not the record type expected: nothing to show
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            running = false; // the broker went away with the run: stop quietly
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    /** Takes one record value; may throw when the value is not what it expects. */
    @FunctionalInterface
    interface ValueHandler {
        void accept(byte[] value) throws Exception;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
