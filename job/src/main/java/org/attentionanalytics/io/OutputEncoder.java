package org.attentionanalytics.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Encodes an output record's value in the {@link OutputFormat} of {@code --output-format}: Avro
 * single-object encoding, a JSON object ({@link AvroJson}, the bounded run's file format without
 * {@code _key}), or the Confluent wire format through the schema registry (Apicurio's {@link
 * AvroKafkaSerializer}, which looks up the schema the job registered at start under {@code
 * <topic>-value} once per topic and caches its id). Made on the client, opened on the task.
 */
public final class OutputEncoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Today's default: Avro single-object encoding, no registry. */
    public static final OutputEncoder AVRO = new OutputEncoder(OutputFormat.AVRO, null);

    private final OutputFormat format;
    private final SchemaRegistrySettings registry;
    private transient AvroKafkaSerializer<SpecificRecordBase> serializer;

    /**
     * @param registry the schema registry; required for {@link OutputFormat#AVRO_REGISTRY}, else ignored
     * @throws NullPointerException when the format needs a registry and none is given
     */
    public OutputEncoder(OutputFormat format, SchemaRegistrySettings registry) {
        this.format = Objects.requireNonNull(format, "format");
        this.registry = format == OutputFormat.AVRO_REGISTRY ? Objects.requireNonNull(registry, "registry") : null;
    }

    public OutputFormat format() {
        return format;
    }

    /**
     * @param topic the topic the value is written to (names the registry subject)
     * @return the encoded value
     * @throws RuntimeException from the registry serde when the registry cannot be reached after its retries
     */
    public byte[] encode(String topic, SpecificRecordBase value) {
        return switch (format) {
            case AVRO -> AvroRecordSerializer.encode(value);
            case JSON -> json(value);
            case AVRO_REGISTRY -> serializer().serialize(topic, value);
        };
    }

    /** @return the record as one compact JSON object, fields in schema order ({@link AvroJson}) */
    public static byte[] json(SpecificRecordBase value) {
        try {
            return JSON.writeValueAsBytes(AvroJson.toJson(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen for a tree of plain nodes
        }
    }

    private AvroKafkaSerializer<SpecificRecordBase> serializer() {
        if (serializer == null) {
            serializer = new AvroKafkaSerializer<>();
            serializer.configure(registry.serdeConfig(), false);
        }
        return serializer;
    }
}
