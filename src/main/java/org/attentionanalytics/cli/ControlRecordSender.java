package org.attentionanalytics.cli;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends one control record (an erasure request, a budget) and waits for the acknowledgement: an
 * idempotent producer with {@code acks=all}, so a retried send is written once; key the raw user id
 * (UTF-8) as DESIGN.md section 2 asks, so a user's control records stay in order in one partition.
 */
final class ControlRecordSender {
  private ControlRecordSender() {}

  /**
   * @param kafkaProperties pass-through client properties ({@code --kafka.*}); they override the
   *     defaults, except the serializers
   * @return where the record was written
   * @throws IllegalArgumentException when Kafka cannot be reached (checked after a failed send,
   *     so that the message says so rather than "topic not present in metadata")
   * @throws ExecutionException when the broker refused the record
   */
  static RecordMetadata send(String bootstrapServers, Map<String, String> kafkaProperties, String topic, String userId,
      byte[] value) throws ExecutionException, InterruptedException {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000"); // an unreachable broker: 15 s, not 60
    props.putAll(kafkaProperties);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(topic, userId.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (ExecutionException | RuntimeException e) {
      KafkaPreflight.check(bootstrapServers, kafkaProperties);
      throw e;
    }
  }
}
