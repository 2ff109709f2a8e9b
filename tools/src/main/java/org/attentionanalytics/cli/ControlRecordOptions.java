package org.attentionanalytics.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.attentionanalytics.replay.ControlCsv;
import org.attentionanalytics.replay.KafkaWait;
import org.attentionanalytics.replay.ReplayFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What {@code bin/attention erase}, {@code budget} and {@code focus-block} share (a picocli mixin): the
 * broker, the raw user id the record is for (also its Kafka key), the value's encoding, the Kafka
 * client properties ({@code --kafka.*}, passed on by the command), and sending the one record.
 */
public final class ControlRecordOptions {
    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(
            names = "--user-id",
            required = true,
            paramLabel = "ID",
            description = "The raw user id, as in the events' user_id.")
    String userId;

    @Option(
            names = "--format",
            defaultValue = "avro",
            paramLabel = "avro|json",
            converter = ReplayFormat.Converter.class,
            description =
                    "Encoding of the value: avro (single-object encoding) or json, as the job's --input-format. Default: ${DEFAULT-VALUE}")
    ReplayFormat format;

    @Option(
            names = "--max-wait",
            defaultValue = KafkaWait.MAX_WAIT,
            paramLabel = "DURATION",
            converter = KafkaWait.MaxWaitConverter.class,
            description =
                    "How long to wait for an absent Kafka broker before giving up with an error (e.g. 30 s, 10 min, PT1H); "
                            + "meanwhile a line on stderr says what the command waits for. Default: ${DEFAULT-VALUE}")
    Duration maxWait;

    final Map<String, String> kafkaProperties = new LinkedHashMap<>();

    /**
     * @return the user id
     * @throws ParameterException when it is blank
     */
    String userId(CommandSpec spec) {
        if (userId.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--user-id must not be empty");
        }
        return userId;
    }

    /**
     * Sends {@code record} to {@code topic}, keyed by the user id, encoded as {@code --format} says,
     * waiting up to {@code --max-wait} for an absent Kafka.
     *
     * @param spec the command's spec: lines about waiting go to its stderr
     * @return where it went
     * @throws Exception when Kafka fails
     */
    RecordMetadata send(CommandSpec spec, String topic, SpecificRecordBase record) throws Exception {
        return ControlRecordSender.send(
                bootstrapServers,
                kafkaProperties,
                maxWait == null ? KafkaWait.DEFAULT_MAX_WAIT : maxWait,
                spec.commandLine().getErr(),
                topic,
                userId,
                format.encode(record));
    }

    /**
     * @param option the option's name, for the message
     * @return {@code text} as an instant: epoch ms or ISO-8601 (Z, an offset, or UTC without)
     * @throws ParameterException when it is neither
     */
    static Instant time(CommandSpec spec, String option, String text) {
        try {
            return ControlCsv.time(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
