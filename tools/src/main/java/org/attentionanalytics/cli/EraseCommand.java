package org.attentionanalytics.cli;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.job.KafkaClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention erase --user-id ID}: asks the job to erase a user (DESIGN.md section 9) by
 * sending one {@link ErasureRequest} to {@code privacy-requests}, keyed by the raw user id, Avro
 * single-object encoded (or JSON with {@code --format json}, for a job run with {@code
 * --input-format json}). Prints the request id on stdout (alone, for scripts) and where the
 * record went on stderr. The request id defaults to a random UUID: an id derived from the user id
 * could be reversed by trying user ids, and the id is written to {@code privacy-audit} next to the
 * pseudonym. Exit codes: 0 sent; 2 invalid options; 1 Kafka failed.
 */
@Command(
        name = "erase",
        mixinStandardHelpOptions = true,
        version = "Attention Analytics 0.1.0",
        sortOptions = false,
        description = {
            "Send an erasure request for one user to the privacy-requests topic (keyed by the raw user id); "
                    + "the job then clears every piece of that user's state. Prints the request id.",
            "Kafka client properties: --kafka.<property>=<value>."
        })
public class EraseCommand implements Callable<Integer>, KafkaClientCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    ControlRecordOptions target = new ControlRecordOptions();

    @Option(
            names = "--request-id",
            paramLabel = "ID",
            description = "Id of the request, reported back in privacy-audit. Default: a random UUID.")
    String requestId;

    @Option(
            names = "--requested-at",
            paramLabel = "TIME",
            description =
                    "Event time of the request: epoch ms or ISO-8601 (Z, an offset, or UTC without). Default: now.")
    String requestedAt;

    @Option(
            names = "--topic.privacy-requests",
            defaultValue = "privacy-requests",
            paramLabel = "TOPIC",
            description = "Topic of ErasureRequests. Default: ${DEFAULT-VALUE}")
    String topic;

    @Override
    public void addKafkaProperties(Map<String, String> properties) {
        target.kafkaProperties.putAll(properties);
    }

    /**
     * The request this command sends (without sending it).
     *
     * @param now the default {@code requested_at}
     * @throws ParameterException for an empty user or request id, or an unreadable time
     */
    ErasureRequest request(Instant now) {
        String userId = target.userId(spec);
        if (requestId != null && requestId.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--request-id must not be empty");
        }
        return ErasureRequest.newBuilder()
                .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
                .setUserId(userId)
                .setRequestedAt(
                        requestedAt == null ? now : ControlRecordOptions.time(spec, "--requested-at", requestedAt))
                .build();
    }

    @Override
    public Integer call() throws Exception {
        ErasureRequest r = request(Instant.now());
        RecordMetadata at = target.send(spec, topic, r);
        spec.commandLine().getOut().println(r.getRequestId());
        spec.commandLine().getOut().flush();
        spec.commandLine()
                .getErr()
                .printf(
                        "erase: request %s (requested_at %s) -> %s partition %d offset %d%n",
                        r.getRequestId(), r.getRequestedAt(), at.topic(), at.partition(), at.offset());
        return 0;
    }
}
