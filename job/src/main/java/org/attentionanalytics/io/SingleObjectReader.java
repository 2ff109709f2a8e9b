package org.attentionanalytics.io;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads Avro single-object encoding ({@code C3 01}, the 8-byte little-endian CRC-64-AVRO
 * fingerprint of the writer schema, the binary body; Avro specification, "Single-object
 * encoding") into a generated record class, resolving each known writer schema against the
 * class's schema (so a writer's newer enum symbol reads as the enum's default). Every body is
 * checked by {@link AvroBounds} first, so no input can make decoding allocate more than it holds,
 * and trailing bytes are refused.
 *
 * <p>Known writer schemas: the class's own plus those given (from {@code --writer-schemas}).
 * Not thread-safe: one instance per door.
 *
 * @param <T> the generated record class
 */
public final class SingleObjectReader<T extends SpecificRecordBase> {
    private static final int HEADER = 10;

    private final Schema reader;
    private final SpecificData model;
    private final Map<Long, Schema> writers = new HashMap<>();
    private final Map<Long, SpecificDatumReader<T>> datumReaders = new HashMap<>();
    private final AvroBounds bounds = new AvroBounds();
    private BinaryDecoder decoder;

    /** A body written with a schema the job does not know (an unknown fingerprint). */
    public static final class UnknownSchemaException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownSchemaException(long fingerprint) {
            super("unknown writer schema fingerprint " + Long.toHexString(fingerprint), null, false, false);
        }
    }

    /**
     * @param type the generated class to read into
     * @param extraWriters further writer schemas to accept (same full name as the class's schema)
     */
    public SingleObjectReader(Class<T> type, Collection<Schema> extraWriters) {
        this.model = SpecificData.getForClass(type);
        this.reader = model.getSchema(type);
        writers.put(SchemaNormalization.parsingFingerprint64(reader), reader);
        for (Schema w : extraWriters) {
            writers.put(SchemaNormalization.parsingFingerprint64(w), w);
        }
    }

    /** @return true when {@code value} starts with the single-object marker {@code C3 01} */
    public static boolean isSingleObject(byte[] value) {
        return value.length >= 2 && value[0] == (byte) 0xC3 && value[1] == (byte) 0x01;
    }

    /**
     * @return the decoded record
     * @throws AvroBounds.MalformedException not single-object encoding, or a body that does not match its schema
     * @throws UnknownSchemaException a fingerprint of no known writer schema
     * @throws IOException or another runtime exception when Avro fails on a body that passed the bounds check
     */
    public T read(byte[] value) throws AvroBounds.MalformedException, UnknownSchemaException, IOException {
        if (value.length < HEADER || !isSingleObject(value)) {
            throw new AvroBounds.MalformedException("not Avro single-object encoding");
        }
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (value[i] & 0xFF);
        }
        Schema writer = writers.get(fingerprint);
        if (writer == null) {
            throw new UnknownSchemaException(fingerprint);
        }
        bounds.check(writer, value, HEADER, value.length - HEADER);
        SpecificDatumReader<T> datumReader =
                datumReaders.computeIfAbsent(fingerprint, f -> new SpecificDatumReader<>(writer, reader, model));
        decoder = DecoderFactory.get().binaryDecoder(value, HEADER, value.length - HEADER, decoder);
        return datumReader.read(null, decoder);
    }
}
