package org.attentionanalytics.job;

import java.util.Map;

/**
 * A command that talks to Kafka and takes {@code --kafka.<property>=<value>} pass-through client
 * properties. {@link CliSupport} takes them out of the arguments and hands them over before the
 * command runs. (Commands with a {@code JobOptions} mixin get them in {@code
 * JobOptions#kafkaProperties} instead.)
 */
public interface KafkaClientCommand {
    /** @param properties Kafka client properties, names without the {@code kafka.} prefix */
    void addKafkaProperties(Map<String, String> properties);
}
