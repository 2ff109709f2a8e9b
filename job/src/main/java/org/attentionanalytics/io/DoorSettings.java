package org.attentionanalytics.io;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RecordDoor} is configured with, from the job's options: the encoding of the values
 * ({@code --input-format}), how far ahead of the processing clock a record may be stamped ({@code
 * --max-future}), the pseudonym key file (null: the environment variable), the bot rules file of
 * the event doors (null: Yauaa alone), {@code --dlq.redact}, the {@code --limits.*} and further
 * writer schemas ({@code --writer-schemas}, as Avro schema JSON) and the {@code --json.*} field
 * mapping of the clickstream door ({@link JsonMapping#NONE}: the job's own field names), and the
 * schema registry of {@code --input-format avro-registry} (null: none).
 */
public record DoorSettings(
        InputFormat format,
        long maxFutureMs,
        String keyFile,
        String botRulesFile,
        boolean redact,
        DoorLimits limits,
        List<String> writerSchemas,
        JsonMapping json,
        SchemaRegistrySettings registry)
        implements Serializable {

    public DoorSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(limits, "limits");
        writerSchemas = List.copyOf(writerSchemas);
        json = json == null ? JsonMapping.NONE : json;
    }

    /** Settings without a schema registry. */
    public DoorSettings(
            InputFormat format,
            long maxFutureMs,
            String keyFile,
            String botRulesFile,
            boolean redact,
            DoorLimits limits,
            List<String> writerSchemas,
            JsonMapping json) {
        this(format, maxFutureMs, keyFile, botRulesFile, redact, limits, writerSchemas, json, null);
    }

    /** Settings without a {@code --json.*} mapping. */
    public DoorSettings(
            InputFormat format,
            long maxFutureMs,
            String keyFile,
            String botRulesFile,
            boolean redact,
            DoorLimits limits,
            List<String> writerSchemas) {
        this(format, maxFutureMs, keyFile, botRulesFile, redact, limits, writerSchemas, JsonMapping.NONE);
    }

    /** Settings with {@link DoorLimits#DEFAULTS} and only the job's own writer schemas. */
    public DoorSettings(InputFormat format, long maxFutureMs, String keyFile, String botRulesFile, boolean redact) {
        this(format, maxFutureMs, keyFile, botRulesFile, redact, DoorLimits.DEFAULTS, List.of());
    }

    /** @return these settings with {@code limits} */
    public DoorSettings withLimits(DoorLimits limits) {
        return new DoorSettings(
                format, maxFutureMs, keyFile, botRulesFile, redact, limits, writerSchemas, json, registry);
    }

    /** @return these settings accepting these further writer schemas ({@link WriterSchemas}) */
    public DoorSettings withWriterSchemas(List<String> schemas) {
        return new DoorSettings(format, maxFutureMs, keyFile, botRulesFile, redact, limits, schemas, json, registry);
    }

    /** @return these settings with the {@code --json.*} mapping {@code mapping} */
    public DoorSettings withJson(JsonMapping mapping) {
        return new DoorSettings(
                format, maxFutureMs, keyFile, botRulesFile, redact, limits, writerSchemas, mapping, registry);
    }
}
