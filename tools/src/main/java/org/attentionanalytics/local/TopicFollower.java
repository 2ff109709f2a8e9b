package org.attentionanalytics.local;

import java.time.Duration;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.attentionanalytics.io.SchemaRegistrySettings;

/**
 * Follows one output topic ({@code read_committed}, every partition from the beginning) in a
 * daemon thread, decodes each value as {@code --output-format} wrote it ({@link OutputDecoder}) and
 * hands the record to a callback, so the local run can show what the job writes while it runs.
 * Tombstones (null values) are skipped; a value that does not decode, or a callback that throws,
 * skips that record only (it was not what the callback expected). The thread stops quietly when the
 * broker goes away with the run, or on {@link #close()}.
 */
final class TopicFollower implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RecordType type;
    private final String topic;
    private final OutputDecoder decoder;
    private final RecordHandler onRecord;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param type the record type of the topic's values
     * @param registry the schema registry of {@code avro-registry} values, or null
     * @param threadName name of the daemon thread
     * @param onRecord called in that thread with each record of a non-null value, in partition order
     * @throws org.apache.kafka.common.KafkaException when the topic does not exist
     */
    TopicFollower(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String topic,
            RecordType type,
            SchemaRegistrySettings registry,
            String threadName,
            RecordHandler onRecord) {
        this.type = type;
        this.topic = topic;
        this.decoder = new OutputDecoder(registry);
        this.onRecord = onRecord;
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
                            onRecord.accept(decoder.decode(type, topic, r.value()));
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

    /** Takes one decoded record (an instance of the generated class); may throw when it is not what it expects. */
    @FunctionalInterface
    interface RecordHandler {
        void accept(GenericRecord record) throws Exception;
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
