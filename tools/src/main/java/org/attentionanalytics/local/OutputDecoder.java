package org.attentionanalytics.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.io.AvroJson;
import org.attentionanalytics.io.RegistrySchemas;
import org.attentionanalytics.io.RegistryWireReader;
import org.attentionanalytics.io.SchemaRegistrySettings;
import org.attentionanalytics.io.SingleObjectReader;

/**
 * Decodes output values in any of the three output formats ({@code --output-format}), told apart by
 * their first byte: {@code C3 01} Avro single-object encoding, {@code 00} the Confluent wire format
 * ({@link RegistryWireReader}, bounded as the job's doors are; needs the registry; the record type
 * is the writer schema's), <code>{</code> a JSON object ({@link AvroJson#fromJson}; needs the record
 * type). Every format gives the same record, so the bounded run's output files and {@code consume}
 * print the same lines whatever the job wrote. Not thread-safe.
 */
public final class OutputDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a command waits for an unreachable registry before it reports the record. */
    private static final long LOOKUP_WAIT_MS = 10_000;

    private final RegistrySchemas schemas;
    private final Map<RecordType, RegistryWireReader<? extends SpecificRecordBase>> readers =
            new EnumMap<>(RecordType.class);

    /** @param registry the schema registry of wire-format values, or null when there is none */
    public OutputDecoder(SchemaRegistrySettings registry) {
        this.schemas = registry == null
                ? null
                : new RegistrySchemas(
                        new SchemaRegistrySettings(registry.url(), registry.properties(), LOOKUP_WAIT_MS));
    }

    /**
     * @param type the value's type, or null to find it from a single-object header or the registry's
     *     schema (JSON needs one)
     * @param topic the topic the value was read from
     * @return an instance of the generated class
     * @throws IOException when the value is in none of the formats, or does not decode
     */
    public GenericRecord decode(RecordType type, String topic, byte[] value) throws IOException {
        try {
            if (SingleObjectReader.isSingleObject(value)) {
                Optional<RecordType> t = type != null ? Optional.of(type) : RecordType.detect(value);
                if (t.isEmpty()) {
                    throw new IOException("not an Avro single-object value of a known schema (try --type)");
                }
                return t.get().decode(value);
            }
            if (RegistryWireReader.isWireFormat(value)) {
                return wire(type, value);
            }
            if (value.length > 0 && value[0] == '{') {
                if (type == null) {
                    throw new IOException("a JSON value of an unknown type (try --type)");
                }
                return (GenericRecord) AvroJson.fromJson(type.schema(), JSON.readTree(value));
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        throw new IOException("neither Avro single-object encoding, the Confluent wire format nor a JSON object");
    }

    private GenericRecord wire(RecordType type, byte[] value) throws Exception {
        if (schemas == null) {
            throw new IOException("a schema-registry value (Confluent wire format): pass --schema-registry-url");
        }
        RecordType t = type;
        if (t == null) {
            String name = schemas.writer(RegistryWireReader.schemaId(value)).getFullName();
            t = Arrays.stream(RecordType.values())
                    .filter(r -> r.schema().getFullName().equals(name))
                    .findFirst()
                    .orElseThrow(
                            () -> new IOException("schema " + name + " is no record type of the job (try --type)"));
        }
        return reader(t).read(value);
    }

    private RegistryWireReader<? extends SpecificRecordBase> reader(RecordType type) {
        return readers.computeIfAbsent(
                type,
                t -> new RegistryWireReader<>(
                        SpecificData.get().getClass(t.schema()).asSubclass(SpecificRecordBase.class), schemas));
    }
}
