package org.attentionanalytics.io;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How large a record the sinks may write. Two limits apply: the producer's {@code
 * max.request.size} (default 1,048,576 bytes, checked by the producer on every send) and the
 * topic's {@code max.message.bytes} (default 1,048,588, checked by the broker on the record
 * batch). A record above either fails the sink, and a restart would meet it again. The sinks take
 * the smaller of the two, less the record batch overhead and the key.
 */
public final class RecordSizeLimit {
    private static final Logger LOG = LoggerFactory.getLogger(RecordSizeLimit.class);

    /**
     * Bytes a record needs besides its key and value, rounded up: the record batch header (61
     * bytes) and a record's framing (at most 21 bytes: attributes, varint deltas and lengths), as
     * Kafka's {@code DefaultRecordBatch} and {@code DefaultRecord} count them, with room to spare.
     */
    public static final int OVERHEAD = 256;

    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    private static final long TIMEOUT_MS = 10_000;

    private RecordSizeLimit() {}

    /** @return the producer's {@code max.request.size} in {@code props}, or Kafka's default */
    public static int producerLimit(Properties props) {
        Object v = props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return v == null
                ? DEFAULT_MAX_REQUEST_SIZE
                : Integer.parseInt(v.toString().trim());
    }

    /** @return the most value bytes a record with this key may carry under {@code maxRecordBytes} */
    public static int valueRoom(int maxRecordBytes, byte[] key) {
        if (maxRecordBytes == Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        return maxRecordBytes - OVERHEAD - (key == null ? 0 : key.length);
    }

    /**
     * Reads the topic's {@code max.message.bytes} and returns the smaller of it and {@code
     * producerLimit}, saying in the log when the topic's is the smaller. When the topic cannot be
     * described (no such topic yet, no DescribeConfigs permission), the producer's limit stands and
     * a warning says so.
     *
     * @param clientProps client properties with {@code bootstrap.servers}
     */
    public static int checkTopic(Properties clientProps, String topic, int producerLimit) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(filter(props))) {
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            ConfigEntry entry = configs.get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            int topicLimit = Integer.parseInt(entry.value());
            if (topicLimit < producerLimit) {
                LOG.warn(
                        "Topic {} accepts records of at most {} bytes (max.message.bytes), less than the producer's "
                                + "max.request.size of {}: records for it are kept below {} bytes",
                        topic,
                        topicLimit,
                        producerLimit,
                        topicLimit);
                return topicLimit;
            }
            LOG.info(
                    "Topic {}: max.message.bytes {}, producer max.request.size {}: records kept below {} bytes",
                    topic,
                    topicLimit,
                    producerLimit,
                    producerLimit);
            return producerLimit;
        } catch (Exception e) {
            LOG.warn(
                    "Could not read max.message.bytes of topic {} ({}); records for it are kept below the producer's "
                            + "max.request.size of {} bytes",
                    topic,
                    e.toString(),
                    producerLimit);
            return producerLimit;
        }
    }

    /** Only the properties an admin client knows, so that producer settings do not log warnings. */
    private static Properties filter(Properties props) {
        Properties out = new Properties();
        for (String name : AdminClientConfig.configNames()) {
            if (props.containsKey(name)) {
                out.put(name, props.get(name));
            }
        }
        return out;
    }
}
