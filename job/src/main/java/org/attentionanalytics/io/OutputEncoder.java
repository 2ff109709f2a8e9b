package org.attentionanalytics.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.AbstractKafkaSerDe;
import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Encodes an output record's value in the {@link OutputFormat} of {@code --output-format}: Avro
 * single-object encoding, a JSON object ({@link AvroJson}, the bounded run's file format without
 * {@code _key}), or the Confluent wire format with the schema id the job registered at start
 * ({@link SchemaRegistration}): byte 0 and the 4-byte id as Apicurio's serde writes them ({@link
 * Legacy4ByteIdHandler}), then the Avro binary. The id is fixed when the graph is built, so a sink
 * never asks the registry: a registry outage cannot fail a sink or its restarts.
 */
public final class OutputEncoder implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Today's default: Avro single-object encoding. */
    public static final OutputEncoder AVRO = new OutputEncoder(OutputFormat.AVRO, -1);

    private final OutputFormat format;
    private final long schemaId;
    private transient Legacy4ByteIdHandler ids;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;
    private transient Map<Class<?>, SpecificDatumWriter<SpecificRecordBase>> writers;

    private OutputEncoder(OutputFormat format, long schemaId) {
        this.format = Objects.requireNonNull(format, "format");
        this.schemaId = schemaId;
    }

    /**
     * @return an encoder of {@code avro} or {@code json}
     * @throws IllegalArgumentException for {@code avro-registry}, which needs a schema id ({@link #registry})
     */
    public static OutputEncoder of(OutputFormat format) {
        if (format == OutputFormat.AVRO_REGISTRY) {
            throw new IllegalArgumentException("avro-registry needs the schema id: OutputEncoder.registry(id)");
        }
        return new OutputEncoder(format, -1);
    }

    /** @param schemaId the registry's id of the values' schema under {@code <topic>-value} ({@link SchemaRegistration#register}) */
    public static OutputEncoder registry(long schemaId) {
        return new OutputEncoder(OutputFormat.AVRO_REGISTRY, schemaId);
    }

    public OutputFormat format() {
        return format;
    }

    /** @return the encoded value */
    public byte[] encode(SpecificRecordBase value) {
        return switch (format) {
            case AVRO -> AvroRecordSerializer.encode(value);
            case JSON -> json(value);
            case AVRO_REGISTRY -> wire(value);
        };
    }

    /** @return the record as one compact JSON object, fields in schema order ({@link AvroJson}) */
    private static byte[] json(SpecificRecordBase value) {
        try {
            return JSON.writeValueAsBytes(AvroJson.toJson(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen for a tree of plain nodes
        }
    }

    private byte[] wire(SpecificRecordBase value) {
        try {
            if (ids == null) {
                ids = new Legacy4ByteIdHandler();
                ids.configure(Map.of("apicurio.registry.use-id", "contentId"), false);
                buffer = new ByteArrayOutputStream(256);
                writers = new java.util.HashMap<>();
            }
            buffer.reset();
            buffer.write(AbstractKafkaSerDe.MAGIC_BYTE);
            ids.writeId(ArtifactReference.builder().contentId(schemaId).build(), buffer);
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            writers.computeIfAbsent(
                            value.getClass(),
                            c -> new SpecificDatumWriter<>(value.getSchema(), SpecificData.getForClass(c)))
                    .write(value, encoder);
            encoder.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
