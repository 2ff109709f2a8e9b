package org.attentionanalytics.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.DeadLetterReason;

/**
 * Reads a door's Kafka value into a record of its input schema, bounded against hostile input
 * (DESIGN.md section 3): Avro single-object encoding ({@link SingleObjectReader}, checked by {@link
 * AvroBounds}, with the writer schemas of {@code --writer-schemas}), the Confluent wire format
 * ({@link RegistryWireReader}, writer schemas from the registry, bounded the same way) or a JSON
 * object ({@link DoorJson}'s bounded parser, then the door's own field mapping), as the {@link
 * Framing} says.
 *
 * <p>A value that cannot be read is a {@link Rejected} with the reason of its dead letter: {@code
 * UNKNOWN_SCHEMA} (a writer schema fingerprint the job does not know; a registry schema id it
 * cannot use, or an unreachable registry: {@link RegistrySchemas}), {@code MISSING_FIELD} (a
 * required JSON field absent), {@code UNDECODABLE} (anything else; {@link
 * DeadLetters#undecodableDetail}). Not thread-safe: one per door instance, made on the task.
 *
 * @param <R> the generated class of the input schema
 */
public final class RecordReader<R extends SpecificRecordBase> {
    /** Which encoding a value is read as. */
    public enum Framing {
        /** Avro single-object encoding, whatever the first bytes. */
        AVRO,
        /** A JSON object, whatever the first bytes. */
        JSON,
        /** Avro where the value starts with the single-object marker {@code C3 01}, else JSON. */
        DETECT,
        /** The Confluent wire format, the writer schema from the schema registry ({@link RegistryWireReader}). */
        REGISTRY;

        /** @return the framing of {@code --input-format} */
        public static Framing of(InputFormat format) {
            return switch (format) {
                case AVRO -> AVRO;
                case AUTO -> DETECT;
                case AVRO_REGISTRY -> REGISTRY;
                default -> JSON;
            };
        }

        /** @return whether {@code value} is read as Avro */
        public boolean isAvro(byte[] value) {
            return this == AVRO || this == DETECT && SingleObjectReader.isSingleObject(value);
        }
    }

    /** The door's mapping of a parsed JSON value (any JSON, not only objects) to its record. */
    @FunctionalInterface
    public interface JsonMapping<R> {
        /**
         * @throws DoorJson.MissingFieldException a required field is absent
         * @throws DoorJson.BadShapeException a field of the wrong shape, or not the JSON it expects
         */
        R fromJson(JsonNode n) throws DoorJson.MissingFieldException;
    }

    /** A value that could not be read, with the reason and detail of its dead letter. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient DeadLetterReason reason;

        Rejected(DeadLetterReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }

        public DeadLetterReason reason() {
            return reason;
        }

        public String detail() {
            return getMessage();
        }
    }

    private final Framing framing;
    private final boolean redact;
    private final JsonMapping<R> mapping;
    private final SingleObjectReader<R> avro;
    private final RegistryWireReader<R> registryReader;
    private final ObjectMapper json;

    /**
     * @param type the generated class values are read into
     * @param writerSchemas further writer schemas of {@code type} to accept (Avro schema JSON)
     * @param maxRecordBytes {@code --limits.record-bytes}: no JSON string or number may be longer
     * @param redact {@code --dlq.redact}: details leave out parser messages ({@link DeadLetters#undecodableDetail})
     */
    public RecordReader(
            Class<R> type,
            List<String> writerSchemas,
            Framing framing,
            int maxRecordBytes,
            boolean redact,
            JsonMapping<R> mapping) {
        this(type, writerSchemas, framing, null, maxRecordBytes, redact, mapping);
    }

    /**
     * @param registry the schema registry of {@link Framing#REGISTRY}
     * @throws NullPointerException for {@link Framing#REGISTRY} without a registry
     */
    public RecordReader(
            Class<R> type,
            List<String> writerSchemas,
            Framing framing,
            SchemaRegistrySettings registry,
            int maxRecordBytes,
            boolean redact,
            JsonMapping<R> mapping) {
        this.framing = framing;
        this.registryReader = framing == Framing.REGISTRY
                ? new RegistryWireReader<>(
                        type, new RegistrySchemas(java.util.Objects.requireNonNull(registry, "registry")))
                : null;
        this.redact = redact;
        this.mapping = mapping;
        this.json = DoorJson.mapper(maxRecordBytes);
        this.avro = new SingleObjectReader<>(
                type,
                WriterSchemas.named(
                        writerSchemas, SpecificData.getForClass(type).getSchema(type)));
    }

    /**
     * @param value a Kafka value, not null
     * @return the record
     * @throws Rejected when it cannot be read
     */
    public R read(byte[] value) throws Rejected {
        try {
            if (framing == Framing.REGISTRY) {
                return registryReader.read(value);
            }
            return framing.isAvro(value) ? avro.read(value) : mapping.fromJson(json.readTree(value));
        } catch (RegistrySchemas.UnknownSchemaException e) {
            throw new Rejected(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage());
        } catch (SingleObjectReader.UnknownSchemaException e) {
            throw new Rejected(
                    DeadLetterReason.UNKNOWN_SCHEMA,
                    "unknown writer schema fingerprint (a producer's schema the job does not know: --writer-schemas)");
        } catch (DoorJson.MissingFieldException e) {
            throw new Rejected(DeadLetterReason.MISSING_FIELD, e.getMessage());
        } catch (Exception e) {
            throw new Rejected(DeadLetterReason.UNDECODABLE, DeadLetters.undecodableDetail(e, redact));
        }
    }

    /**
     * @param record a record of the input schema (a copy without PII, say)
     * @param raw the value it was read from
     * @return {@code record} encoded as {@code raw} was: Avro single-object encoding, or its JSON text
     *     (a wire-format record as single-object encoding: the registry need not be asked)
     */
    public ByteBuffer encode(SpecificRecordBase record, byte[] raw) {
        return ByteBuffer.wrap(
                framing == Framing.REGISTRY || framing.isAvro(raw)
                        ? AvroRecordSerializer.encode(record)
                        : record.toString().getBytes(StandardCharsets.UTF_8));
    }
}
