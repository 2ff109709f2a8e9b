package org.attentionanalytics.local;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning up to its end as of the start of the read, as a {@code
 * read_committed} consumer sees it, in partition then offset order. The end of a partition is its
 * end offset when the partition is reached (under {@code read_committed}: the last stable offset);
 * the read of a partition stops when the consumer's position reaches it, not when a poll comes
 * back empty: the last offsets of a transactional topic are often commit markers, which are never
 * returned as records (STACK.md).
 */
public final class TopicDrain {
    /** How long a partition may make no progress before the read gives up. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicDrain() {}

    /**
     * Consumer properties for byte-array keys and values, {@code read_committed}, no group, no
     * offset commits (partitions are assigned, never subscribed) and no topic auto-creation.
     *
     * @param clientProperties extra Kafka client properties (security and the like), applied last
     */
    public static Properties consumerProperties(String bootstrapServers, Map<String, String> clientProperties) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // reading never creates a topic
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(clientProperties);
        return props;
    }

    /** @return a consumer with {@link #consumerProperties}; the caller closes it */
    public static KafkaConsumer<byte[], byte[]> newConsumer(
            String bootstrapServers, Map<String, String> clientProperties) {
        return new KafkaConsumer<>(consumerProperties(bootstrapServers, clientProperties));
    }

    /**
     * @return the partitions of {@code topic} in partition order
     * @throws KafkaException when the topic does not exist
     */
    public static List<TopicPartition> partitions(
            org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("topic " + topic + " does not exist");
        }
        return infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /**
     * Reads every partition of {@code topic}, one after the other, from its beginning to its end
     * offset, handing each record to {@code sink} in partition then offset order. Reassigns {@code
     * consumer} (which must be {@code read_committed} to skip aborted records).
     *
     * @param maxRecords stop after this many records; negative: no limit
     * @param stallTimeout give up when a partition's position does not move for this long
     * @return the number of records handed to {@code sink}
     * @throws KafkaException when the topic does not exist
     * @throws TimeoutException when a partition makes no progress within {@code stallTimeout}
     */
    public static long drain(
            org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
            String topic,
            long maxRecords,
            Duration stallTimeout,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        long count = 0;
        for (TopicPartition tp : partitions(consumer, topic)) {
            if (maxRecords >= 0 && count >= maxRecords) {
                break;
            }
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long position = consumer.position(tp);
            long lastProgress = System.nanoTime();
            while (position < end && (maxRecords < 0 || count < maxRecords)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(tp)) {
                    // records past the end were written after the read began: not part of this read
                    if (record.offset() < end && (maxRecords < 0 || count < maxRecords)) {
                        sink.accept(record);
                        count++;
                    }
                }
                long newPosition = consumer.position(tp);
                if (newPosition != position) {
                    position = newPosition;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                    throw new TimeoutException("reading " + tp + ": stuck at offset " + position + " of " + end
                            + " for " + stallTimeout.toSeconds() + " s");
                }
            }
        }
        consumer.unsubscribe();
        return count;
    }
}
