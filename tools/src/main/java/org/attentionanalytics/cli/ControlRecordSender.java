package org.attentionanalytics.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.attentionanalytics.job.KafkaPreflight;
import org.attentionanalytics.replay.KafkaWait;

/**
 * Sends one control record (an erasure request, a budget) and waits for the acknowledgement: an
 * idempotent producer with {@code acks=all}, so a retried send is written once; key the raw user id
 * (UTF-8) as DESIGN.md section 2 asks, so a user's control records stay in order in one partition.
 * While Kafka is away it waits up to {@code --max-wait}, saying so on stderr ({@link KafkaWait}).
 */
final class ControlRecordSender {
    private ControlRecordSender() {}

    /**
     * @param kafkaProperties pass-through client properties ({@code --kafka.*}); they override the
     *     defaults, except the serializers
     * @param maxWait how long to wait for an absent Kafka
     * @param err where the lines about waiting go
     * @return where the record was written
     * @throws org.apache.kafka.common.KafkaException when Kafka was away for longer than {@code
     *     maxWait} (one line: the record may not have been written)
     * @throws IllegalArgumentException when another failure came with Kafka unreachable (checked
     *     after the failed send, so that the message says so)
     * @throws ExecutionException when the broker refused the record
     */
    static RecordMetadata send(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            Duration maxWait,
            PrintWriter err,
            String topic,
            String userId,
            byte[] value)
            throws ExecutionException, InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putAll(kafkaProperties);
        KafkaWait.configure(props, maxWait);
        try (KafkaWait wait = new KafkaWait(
                        String.valueOf(props.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)),
                        props,
                        maxWait,
                        err,
                        false);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            wait.sending(topic);
            try {
                return producer.send(
                                new ProducerRecord<>(topic, userId.getBytes(StandardCharsets.UTF_8), value),
                                (metadata, error) -> {
                                    if (error == null) {
                                        wait.acknowledged();
                                    } else {
                                        wait.failed();
                                    }
                                })
                        .get();
            } catch (ExecutionException e) {
                if (KafkaWait.isGiveUp(e.getCause())) {
                    throw wait.gaveUp("the record may not have been written");
                }
                KafkaPreflight.check(bootstrapServers, kafkaProperties);
                throw e;
            }
        }
    }
}
