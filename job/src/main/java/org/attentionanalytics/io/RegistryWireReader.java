package org.attentionanalytics.io;

import io.apicurio.registry.serde.AbstractKafkaSerDe;
import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads the Confluent wire format (byte 0, the 4-byte big-endian schema id, the Avro binary;
 * Confluent Schema Registry documentation, "Wire format"; the header read by Apicurio's {@link
 * Legacy4ByteIdHandler}) into a generated record class. The writer schema comes from the registry
 * ({@link RegistrySchemas}), must name the class's record (or one of its aliases: a wire-format
 * value of another record type is refused, not misread), and is resolved against the class's
 * schema (an optional field the writer lacks takes its default). Every body is checked by {@link
 * AvroBounds} first, as single-object encoding is ({@link SingleObjectReader}). Not thread-safe.
 *
 * @param <T> the generated record class
 */
public final class RegistryWireReader<T extends SpecificRecordBase> {
    private static final int HEADER = 5;

    private final Schema reader;
    private final SpecificData model;
    private final RegistrySchemas schemas;
    private final Map<Long, SpecificDatumReader<T>> datumReaders = new HashMap<>();
    private final AvroBounds bounds = new AvroBounds();
    private static final Legacy4ByteIdHandler IDS = new Legacy4ByteIdHandler();
    private BinaryDecoder decoder;

    static {
        IDS.configure(Map.of("apicurio.registry.use-id", "contentId"), false); // reads four bytes, keeps nothing
    }

    /** @param schemas the registry's schemas (shared by the readers of one consumer) */
    public RegistryWireReader(Class<T> type, RegistrySchemas schemas) {
        this.model = SpecificData.getForClass(type);
        this.reader = model.getSchema(type);
        this.schemas = schemas;
    }

    /** @return true when {@code value} starts as the Confluent wire format does (byte 0, then 4 id bytes) */
    public static boolean isWireFormat(byte[] value) {
        return value.length >= HEADER && value[0] == AbstractKafkaSerDe.MAGIC_BYTE;
    }

    /** @return the schema id of a wire-format value ({@link #isWireFormat}) */
    public static long schemaId(byte[] value) {
        return IDS.readId(ByteBuffer.wrap(value, 1, HEADER - 1)).getContentId();
    }

    /**
     * @return the decoded record
     * @throws AvroBounds.MalformedException not the wire format, or a body that does not match its schema
     * @throws RegistrySchemas.UnknownSchemaException an id the registry does not know, of another
     *     record type, or an unreachable registry
     * @throws IOException or another runtime exception when Avro fails on a body that passed the bounds check
     */
    public T read(byte[] value)
            throws AvroBounds.MalformedException, RegistrySchemas.UnknownSchemaException, IOException {
        if (!isWireFormat(value)) {
            throw new AvroBounds.MalformedException("not the Confluent wire format (byte 0, a 4-byte schema id)");
        }
        long id = schemaId(value);
        SpecificDatumReader<T> datumReader = datumReaders.get(id);
        Schema writer = schemas.writer(id);
        if (datumReader == null) {
            if (writer.getType() != Schema.Type.RECORD
                    || !writer.getFullName().equals(reader.getFullName())
                            && !reader.getAliases().contains(writer.getFullName())) {
                throw new RegistrySchemas.UnknownSchemaException("schema id " + id + " is "
                        + (writer.getType() == Schema.Type.RECORD ? writer.getFullName() : "a " + writer.getType())
                        + ", not " + reader.getFullName());
            }
            datumReader = new SpecificDatumReader<>(writer, reader, model);
            datumReaders.put(id, datumReader);
        }
        bounds.check(writer, value, HEADER, value.length - HEADER);
        decoder = DecoderFactory.get().binaryDecoder(value, HEADER, value.length - HEADER, decoder);
        return datumReader.read(null, decoder);
    }
}
