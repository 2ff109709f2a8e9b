package org.attentionanalytics.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.attentionanalytics.io.AvroJson;
import org.attentionanalytics.io.RegistryWireReader;
import org.attentionanalytics.io.SchemaRegistrySettings;
import org.attentionanalytics.io.SingleObjectReader;

/**
 * Decodes output values in any of the three output formats ({@code --output-format}), told apart by
 * their first byte: {@code C3 01} Avro single-object encoding, {@code 00} the Confluent wire format
 * (read with Apicurio's deserializer, as a Java consumer would; needs the registry), {@code {} a
 * JSON object ({@link AvroJson#fromJson}; needs the record type). Every format gives the same
 * record, so the bounded run's output files and {@code consume} print the same lines whatever the
 * job wrote. Not thread-safe.
 */
public final class OutputDecoder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistrySettings registry;
    private AvroKafkaDeserializer<GenericRecord> deserializer;

    /** @param registry the schema registry of wire-format values, or null when there is none */
    public OutputDecoder(SchemaRegistrySettings registry) {
        this.registry = registry;
    }

    /**
     * @param type the value's type, or null to find it from a single-object header (JSON needs one)
     * @param topic the topic the value was read from (the registry deserializer's subject)
     * @return an instance of the generated class
     * @throws IOException when the value is in none of the formats, or does not decode
     */
    public GenericRecord decode(RecordType type, String topic, byte[] value) throws IOException {
        if (SingleObjectReader.isSingleObject(value)) {
            Optional<RecordType> t = type != null ? Optional.of(type) : RecordType.detect(value);
            if (t.isEmpty()) {
                throw new IOException("not an Avro single-object value of a known schema (try --type)");
            }
            return t.get().decode(value);
        }
        if (RegistryWireReader.isWireFormat(value)) {
            if (registry == null) {
                throw new IOException("a schema-registry value (Confluent wire format): pass --schema-registry-url");
            }
            try {
                return deserializer().deserialize(topic, value);
            } catch (RuntimeException e) {
                throw new IOException("not a schema-registry value the registry knows: " + e.getMessage(), e);
            }
        }
        if (value.length > 0 && value[0] == '{') {
            if (type == null) {
                throw new IOException("a JSON value of an unknown type (try --type)");
            }
            try {
                return (GenericRecord) AvroJson.fromJson(type.schema(), JSON.readTree(value));
            } catch (RuntimeException e) {
                throw new IOException("not a " + type.typeName() + " JSON value: " + e.getMessage(), e);
            }
        }
        throw new IOException("neither Avro single-object encoding, the Confluent wire format nor a JSON object");
    }

    private AvroKafkaDeserializer<GenericRecord> deserializer() {
        if (deserializer == null) {
            Map<String, Object> config = new HashMap<>(registry.serdeConfig());
            config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, "true");
            deserializer = new AvroKafkaDeserializer<>();
            deserializer.configure(config, false);
        }
        return deserializer;
    }

    @Override
    public void close() {
        if (deserializer != null) {
            deserializer.close();
        }
    }
}
